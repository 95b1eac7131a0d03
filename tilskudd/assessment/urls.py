from django.urls import path

from tilskudd.assessment import views

app_name = "assessment"
ROUND = "saksbehandling/runder/<int:round_id>/"
OVERRIDE = ROUND + "fordeling/<int:scenario_id>/tiltak/<int:line_id>/"
urlpatterns = [
    path(ROUND + "kommuner/", views.kommune_records, name="kommune_records"),
    path(ROUND + "vurdering/<int:line_id>/", views.assess, name="line_assess"),
    path(ROUND + "fordeling/", views.allocation, name="allocation"),
    path(ROUND + "fordeling/scenario/", views.scenario_create, name="scenario_create"),
    path(OVERRIDE, views.override_set, name="override_set"),
    path(OVERRIDE + "skjema/", views.override_form, name="override_form"),
    path(OVERRIDE + "fjern/", views.override_remove, name="override_remove"),
]
