from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from tilskudd.organisations import views as organisation_views
from tilskudd.web import views as web_views
from tilskudd.web.access import public

urlpatterns = [
    path("", web_views.home, name="home"),
    path("tilgjengelighet/", web_views.accessibility, name="accessibility"),
    path("logg-inn/", public(auth_views.LoginView.as_view(redirect_authenticated_user=True)), name="login"),
    path("logg-ut/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("sprak/", public(set_language), name="set_language"),
    path(
        "organisasjoner/<int:organisation_id>/",
        organisation_views.organisation_detail,
        name="organisation_detail",
    ),
    path(
        "organisasjoner/<int:organisation_id>/endre/",
        organisation_views.organisation_edit,
        name="organisation_edit",
    ),
    path("embeter/<int:office_id>/", organisation_views.office_detail, name="office_detail"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Kompetanse- og innovasjonstilskudd – administrasjon"
admin.site.site_title = "Tilskudd admin"
