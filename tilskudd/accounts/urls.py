from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from tilskudd.ui.access import public

app_name = "accounts"
urlpatterns = [
    path("logg-inn/", public(auth_views.LoginView.as_view(redirect_authenticated_user=True)), name="login"),
    path("logg-ut/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("sprak/", public(set_language), name="set_language"),
]
