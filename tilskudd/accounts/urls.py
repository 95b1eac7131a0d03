from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.i18n import set_language

from tilskudd.accounts import twofactor_views, views
from tilskudd.ui.access import public

app_name = "accounts"
urlpatterns = [
    path("logg-inn/", public(twofactor_views.LoginView.as_view()), name="login"),
    path("logg-ut/", public(views.LogoutView.as_view()), name="logout"),
    path("sprak/", public(set_language), name="set_language"),
    path("konto/", views.account, name="account"),
    path("konto/handle-for/", views.act_for, name="act_for"),
    # password reset by e-mail
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
        public(
            views.PasswordResetConfirmView.as_view(
                success_url=reverse_lazy("accounts:password_reset_complete")
            )
        ),
        name="password_reset_confirm",
    ),
    # two-step login
    path("konto/to-trinn/", twofactor_views.overview, name="two_step"),
    path("konto/to-trinn/kode/", twofactor_views.code_step, name="two_step_code"),
    path("konto/to-trinn/sett-opp/", twofactor_views.set_up, name="two_step_setup"),
    path("konto/to-trinn/nye-reservekoder/", twofactor_views.recovery_codes, name="two_step_recovery_codes"),
    path("konto/to-trinn/skru-av/", twofactor_views.turn_off, name="two_step_off"),
]
