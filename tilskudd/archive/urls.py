from django.urls import path

from tilskudd.archive import views

app_name = "archive"
ROUND = "saksbehandling/runder/<int:round_id>/noark5/"
OFFICE = "saksbehandling/arkiv/"
urlpatterns = [
    path(ROUND, views.round_extractions, name="round_extractions"),
    path(ROUND + "start/", views.extraction_start, name="extraction_start"),
    path(ROUND + "framdrift/", views.extraction_progress, name="extraction_progress"),
    path(ROUND + "uttrekk.zip", views.extraction_download, name="extraction_download"),
    path("soknader/<int:application_id>/noark5.zip", views.case_extraction, name="case_extraction"),
    path(OFFICE, views.office_archive, name="office_archive"),
    path(OFFICE + "start/", views.range_start, name="range_start"),
    path(OFFICE + "framdrift/", views.range_progress, name="range_progress"),
    path(OFFICE + "uttrekk.zip", views.range_download, name="range_download"),
]
