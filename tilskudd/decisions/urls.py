from django.urls import path

from tilskudd.decisions import views

app_name = "decisions"
ROUND = "saksbehandling/runder/<int:round_id>/"
CASE = "soknader/<int:application_id>/"
urlpatterns = [
    path(ROUND + "vedtak/", views.round_decisions, name="round_decisions"),
    path(ROUND + "vedtak/forbered/", views.prepare, name="decisions_prepare"),
    path(ROUND + "vedtak/godkjenn-alle/", views.approve_all, name="decisions_approve_all"),
    path(ROUND + "vedtak/<int:decision_id>/godkjenn/", views.approve, name="decision_approve"),
    path(ROUND + "brev/", views.letters_start, name="letters_start"),
    path(ROUND + "brev/framdrift/", views.letters_progress, name="letters_progress"),
    path(ROUND + "utbetaling/", views.payments, name="round_payments"),
    path(ROUND + "arkiv.zip", views.round_archive, name="round_archive"),
    path(CASE + "vedtak/brev.pdf", views.letter_download, name="letter_download"),
    path(CASE + "vedtak/aksept/", views.accept, name="decision_accept"),
    path(CASE + "vedtak/aksept/ny-frist/", views.extend_acceptance, name="acceptance_extend"),
    path(CASE + "arkiv.zip", views.case_archive, name="case_archive"),
]
