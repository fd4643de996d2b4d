from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.start, name="start"),
    path("start-again/", views.restart, name="restart"),
    path("finish/", views.finish, name="finish"),
    path("leave/", views.leave, name="leave"),
    path("reach-out/", views.crisis_panel, name="crisis_panel"),
    path("step/<slug:step_id>/", views.step, name="step"),
    path("step/<slug:step_id>/email-link/", views.email_resume, name="email_resume"),
    path("continue/<str:signed>/", views.resume, name="resume"),
    path("r/<slug:token>/", views.result, name="result"),
    path("r/<slug:token>/call-back/", views.callback, name="callback"),
    path("r/<slug:token>/email-link/", views.email_result, name="email_result"),
    path("link/<str:signed>/", views.result_link, name="result_link"),
]
