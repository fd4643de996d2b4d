from django.urls import path

from pages import views

urlpatterns = [
    path("", views.home, name="home"),
    path("crisis/", views.crisis, name="crisis"),
    # Browsers that ignore <link rel="icon"> still ask for /favicon.ico: no 404.
    path("favicon.ico", views.favicon, name="favicon"),
]
