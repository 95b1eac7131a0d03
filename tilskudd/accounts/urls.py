"""Routes for signing in: password reset by e-mail (login and logout are in tilskudd/urls.py)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from tilskudd.accounts import views
from tilskudd.web.access import public

urlpatterns = [
    path("glemt-passord/", public(views.PasswordResetView.as_view()), name="password_reset"),
    path(
        "glemt-passord/sendt/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "nytt-passord/ferdig/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path(
        "nytt-passord/<uidb64>/<token>/",
        public(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
]
