from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_search, name="search"),
    path("<slug:slug>/", views.program_detail, name="detail"),
]
