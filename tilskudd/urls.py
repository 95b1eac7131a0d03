"""Every app owns its routes (``<app>/urls.py``, namespaced by the app's name)."""

from django.contrib import admin
from django.urls import include, path

from tilskudd.api.api import api

urlpatterns = [
    path("", include("tilskudd.home.urls")),
    path("", include("tilskudd.accounts.urls")),
    path("", include("tilskudd.logins.urls")),
    path("", include("tilskudd.identity.urls")),
    path("", include("tilskudd.organisations.urls")),
    path("", include("tilskudd.rounds.urls")),
    path("", include("tilskudd.applications.urls")),
    path("", include("tilskudd.reporting.urls")),
    path("", include("tilskudd.settlement.urls")),
    path("", include("tilskudd.assessment.urls")),
    path("", include("tilskudd.decisions.urls")),
    path("", include("tilskudd.publication.urls")),
    path("", include("tilskudd.amendments.urls")),
    path("", include("tilskudd.archive.urls")),
    path("", include("tilskudd.api.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Kompetanse- og innovasjonstilskudd – administrasjon"
admin.site.site_title = "Tilskudd admin"
