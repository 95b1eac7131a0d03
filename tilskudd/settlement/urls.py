from django.urls import path

from tilskudd.settlement import views

app_name = "settlement"
AWARD = "soknader/<int:application_id>/oppgjor/"
CARRY = AWARD + "overforinger/<int:carry_over_id>/"
CLAIM = AWARD + "krav/<int:claim_id>/"
ROUND = "saksbehandling/runder/<int:round_id>/"
urlpatterns = [
    path(AWARD, views.award, name="award"),
    path(CARRY + "rapporter/", views.report_carried, name="report_carried"),
    path(CARRY + "avsla/", views.refuse_carry_over, name="refuse_carry_over"),
    path(CARRY + "vurder/", views.assess_carry_over, name="assess_carry_over"),
    path(AWARD + "krav/", views.send_claim, name="send_claim"),
    path(CLAIM + "brev.pdf", views.claim_letter, name="claim_letter"),
    path(CLAIM + "innbetaling/", views.record_repayment, name="record_repayment"),
    path(CLAIM + "avskriv/", views.write_off_debt, name="write_off_debt"),
    path(CLAIM + "purring/", views.remind_claim, name="remind_claim"),
    path(ROUND + "oppgjor/", views.round_settlement, name="round_settlement"),
    path(ROUND + "oppgjor/tilbakeholdt/", views.set_withheld_share, name="set_withheld_share"),
    path(ROUND + "oppgjor.xlsx", views.round_settlement_export, name="round_settlement_export"),
]
