from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.start, name="start"),
    path("start-again/", views.restart, name="restart"),
    path("reach-out/", views.crisis_panel, name="crisis_panel"),
    path("step/<slug:step_id>/", views.step, name="step"),
    path("r/<slug:token>/", views.result, name="result"),
    path("r/<slug:token>/call-back/", views.callback, name="callback"),
]
