"""The demo's money after the award (issue 12): three kommuner of Trøndelag 2025 whose reports are approved.

- Levanger carried 80 000 kr over to 2026 (a first carry-over, approved by rule): it shows as
  "overførte midler" on the 2026 round's page.
- Verdal carried 120 000 kr over to 2026, used 40 000 kr of it and asks to carry the remaining
  80 000 kr over once more: the further carry-over waits for the office's individual assessment.
- Stjørdal did not use 60 000 kr and chose to repay it: the office sent a claim, 25 000 kr are repaid.

Everything goes through the same services as the pages, so the case log tells the story.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tilskudd.accounts.models import User
from tilskudd.decisions import issuing
from tilskudd.decisions.models import Decision
from tilskudd.reporting import services as reporting
from tilskudd.settlement import services as settlement

DEMO_ACCOUNT = "76940512057"  # MOD11-valid, demo data: not the office's real account
RECIPIENT_ACCOUNT = "12345678903"  # MOD11-valid, demo data
SETTLED = {"5037": (80_000, "carry_over"), "5038": (120_000, "carry_over"), "5035": (60_000, "repay")}


def _report(decision: Decision, signer: User, officer: User, unused: int, choice: str) -> None:
    """The recipient reports every line as done, with ``unused`` kroner left on its first line; the office approves."""
    obligation = decision.report_obligation
    values = {}
    for position, line in enumerate(obligation.lines.order_by("rank", "pk")):
        left = min(unused, line.granted) if position == 0 else 0
        value = {"used": line.granted - left, "unused": left}
        if left:
            value |= {
                "unused_choice": choice,
                "carry_over_reason": "Kullet startet i januar i stedet for august; kurset går ut våren."
                if choice == "carry_over"
                else "",
            }
        if line.kind == "competence":
            value |= {"completed": 4, "in_education": 2, "dropped_out": 0}
        elif line.kind == "bpa":
            value |= {
                "bpa_training_type": "work_leaders",
                "work_leaders_trained": 6,
                "case_workers_trained": 2,
                "assistants_trained": 10,
            }
        else:
            value |= {
                "innovation_status": "ongoing",
                "results": "Færre uplanlagte innleggelser i første kvartal.",
                "sharing": "Lagt fram på regionalt nettverksmøte.",
            }
        values[line.pk] = value
    reporting.update_report(obligation=obligation, by=signer, values=values)
    pdf = SimpleUploadedFile("revisoruttalelse.pdf", b"%PDF-1.4\n% demo\n", content_type="application/pdf")
    reporting.add_report_attachment(obligation=obligation, by=signer, upload=pdf)
    reporting.submit_report(obligation=obligation, by=signer)
    reporting.approve_report(obligation=obligation, by=officer)


def load_demo_settlement(decisions: dict[str, Decision], signers: dict[str, User]) -> None:
    """``decisions``/``signers`` by kommunenummer, for the kommuner in ``SETTLED``."""
    officer = User.objects.get(username="saksbehandler")
    for number, (unused, choice) in SETTLED.items():
        decision = decisions[number]
        issuing.accept(decision=decision, by=signers[number], account_number=RECIPIENT_ACCOUNT)
        issuing.record_payment(
            decision=decision,
            by=officer,
            paid_on=timezone.localdate(decision.approved_at),
            amount=decision.granted,
        )
        _report(decisions[number], signers[number], officer, unused, choice)
    # Verdal: 40 000 used of the carried 120 000; asks to carry 80 000 over once more
    verdal = decisions["5038"]
    settlement.report_carried_money(
        carry_over=verdal.carry_overs.get(),
        by=signers["5038"],
        used=40_000,
        carry_again=True,
        reason="Byggingen av velferdsteknologisenteret ble forsinket av leverandøren; "
        "opplæringen er avtalt for mars neste år.",
    )
    # Stjørdal: claim and a first part payment
    claim = settlement.send_claim(
        decision=decisions["5035"],
        by=officer,
        account_number=DEMO_ACCOUNT,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    settlement.record_repayment(claim=claim, by=officer, amount=25_000, paid_on=timezone.localdate())
