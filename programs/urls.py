from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_search, name="search"),
    path("<slug:slug>/", views.program_detail, name="detail"),
    path("<slug:slug>/report/", views.report_problem, name="report"),
    path("<slug:slug>/listing/updated/", views.listing_thanks, name="listing_thanks"),
    path("<slug:slug>/listing/<str:token>/", views.listing_update, name="listing_update"),
]
