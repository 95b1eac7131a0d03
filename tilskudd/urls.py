from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from tilskudd.applications import views as application_views
from tilskudd.assessment import views as assessment_views
from tilskudd.decisions import views as decision_views
from tilskudd.organisations import views as organisation_views
from tilskudd.reporting import views as reporting_views
from tilskudd.rounds import views as round_views
from tilskudd.web import views as web_views
from tilskudd.web.access import public

urlpatterns = [
    path("", web_views.home, name="home"),
    path("tilgjengelighet/", web_views.accessibility, name="accessibility"),
    path("logg-inn/", public(auth_views.LoginView.as_view(redirect_authenticated_user=True)), name="login"),
    path("logg-ut/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("sprak/", public(set_language), name="set_language"),
    path("", include("tilskudd.accounts.urls")),
    # organisations and offices
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
    # public calls
    path("utlysninger/", round_views.public_list, name="round_list"),
    path("utlysninger/<int:round_id>/", round_views.public_detail, name="round_detail"),
    path("utlysninger/<int:round_id>/sok/", application_views.start, name="application_start"),
    # applications (applicant side; office staff read them too)
    path("soknader/<int:application_id>/", application_views.detail, name="application_detail"),
    path("soknader/<int:application_id>/tiltak/", application_views.add_line, name="line_add"),
    path(
        "soknader/<int:application_id>/tiltak/<int:line_id>/", application_views.line_edit, name="line_edit"
    ),
    path(
        "soknader/<int:application_id>/tiltak/<int:line_id>/slett/",
        application_views.line_remove,
        name="line_remove",
    ),
    path(
        "soknader/<int:application_id>/tiltak/<int:line_id>/flytt/",
        application_views.line_move,
        name="line_move",
    ),
    path("soknader/<int:application_id>/vedlegg/", application_views.attachment_add, name="attachment_add"),
    path(
        "soknader/<int:application_id>/vedlegg/<int:attachment_id>/",
        application_views.attachment_download,
        name="attachment_download",
    ),
    path(
        "soknader/<int:application_id>/vedlegg/<int:attachment_id>/slett/",
        application_views.attachment_remove,
        name="attachment_remove",
    ),
    path("soknader/<int:application_id>/send-inn/", application_views.submit, name="application_submit"),
    path("soknader/<int:application_id>/kvittering/", application_views.receipt, name="application_receipt"),
    path(
        "soknader/<int:application_id>/kvittering.pdf", application_views.receipt_download, name="receipt_pdf"
    ),
    # reports
    path("rapporter/<int:obligation_id>/", reporting_views.obligation, name="report_obligation"),
    # the office's case handling
    path("saksbehandling/runder/", round_views.office_list, name="round_office_list"),
    path("saksbehandling/runder/ny/", round_views.create, name="round_create"),
    path("saksbehandling/runder/<int:round_id>/", round_views.manage, name="round_manage"),
    path("saksbehandling/runder/<int:round_id>/endre/", round_views.edit, name="round_edit"),
    path("saksbehandling/runder/<int:round_id>/publiser/", round_views.publish, name="round_publish"),
    path("saksbehandling/runder/<int:round_id>/oremerking/", round_views.earmark_add, name="earmark_add"),
    path(
        "saksbehandling/runder/<int:round_id>/oremerking/<int:earmark_id>/slett/",
        round_views.earmark_remove,
        name="earmark_remove",
    ),
    path("saksbehandling/runder/<int:round_id>/utsettelse/", round_views.extension, name="round_extension"),
    path("saksbehandling/runder/<int:round_id>/soknader.xlsx", round_views.export_xlsx, name="round_export"),
    # assessment, allocation and decisions
    path(
        "saksbehandling/runder/<int:round_id>/kommuner/",
        assessment_views.kommune_records,
        name="kommune_records",
    ),
    path(
        "saksbehandling/runder/<int:round_id>/vurdering/<int:line_id>/",
        assessment_views.assess,
        name="line_assess",
    ),
    path("saksbehandling/runder/<int:round_id>/fordeling/", assessment_views.allocation, name="allocation"),
    path(
        "saksbehandling/runder/<int:round_id>/fordeling/scenario/",
        assessment_views.scenario_create,
        name="scenario_create",
    ),
    path(
        "saksbehandling/runder/<int:round_id>/fordeling/<int:scenario_id>/tiltak/<int:line_id>/",
        assessment_views.override_set,
        name="override_set",
    ),
    path(
        "saksbehandling/runder/<int:round_id>/fordeling/<int:scenario_id>/tiltak/<int:line_id>/fjern/",
        assessment_views.override_remove,
        name="override_remove",
    ),
    path(
        "saksbehandling/runder/<int:round_id>/vedtak/", decision_views.round_decisions, name="round_decisions"
    ),
    path(
        "saksbehandling/runder/<int:round_id>/vedtak/forbered/",
        decision_views.prepare,
        name="decisions_prepare",
    ),
    path(
        "saksbehandling/runder/<int:round_id>/vedtak/godkjenn-alle/",
        decision_views.approve_all,
        name="decisions_approve_all",
    ),
    path(
        "saksbehandling/runder/<int:round_id>/vedtak/<int:decision_id>/godkjenn/",
        decision_views.approve,
        name="decision_approve",
    ),
    path("saksbehandling/runder/<int:round_id>/brev/", decision_views.letters_start, name="letters_start"),
    path(
        "saksbehandling/runder/<int:round_id>/brev/framdrift/",
        decision_views.letters_progress,
        name="letters_progress",
    ),
    path("saksbehandling/runder/<int:round_id>/utbetaling/", decision_views.payments, name="round_payments"),
    path(
        "soknader/<int:application_id>/vedtak/brev.pdf",
        decision_views.letter_download,
        name="letter_download",
    ),
    path("soknader/<int:application_id>/vedtak/aksept/", decision_views.accept, name="decision_accept"),
    path("soknader/<int:application_id>/arkiv.zip", decision_views.case_archive, name="case_archive"),
    path(
        "saksbehandling/runder/<int:round_id>/arkiv.zip", decision_views.round_archive, name="round_archive"
    ),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Kompetanse- og innovasjonstilskudd – administrasjon"
admin.site.site_title = "Tilskudd admin"
