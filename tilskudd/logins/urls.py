from django.urls import path

from tilskudd.logins import views

app_name = "logins"
urlpatterns = [
    path("konto/okter/", views.logins, name="logins"),
    path("konto/okter/<int:login_id>/avslutt/", views.end, name="end"),
    path("konto/okter/avslutt-andre/", views.end_others, name="end_others"),
]
