from django.urls import path

from tilskudd.home import views

app_name = "home"
urlpatterns = [
    path("", views.home, name="home"),
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
]
