from django.urls import path

from tilskudd.applications import office_views, views

app_name = "applications"
CASE = "soknader/<int:application_id>/"
urlpatterns = [
    path("utlysninger/<int:round_id>/sok/", views.start, name="application_start"),
    path(CASE, views.detail, name="application_detail"),
    path(CASE + "tiltak/", views.add_line, name="line_add"),
    path(CASE + "tiltak/<int:line_id>/", views.line_edit, name="line_edit"),
    path(CASE + "tiltak/<int:line_id>/slett/", views.line_remove, name="line_remove"),
    path(CASE + "tiltak/<int:line_id>/avbryt/", views.line_cancel, name="line_cancel"),
    path(CASE + "tiltak/<int:line_id>/flytt/", views.line_move, name="line_move"),
    path(CASE + "vedlegg/", views.attachment_add, name="attachment_add"),
    path(CASE + "vedlegg/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path(CASE + "vedlegg/<int:attachment_id>/slett/", views.attachment_remove, name="attachment_remove"),
    path(CASE + "del/", views.share, name="application_share"),
    path(CASE + "send-inn/", views.submit, name="application_submit"),
    path(CASE + "kvittering/", views.receipt, name="application_receipt"),
    path(CASE + "kvittering.pdf", views.receipt_download, name="receipt_pdf"),
    # the office's pages on a round's applications
    path("saksbehandling/runder/<int:round_id>/utsettelse/", office_views.extension, name="round_extension"),
    path("saksbehandling/runder/<int:round_id>/soknader.xlsx", office_views.export_xlsx, name="round_export"),
]
