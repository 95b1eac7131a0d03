from django.urls import path

from tilskudd.rounds import views

app_name = "rounds"
OFFICE = "saksbehandling/runder/<int:round_id>/"
urlpatterns = [
    path("utlysninger/", views.public_list, name="round_list"),
    path("utlysninger/<int:round_id>/", views.public_detail, name="round_detail"),
    path("saksbehandling/runder/", views.office_list, name="round_office_list"),
    path("saksbehandling/runder/ny/", views.create, name="round_create"),
    path(OFFICE, views.manage, name="round_manage"),
    path(OFFICE + "endre/", views.edit, name="round_edit"),
    path(OFFICE + "logg/", views.log, name="round_log"),
    path(OFFICE + "publiser/", views.publish, name="round_publish"),
    path(OFFICE + "oremerking/", views.earmark_add, name="earmark_add"),
    path(OFFICE + "oremerking/<int:earmark_id>/slett/", views.earmark_remove, name="earmark_remove"),
]
