from django.shortcuts import render
from django.urls import path

app_name = "programs"


def _coming_soon(request):  # replaced by the directory search
    return render(request, "home.html", status=200)


urlpatterns = [path("", _coming_soon, name="search")]
