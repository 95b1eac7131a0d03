from django.urls import path

from tilskudd.reporting import views

app_name = "reporting"
REPORT = "rapporter/<int:obligation_id>/"
ROUND = "saksbehandling/runder/<int:round_id>/"
urlpatterns = [
    path(REPORT, views.obligation, name="report_obligation"),
    path(REPORT + "send-inn/", views.submit, name="report_submit"),
    path(REPORT + "vedlegg/", views.attach, name="report_attach"),
    path(REPORT + "vedlegg/<int:report_attachment_id>/", views.attachment_download, name="report_attachment"),
    path(
        REPORT + "vedlegg/<int:report_attachment_id>/fjern/",
        views.attachment_remove,
        name="report_attachment_remove",
    ),
    path(REPORT + "revisoruttalelse/", views.auditor_statement, name="report_auditor_statement"),
    path(
        REPORT + "vedlegg/<int:report_attachment_id>/bekreft/",
        views.auditor_confirm,
        name="report_auditor_confirm",
    ),
    path(REPORT + "rapportskjema.xlsx", views.workbook_download, name="report_workbook"),
    path(REPORT + "rapportskjema/", views.workbook_upload, name="report_workbook_upload"),
    path(REPORT + "godkjenn/", views.approve, name="report_approve"),
    path(REPORT + "returner/", views.return_for_correction, name="report_return"),
    path(REPORT + "registrer/", views.register_paper, name="report_register"),
    path(REPORT + "avskriv/", views.write_off, name="report_write_off"),
    path(ROUND + "rapporter/", views.round_reports_view, name="round_reports"),
    path(ROUND + "rapporter.xlsx", views.round_reports_export, name="round_reports_export"),
]
