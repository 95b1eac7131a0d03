from django.urls import path

from tilskudd.amendments import views

app_name = "amendments"
CHANGE = "endringer/<int:change_id>/"
urlpatterns = [
    path("soknader/<int:application_id>/endring/", views.request_page, name="request"),
    path(CHANGE, views.change_page, name="change"),
    path(CHANGE + "forbered/", views.prepare, name="prepare"),
    path(CHANGE + "godkjenn/", views.approve, name="approve"),
    path(CHANGE + "avslag/", views.refuse, name="refuse"),
    path(CHANGE + "tilbake/", views.send_back, name="return"),
    path(CHANGE + "endringsvedtak.pdf", views.letter_download, name="letter"),
    path("saksbehandling/runder/<int:round_id>/endringer/", views.round_changes, name="round_changes"),
    path("saksbehandling/runder/<int:round_id>/endringer/vindu/", views.open_window, name="open_window"),
]
