"""SPEC "Record keeping": every write records who, when, what changed and why, in one case log.

The walk below lists every public function of every service module. A function that
writes must have a scenario here that calls it and sees both a write and a new log
entry; a function added later without one makes the classification test fail.
"""

import inspect
from datetime import timedelta
from importlib import import_module

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_application, make_round, past_deadline, submitted_application
from tests.helpers import app_code
from tilskudd.accounts import twofactor
from tilskudd.api import services as api_tokens
from tilskudd.applications import services as applications
from tilskudd.applications.models import Line
from tilskudd.archive import services as archive
from tilskudd.assessment import services as assessment
from tilskudd.caselog.log import NotInTransaction, record
from tilskudd.caselog.models import Entry
from tilskudd.caselog.selectors import entries_for, entries_for_round
from tilskudd.decisions import issuing, repair
from tilskudd.decisions import services as decisions
from tilskudd.decisions.models import Decision
from tilskudd.organisations import services as organisations
from tilskudd.publication import services as publication
from tilskudd.reporting import services as reporting
from tilskudd.rounds import events as round_events
from tilskudd.rounds import services as rounds
from tilskudd.settlement import services as settlement

pytestmark = pytest.mark.django_db

SERVICE_MODULES = [
    "tilskudd.organisations.services",
    "tilskudd.rounds.services",
    "tilskudd.applications.services",
    "tilskudd.assessment.services",
    "tilskudd.decisions.services",
    "tilskudd.decisions.issuing",
    "tilskudd.decisions.repair",
    "tilskudd.publication.services",
    "tilskudd.api.services",
    "tilskudd.reporting.services",
    "tilskudd.settlement.services",
    "tilskudd.archive.services",
]

# Functions of those modules that only read (or only check) and so record nothing.
READS = {
    "tilskudd.accounts.memberships.require_strength",
    "tilskudd.publication.services.scheme_text",
    "tilskudd.applications.services.check_extension_until",
    "tilskudd.applications.services.check_line_bounds",
    "tilskudd.archive.services.year_range",
    "tilskudd.decisions.issuing.payment_window",
    "tilskudd.decisions.issuing.acceptance_deadline_in_force",
    "tilskudd.decisions.issuing.acceptance_is_open",
    "tilskudd.rounds.services.check_round_bounds",
    "tilskudd.applications.services.check_own_office",
    "tilskudd.applications.services.submission_facts",
    "tilskudd.applications.services.submission_problems",
    "tilskudd.assessment.services.check_office_staff",
    "tilskudd.assessment.services.default_scenario",
    "tilskudd.assessment.services.line_priority",
    "tilskudd.assessment.services.proposal",
    "tilskudd.assessment.services.submitted_lines",
    "tilskudd.decisions.services.outcome_for",
    "tilskudd.decisions.services.call_closes",
    "tilskudd.decisions.services.check_call_closed",
    "tilskudd.decisions.services.call_is_open",
    "tilskudd.decisions.services.first_open_deadline",
    "tilskudd.decisions.issuing.letter_filename",
    "tilskudd.decisions.issuing.letters_pending",
    "tilskudd.decisions.issuing.paid_total",
    "tilskudd.reporting.services.due_for",
    "tilskudd.settlement.services.ledger_of",
    "tilskudd.settlement.services.movement_of",
    "tilskudd.settlement.services.claim_outstanding",
    "tilskudd.settlement.services.unclaimed",
    "tilskudd.settlement.services.held_back",
    "tilskudd.settlement.services.not_to_be_paid",
    "tilskudd.settlement.services.withheld_share",
    "tilskudd.reporting.services.required_attachment",
    "tilskudd.reporting.services.submission_gaps",
}


def _closed_round(cast, **fields):
    """A round whose deadline has passed, with Trondheim's application submitted before it."""
    round = make_round(
        cast.office_t, deadline=timezone.now() + timedelta(days=1), carried_over_funds=0, **fields
    )
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    round.application_deadline = past_deadline()
    round.save(update_fields=["application_deadline"])
    return round, application


def _decided(cast, *, approve=True):
    round, application = _closed_round(cast)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    decision = Decision.objects.get(application=application)
    if approve:
        decision = decisions.approve(decision=decision, by=cast.approver_t)
    return decision


def _pdf(name="budsjett.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 budsjett", content_type="application/pdf")


def _draft(cast):
    return make_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)


def _override(cast):
    round, application = _closed_round(cast)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    line = application.lines.first()
    return assessment.set_override(
        round=round, scenario_id=scenario.pk, line=line, by=cast.officer_t, amount=1, reason="Skjønn"
    )


def _revoking(cast):
    token, _secret = api_tokens.create_token(user=cast.signer_a, name="Sak", scope="read", days=30)
    return lambda: api_tokens.revoke_token(token=token, by=cast.signer_a)


# Each scenario sets up what it needs and returns the write to watch.
WRITES = {
    "tilskudd.api.services.create_token": lambda cast: (
        lambda: api_tokens.create_token(user=cast.signer_a, name="Sak", scope="read", days=30)
    ),
    "tilskudd.api.services.revoke_token": lambda cast: _revoking(cast),
    "tilskudd.organisations.services.apply_register_details": lambda cast: (
        lambda: organisations.apply_register_details(
            organisation=cast.kommune_a,
            organisasjonsnummer="942110464",
            postal_address="Postboks 2300 Torgarden",
            postal_code="7004",
            postal_town="TRONDHEIM",
            source="Enhetsregisteret",
        )
    ),
    "tilskudd.organisations.services.update_organisation_details": lambda cast: (
        lambda: organisations.update_organisation_details(
            organisation=cast.kommune_a, by=cast.signer_a, organisasjonsnummer="", written_language="nn"
        )
    ),
    "tilskudd.rounds.services.create_round": lambda cast: (
        lambda: rounds.create_round(
            by=cast.officer_t,
            data={
                "year": 2040,
                "application_deadline": timezone.now() + timedelta(days=30),
                "fresh_funds": 1_000_000,
                "carried_over_funds": 0,
                "call_text": "Utlysning",
            },
        )
    ),
    "tilskudd.rounds.services.update_round": lambda cast: (
        lambda round: lambda: rounds.update_round(round=round, by=cast.officer_t, data={"fresh_funds": 5})
    )(make_round(cast.office_t)),
    "tilskudd.rounds.services.publish_round": lambda cast: (
        lambda round: lambda: rounds.publish_round(round=round, by=cast.officer_t)
    )(make_round(cast.office_t, published=False)),
    "tilskudd.rounds.services.add_earmark": lambda cast: (
        lambda round: (
            lambda: rounds.add_earmark(
                round=round,
                by=cast.officer_t,
                name="Avlastning",
                amount=100,
                line_kinds=[],
                themes=["respite"],
            )
        )
    )(make_round(cast.office_t)),
    "tilskudd.rounds.services.remove_earmark": lambda cast: (
        lambda earmark: lambda: rounds.remove_earmark(earmark=earmark, by=cast.officer_t)
    )(
        rounds.add_earmark(
            round=make_round(cast.office_t),
            by=cast.officer_t,
            name="Pott",
            amount=1,
            line_kinds=[],
            themes=[],
        )
    ),
    "tilskudd.applications.services.start_application": lambda cast: (
        lambda round: (
            lambda: applications.start_application(round=round, organisation=cast.kommune_a, by=cast.signer_a)
        )
    )(make_round(cast.office_t)),
    "tilskudd.applications.services.update_application": lambda cast: (
        lambda application: (
            lambda: applications.update_application(
                application=application, by=cast.signer_a, data={"contact_phone": "99999999"}
            )
        )
    )(_draft(cast)),
    "tilskudd.applications.services.add_line": lambda cast: (
        lambda application: (
            lambda: applications.add_line(application=application, by=cast.signer_a, kind="bpa")
        )
    )(_draft(cast)),
    "tilskudd.applications.services.update_line": lambda cast: (
        lambda line: (
            lambda: applications.update_line(line=line, by=cast.signer_a, data={"employees_count": 9})
        )
    )(_draft(cast).lines.first()),
    "tilskudd.applications.services.remove_line": lambda cast: (
        lambda line: lambda: applications.remove_line(line=line, by=cast.signer_a)
    )(_draft(cast).lines.first()),
    "tilskudd.applications.services.cancel_new_line": lambda cast: (
        lambda line: lambda: applications.cancel_new_line(line=line, by=cast.signer_a)
    )(applications.add_line(application=_draft(cast), by=cast.signer_a, kind="bpa")),
    "tilskudd.applications.services.move_line": lambda cast: (
        lambda application: (
            lambda: applications.move_line(line=application.lines.last(), by=cast.signer_a, up=True)
        )
    )(
        make_application(
            make_round(cast.office_t), cast.kommune_a, by=cast.signer_a, kinds=("competence", "bpa")
        )
    ),
    "tilskudd.applications.services.add_attachment": lambda cast: (
        lambda application: (
            lambda: applications.add_attachment(application=application, by=cast.signer_a, upload=_pdf())
        )
    )(_draft(cast)),
    "tilskudd.applications.services.remove_attachment": lambda cast: (
        lambda application: (
            lambda: applications.remove_attachment(
                attachment=applications.add_attachment(
                    application=application, by=cast.signer_a, upload=_pdf()
                ),
                by=cast.signer_a,
            )
        )
    )(_draft(cast)),
    "tilskudd.applications.services.share_with_office": lambda cast: (
        lambda application: (
            lambda: applications.share_with_office(application=application, by=cast.signer_a, shared=True)
        )
    )(_draft(cast)),
    "tilskudd.applications.services.submit": lambda cast: (
        lambda application: lambda: applications.submit(application=application, by=cast.signer_a)
    )(_draft(cast)),
    "tilskudd.applications.services.grant_extension": lambda cast: (
        lambda round: (
            lambda: applications.grant_extension(
                round=round,
                organisation=cast.kommune_a,
                by=cast.officer_t,
                until=round.application_deadline + timedelta(days=3),
                reason="Sykdom",
            )
        )
    )(make_round(cast.office_t)),
    "tilskudd.assessment.services.save_kommune_record": lambda cast: (
        lambda round: (
            lambda: assessment.save_kommune_record(
                round=round,
                organisation=cast.kommune_a,
                by=cast.officer_t,
                leve_hele_livet="fulfils",
                needs_qualification=True,
                note="",
            )
        )
    )(make_round(cast.office_t)),
    "tilskudd.assessment.services.assess_line": lambda cast: (
        lambda line: (
            lambda: assessment.assess_line(
                line=line,
                by=cast.officer_t,
                data={"eligible": False, "ineligible_reason": "Drift"},
                version=0,
            )
        )
    )(_closed_round(cast)[1].lines.first()),
    "tilskudd.assessment.services.create_scenario": lambda cast: (
        lambda round: lambda: assessment.create_scenario(round=round, by=cast.officer_t, name="Maks 40 %")
    )(make_round(cast.office_t)),
    "tilskudd.assessment.services.saved_scenario": lambda cast: (
        lambda round: lambda: assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    )(make_round(cast.office_t)),
    "tilskudd.assessment.services.set_override": lambda cast: (
        lambda round_application: (
            lambda: assessment.set_override(
                round=round_application[0],
                scenario_id=None,
                line=round_application[1].lines.first(),
                by=cast.officer_t,
                amount=10,
                reason="Skjønn",
            )
        )
    )(_closed_round(cast)),
    "tilskudd.assessment.services.remove_override": lambda cast: (
        lambda override: lambda: assessment.remove_override(override=override, by=cast.officer_t)
    )(_override(cast)),
    "tilskudd.decisions.services.prepare_decisions": lambda cast: (
        lambda round: (
            lambda: decisions.prepare_decisions(
                proposal=assessment.proposal(
                    assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
                ),
                by=cast.officer_t,
            )
        )
    )(_closed_round(cast)[0]),
    "tilskudd.decisions.services.approve": lambda cast: (
        lambda decision: lambda: decisions.approve(decision=decision, by=cast.approver_t)
    )(_decided(cast, approve=False)),
    "tilskudd.decisions.services.approve_round": lambda cast: (
        lambda decision: lambda: decisions.approve_round(round=decision.application.round, by=cast.approver_t)
    )(_decided(cast, approve=False)),
    "tilskudd.decisions.issuing.issue_letter": lambda cast: (
        lambda decision: lambda: issuing.issue_letter(decision)
    )(_decided(cast)),
    "tilskudd.decisions.issuing.notify_decision": lambda cast: (
        lambda decision: (lambda letter: lambda: issuing.notify_decision(letter))(
            _letter_without_notice(decision)
        )
    )(_decided(cast)),
    "tilskudd.archive.services.start_extraction": lambda cast: (
        lambda decision: lambda: archive.start_extraction(round=decision.application.round, by=cast.officer_t)
    )(_decided(cast)),
    "tilskudd.archive.services.start_range_extraction": lambda cast: (
        lambda decision: (
            lambda: archive.start_range_extraction(
                office=cast.office_t,
                by=cast.officer_t,
                year_from=decision.application.round.year,
                year_to=decision.application.round.year,
            )
        )
    )(_decided(cast)),
    "tilskudd.decisions.issuing.start_letter_batch": lambda cast: (
        lambda decision: (
            lambda: issuing.start_letter_batch(round=decision.application.round, by=cast.officer_t)
        )
    )(_decided(cast)),
    "tilskudd.decisions.issuing.accept": lambda cast: (
        lambda decision: (
            lambda: issuing.accept(decision=decision, by=cast.signer_a, account_number="12345678903")
        )
    )(_decided(cast)),
    "tilskudd.decisions.issuing.grant_acceptance_extension": lambda cast: (
        lambda decision: (
            lambda: issuing.grant_acceptance_extension(
                decision=decision,
                by=cast.officer_t,
                until=timezone.localdate() + timedelta(weeks=6),
                reason="Brevet kom bort",
            )
        )
    )(_decided(cast)),
    "tilskudd.decisions.repair.correct_line_amount": lambda cast: (
        lambda line: (
            lambda: repair.correct_line_amount(line=line, by=cast.admin, amount=50_000, reason="Tastefeil")
        )
    )(_closed_round(cast)[1].lines.get(kind="competence")),
    "tilskudd.publication.services.publish_scheme_text": lambda cast: (
        lambda: publication.publish_scheme_text(by=cast.national, data={"purpose": "Kompetent bemanning"})
    ),
    "tilskudd.publication.services.set_refusals_published": lambda cast: (
        lambda round: lambda: publication.set_refusals_published(round=round, by=cast.officer_t, publish=True)
    )(_decided(cast).application.round),
    "tilskudd.decisions.issuing.record_payment": lambda cast: (
        lambda decision: (
            lambda: issuing.record_payment(
                decision=decision, by=cast.officer_t, paid_on=timezone.localdate(), amount=1
            )
        )
    )(_accepted(cast)),
    # Reporting (R11): the recipient's writes and the office's.
    "tilskudd.reporting.services.create_obligation": lambda cast: (
        lambda decision: (
            lambda: (
                decision.report_obligation.lines.all().delete(),
                type(decision.report_obligation).objects.filter(pk=decision.report_obligation.pk).delete(),
                reporting.create_obligation(decision=decision),
            )
        )
    )(_decided(cast)),
    "tilskudd.reporting.services.update_report": lambda cast: (
        lambda obligation: (
            lambda: reporting.update_report(
                obligation=obligation,
                by=cast.signer_a,
                values={obligation.lines.get(kind="competence").pk: {"completed": 2}},
            )
        )
    )(_obligation(cast)),
    "tilskudd.reporting.services.import_workbook": lambda cast: (
        lambda obligation: (
            lambda: reporting.import_workbook(
                obligation=obligation,
                by=cast.signer_a,
                upload=SimpleUploadedFile("rapport.xlsx", _filled_workbook(obligation)),
            )
        )
    )(_obligation(cast)),
    "tilskudd.reporting.services.add_report_attachment": lambda cast: (
        lambda obligation: (
            lambda: reporting.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf())
        )
    )(_obligation(cast)),
    "tilskudd.reporting.services.remove_report_attachment": lambda cast: (
        lambda obligation: (
            lambda attachment: (
                lambda: reporting.remove_report_attachment(attachment=attachment, by=cast.signer_a)
            )
        )(reporting.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf()))
    )(_obligation(cast)),
    "tilskudd.reporting.services.submit_report": lambda cast: (
        lambda obligation: lambda: reporting.submit_report(obligation=obligation, by=cast.signer_a)
    )(_complete_report(cast)),
    "tilskudd.reporting.services.approve_report": lambda cast: (
        lambda obligation: lambda: reporting.approve_report(obligation=obligation, by=cast.approver_t)
    )(_submitted_report(cast)),
    "tilskudd.reporting.services.return_report": lambda cast: (
        lambda obligation: (
            lambda: reporting.return_report(obligation=obligation, by=cast.officer_t, reason="Tall mangler")
        )
    )(_submitted_report(cast)),
    "tilskudd.reporting.services.register_paper_report": lambda cast: (
        lambda obligation: (
            lambda: reporting.register_paper_report(
                obligation=obligation, by=cast.officer_t, received_on=timezone.localdate(), note="Per post"
            )
        )
    )(_obligation(cast)),
    "tilskudd.reporting.services.write_off": lambda cast: (
        lambda obligation: (
            lambda: reporting.write_off(obligation=obligation, by=cast.officer_t, reason="Sammenslått")
        )
    )(_obligation(cast)),
    # After the award (R12, R14).
    "tilskudd.settlement.services.settle_from_report": lambda cast: (
        lambda obligation: lambda: settlement.settle_from_report(obligation=obligation, by=cast.officer_t)
    )(_approved_without_booking(cast)),
    "tilskudd.settlement.services.refuse_carry_over": lambda cast: (
        lambda carry: (
            lambda: settlement.refuse_carry_over(carry_over=carry, by=cast.officer_t, reason="Avsluttet")
        )
    )(_carried(cast)),
    "tilskudd.settlement.services.report_carried_money": lambda cast: (
        lambda carry: (
            lambda: settlement.report_carried_money(
                carry_over=carry, by=cast.signer_a, used=10_000, carry_again=False
            )
        )
    )(_carried(cast)),
    "tilskudd.settlement.services.assess_further_carry_over": lambda cast: (
        lambda carry: (
            lambda: settlement.assess_further_carry_over(
                carry_over=carry, by=cast.officer_t, approve=True, delay="Pandemien", likelihood="Sannsynlig"
            )
        )
    )(
        settlement.report_carried_money(
            carry_over=_carried(cast), by=cast.signer_a, used=0, carry_again=True, reason="Forsinket"
        )
    ),
    "tilskudd.settlement.services.set_withheld_share": lambda cast: (
        lambda: settlement.set_withheld_share(
            round=make_round(cast.office_t, year=2033), by=cast.officer_t, percent=25
        )
    ),
    "tilskudd.settlement.services.send_claim": lambda cast: (
        lambda decision: (
            lambda: settlement.send_claim(decision=decision, by=cast.officer_t, account_number="12345678903")
        )
    )(_owing(cast)),
    "tilskudd.settlement.services.record_repayment": lambda cast: (
        lambda claim: (
            lambda: settlement.record_repayment(
                claim=claim, by=cast.officer_t, amount=1_000, paid_on=timezone.localdate()
            )
        )
    )(_claim(cast)),
    "tilskudd.settlement.services.write_off_debt": lambda cast: (
        lambda claim: (
            lambda: settlement.write_off_debt(claim=claim, by=cast.officer_t, amount=1_000, reason="Bagatell")
        )
    )(_claim(cast)),
    "tilskudd.settlement.services.remind_claim": lambda cast: (
        lambda claim: (
            type(claim).objects.filter(pk=claim.pk).update(due_on=timezone.localdate() - timedelta(days=1)),
            lambda: settlement.remind_claim(claim=claim, by=cast.officer_t),
        )[1]
    )(_claim(cast)),
}


def _approved_without_booking(cast):
    """A report approved as the approval would, without the approval's own booking (which this walks)."""
    obligation = _submitted_report(cast)
    type(obligation).objects.filter(pk=obligation.pk).update(
        approved_at=timezone.now(), approved_by=cast.officer_t
    )
    obligation.refresh_from_db()
    return obligation


def _carried(cast):
    from tests.test_settlement import reported

    year = timezone.localdate().year - 1  # carried into this year, so it can be accounted for
    return reported(cast, unused={0: (50_000, "carry_over")}, year=year).carry_overs.get()


def _owing(cast):
    from tests.test_settlement import reported

    return reported(cast, unused={0: (50_000, "repay")})


def _claim(cast):
    return settlement.send_claim(decision=_owing(cast), by=cast.officer_t, account_number="12345678903")


def _obligation(cast):
    return _decided(cast).report_obligation


def _filled_workbook(obligation) -> bytes:
    from tests.test_reporting_workbook import filled

    return filled(obligation)


def _complete_report(cast):
    from tests.test_reporting import fill

    obligation = _obligation(cast)
    fill(obligation, cast.signer_a)
    reporting.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf())
    return obligation


def _submitted_report(cast):
    obligation = _complete_report(cast)
    return reporting.submit_report(obligation=obligation, by=cast.signer_a)[0]


def _letter_without_notice(decision):
    letter = issuing.issue_letter(decision)
    type(letter).objects.filter(pk=letter.pk).update(notified_at=None, sending_since=None)
    letter.refresh_from_db()
    return letter


def _accepted(cast):
    decision = _decided(cast)
    issuing.accept(decision=decision, by=cast.signer_a, account_number="12345678903")
    return decision


# --- Change requests (R13) ---------------------------------------------------------------------------

SERVICE_MODULES.append("tilskudd.amendments.services")


def _change_request(cast, kind="move"):
    return _ask(cast, _decided(cast), kind)


def _ask(cast, decision, kind):
    from datetime import datetime

    from tilskudd.amendments import services as amendments
    from tilskudd.domain.deadlines import OSLO

    lines = {line.kind: line for line in decision.lines.filter(granted__gt=0)}
    extra = (
        {"to_line": lines["competence"], "amount": 10_000}
        if kind == "move"
        else {"new_title": "Bachelor i sykepleie"}
    )
    return amendments.request_change(
        decision=decision,
        by=cast.signer_a,
        kind=kind,
        line=lines["innovation"] if kind == "move" else lines["competence"],
        reason="Behovet har endret seg",
        now=datetime(2027, 10, 15, 12, tzinfo=OSLO),
        **extra,
    )


def _prepared_change(cast):
    from tilskudd.amendments import services as amendments

    change = _change_request(cast)
    amendments.prepare_change(change=change, by=cast.officer_t, amount=10_000)
    return change


def _amendments():
    from tilskudd.amendments import services as amendments

    return amendments


WRITES.update(
    {
        "tilskudd.amendments.services.open_window": lambda cast: (
            lambda decision: (
                lambda: _amendments().open_window(
                    round=decision.application.round,
                    organisation=cast.kommune_a,
                    by=cast.officer_t,
                    opens=timezone.localdate(),
                    closes=timezone.localdate() + timedelta(days=7),
                    reason="Haster",
                )
            )
        )(_decided(cast)),
        "tilskudd.amendments.services.request_change": lambda cast: (
            lambda decision: lambda: _ask(cast, decision, "content")
        )(_decided(cast)),
        "tilskudd.amendments.services.prepare_change": lambda cast: (
            lambda change: (
                lambda: _amendments().prepare_change(change=change, by=cast.officer_t, amount=10_000)
            )
        )(_change_request(cast)),
        "tilskudd.amendments.services.return_change": lambda cast: (
            lambda change: (
                lambda: _amendments().return_change(change=change, by=cast.approver_t, reason="Sjekk")
            )
        )(_prepared_change(cast)),
        "tilskudd.amendments.services.refuse_change": lambda cast: (
            lambda change: lambda: _amendments().refuse_change(change=change, by=cast.officer_t, reason="Nei")
        )(_change_request(cast)),
        "tilskudd.amendments.services.approve_change": lambda cast: (
            lambda change: lambda: _amendments().approve_change(change=change, by=cast.approver_t)
        )(_prepared_change(cast)),
    }
)


# --- A person's logins (issue 16) ------------------------------------------------------------------

SERVICE_MODULES.append("tilskudd.logins.services")


def _logins():
    from tilskudd.logins import services as logins

    return logins


def _login(user):
    from tests.test_logins import make_login

    return make_login(user)


# --- Logins through ID-porten / Ansattporten (issue 16) -----------------------------------------------

SERVICE_MODULES.append("tilskudd.identity.services")


def _provider_login(subject="sub-kari"):
    from tilskudd.identity.services import Login

    return Login(
        issuer="https://idporten.no", subject=subject, provider="idporten", acr="idporten-loa-substantial"
    )


def _identity():
    from tilskudd.identity import services as identity

    return identity


SERVICE_MODULES.append("tilskudd.accounts.twofactor")
READS |= {
    "tilskudd.accounts.twofactor.new_secret",
    "tilskudd.accounts.twofactor.is_secret",
    "tilskudd.accounts.twofactor.secret_for_typing",
    "tilskudd.accounts.twofactor.setup_url",
    "tilskudd.accounts.twofactor.has_second_factor",
    "tilskudd.accounts.twofactor.recovery_codes_left",
    "tilskudd.accounts.twofactor.clean_code",
}


def _two_step(cast):
    """Trondheim's signer with two-step login set up, logged in with it; returns them and their recovery codes."""
    key = twofactor.new_secret()
    _app, codes = twofactor.set_up(user=cast.signer_a, key=key, code=app_code(key))
    cast.signer_a.strong_login = True
    return cast.signer_a, codes


# --- People and their roles (issue 16) -------------------------------------------------------------

SERVICE_MODULES.extend(["tilskudd.accounts.memberships", "tilskudd.accounts.invitations"])
READS |= {
    "tilskudd.accounts.memberships.may_manage",
    "tilskudd.accounts.memberships.manageable_roles",
    "tilskudd.accounts.memberships.people_with",
    "tilskudd.accounts.memberships.people_at",
    "tilskudd.accounts.invitations.token_hash",
    "tilskudd.accounts.invitations.days_valid",
    "tilskudd.accounts.invitations.find",
    "tilskudd.accounts.invitations.inviter_in_force",
    "tilskudd.accounts.invitations.check_usable",
}
# Writes that are no one's decision and so have no entry of their own: ``sync`` keeps a person's
# columns in step with the roles in force (after a write that is logged, or on a request);
# ``record_initial*`` turn the role a new account was made with (the demo, the tests, the
# loaders) into its first membership.
BOOKKEEPING = {
    "tilskudd.accounts.memberships.sync",
    "tilskudd.accounts.memberships.record_initial",
    "tilskudd.accounts.memberships.record_initial_many",
}


def _people():
    from tilskudd.accounts import invitations, memberships

    return memberships, invitations


def _acting(user):
    from tilskudd.accounts.roles import apply

    return apply(type(user).objects.get(pk=user.pk))


def _newcomer(username="ny"):
    from tilskudd.accounts.models import User

    return User.objects.create(username=username, first_name="Ny", last_name="Kollega")


def _membership_of(user):
    from tilskudd.accounts.models import Membership

    return Membership.objects.get(user=user)


def _invitation(cast):
    return _people()[1].invite(
        by=_acting(cast.org_admin_a),
        email="ny@trondheim.example",
        role="applicant",
        organisation=cast.kommune_a,
        base_url="https://t.example",
    )


def _accepting(cast):
    invitation = _invitation(cast)
    token = "kjent-token"
    type(invitation).objects.filter(pk=invitation.pk).update(token_hash=_people()[1].token_hash(token))
    person = _newcomer()
    return lambda: _people()[1].accept(by=person, token=token)


def _auditor(cast):
    """Trondheim kommune's auditor (issue 16): the cast's."""
    return cast.auditor_a


WRITES.update(
    {
        "tilskudd.logins.services.end_login": lambda cast: (
            lambda login: lambda: _logins().end_login(login=login, by=cast.signer_a)
        )(_login(cast.signer_a)),
        "tilskudd.logins.services.end_other_logins": lambda cast: (
            lambda login: lambda: _logins().end_other_logins(user=cast.signer_a, by=cast.signer_a)
        )(_login(cast.signer_a)),
        "tilskudd.identity.services.create_user_at_login": lambda cast: (
            lambda: _identity().create_user_at_login(login=_provider_login())
        ),
        "tilskudd.identity.services.record_login": lambda cast: (
            lambda user: lambda: _identity().record_login(user=user, login=_provider_login())
        )(_identity().create_user_at_login(login=_provider_login())),
        "tilskudd.accounts.twofactor.set_up": lambda cast: (
            lambda key: lambda: twofactor.set_up(user=cast.signer_a, key=key, code=app_code(key))
        )(twofactor.new_secret()),
        "tilskudd.accounts.twofactor.new_recovery_codes": lambda cast: (
            lambda user: lambda: twofactor.new_recovery_codes(user=user)
        )(_two_step(cast)[0]),
        "tilskudd.accounts.twofactor.turn_off": lambda cast: (
            lambda user: lambda: twofactor.turn_off(user=user, password="correct horse battery staple")
        )(_two_step(cast)[0]),
        "tilskudd.accounts.twofactor.verify": lambda cast: (
            lambda found: lambda: twofactor.verify(user=found[0], code=found[1][0])
        )(_two_step(cast)),
        "tilskudd.accounts.memberships.grant": lambda cast: (
            lambda person: (
                lambda: _people()[0].grant(
                    by=_acting(cast.org_admin_a), user=person, role="applicant", organisation=cast.kommune_a
                )
            )
        )(_newcomer()),
        "tilskudd.accounts.memberships.end": lambda cast: (
            lambda: _people()[0].end(
                by=_acting(cast.org_admin_a), membership=_membership_of(cast.applicant_a)
            )
        ),
        "tilskudd.accounts.memberships.change": lambda cast: (
            lambda: _people()[0].change(
                by=_acting(cast.org_admin_a), membership=_membership_of(cast.applicant_a), role="signer"
            )
        ),
        "tilskudd.accounts.memberships.set_last_day": lambda cast: (
            lambda: _people()[0].set_last_day(
                by=_acting(cast.org_admin_a),
                membership=_membership_of(cast.applicant_a),
                valid_until=timezone.localdate() + timedelta(days=30),
            )
        ),
        "tilskudd.accounts.invitations.invite": lambda cast: lambda: _invitation(cast),
        "tilskudd.accounts.invitations.resend": lambda cast: (
            lambda invitation: (
                lambda: _people()[1].resend(
                    by=_acting(cast.org_admin_a), invitation=invitation, base_url="https://t.example"
                )
            )
        )(_invitation(cast)),
        "tilskudd.accounts.invitations.withdraw": lambda cast: (
            lambda invitation: (
                lambda: _people()[1].withdraw(by=_acting(cast.org_admin_a), invitation=invitation)
            )
        )(_invitation(cast)),
        "tilskudd.accounts.invitations.accept": _accepting,
        "tilskudd.reporting.services.add_auditor_statement": lambda cast: (
            lambda obligation, auditor: (
                lambda: reporting.add_auditor_statement(obligation=obligation, by=auditor, upload=_pdf())
            )
        )(_obligation(cast), _auditor(cast)),
        "tilskudd.reporting.services.confirm_auditor_statement": lambda cast: (
            lambda attachment, auditor: (
                lambda: reporting.confirm_auditor_statement(attachment=attachment, by=auditor)
            )
        )(
            reporting.add_report_attachment(obligation=_obligation(cast), by=cast.signer_a, upload=_pdf()),
            _auditor(cast),
        ),
    }
)


def _public_functions():
    found = set()
    for name in SERVICE_MODULES:
        module = import_module(name)
        for attr, value in vars(module).items():
            if inspect.isfunction(value) and value.__module__ == name and not attr.startswith("_"):
                found.add(f"{name}.{attr}")
    return found


def test_every_service_function_is_walked_or_known_to_only_read():
    unclassified = _public_functions() - set(WRITES) - READS - BOOKKEEPING
    assert not unclassified, f"add a scenario to WRITES (or the name to READS) for: {sorted(unclassified)}"
    assert not (set(WRITES) | READS | BOOKKEEPING) - _public_functions(), (
        "WRITES, READS or BOOKKEEPING names a function that is gone"
    )


def _writes(queries) -> list[str]:
    verbs = ("INSERT", "UPDATE", "DELETE")
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(verbs) and "caselog_entry" not in q["sql"]
    ]


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_service_that_writes_records_it_in_the_case_log(cast, mailoutbox, name):
    act = WRITES[name](cast)
    before = Entry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        act()
    assert _writes(queries), f"{name}: the scenario wrote nothing, so it proves nothing"
    assert Entry.objects.count() > before, f"{name} wrote without recording in the case log"


def test_record_refuses_to_run_outside_the_changes_transaction(cast, django_db_blocker):
    with pytest.raises(NotInTransaction):
        # pytest-django wraps each test in a transaction; leave it to be outside any atomic block
        connection.in_atomic_block, saved = False, connection.in_atomic_block
        try:
            record(cast.kommune_a, by=cast.signer_a, kind=round_events.ROUND_EDITED)
        finally:
            connection.in_atomic_block = saved


# --- What the log says, and to whom ------------------------------------------------------------


def test_officers_steps_appear_with_who_what_and_why_and_the_applicant_sees_none_before_approval(
    client_for, cast
):
    round, application = _closed_round(cast)
    rounds.update_round(round=round, by=cast.officer_t, data={"fresh_funds": 30_000_000})
    line = application.lines.get(kind="innovation")
    assessment.assess_line(
        line=line, by=cast.officer_t, data={"eligible": True, "recommended": 500_000}, version=0
    )
    scenario = assessment.create_scenario(round=round, by=cast.officer_t, name="Innovasjon maks 40 %")
    assessment.set_override(
        round=round, scenario_id=scenario.pk, line=line, by=cast.officer_t, amount=400_000, reason="Lite nytt"
    )
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)

    kinds = set(entries_for(application).values_list("kind", flat=True))
    assert {"assessed", "override_set", "decision_prepared"} <= kinds
    override = entries_for(application).get(kind="override_set")
    assert override.actor == cast.officer_t and override.reason == "Lite nytt"
    assert override.changes[0]["after"] == 400_000 and override.at
    round_log = entries_for_round(round.pk)
    edit = round_log.get(kind=round_events.ROUND_EDITED.code)
    assert edit.actor == cast.officer_t
    assert [c["field"] for c in edit.changes] == ["fresh_funds"] and edit.changes[0]["after"] == 30_000_000
    assert round_log.filter(kind="scenario_created", detail="Innovasjon maks 40 %").exists()

    url = reverse("applications:application_detail", args=[application.pk])
    officer_page = client_for(cast.officer_t).get(url).content.decode()
    assert "Lite nytt" in officer_page and "Vedtak forberedt" in officer_page
    applicant_page = client_for(cast.signer_a).get(url).content.decode()
    for internal in ("Lite nytt", "Vedtak forberedt", "Tiltak vurdert", "500 000"):
        assert internal not in applicant_page, internal
    assert "Sendt inn" in applicant_page

    decision = Decision.objects.get(application=application)
    decisions.approve(decision=decision, by=cast.approver_t)
    approval = entries_for(application).get(kind="decision_approved")
    assert approval.actor == cast.approver_t and "Innovasjon maks 40 %" in approval.reason
    assert "Vedtak godkjent" in client_for(cast.signer_a).get(url).content.decode()


def test_an_applicants_edit_records_what_changed_every_time(cast):
    application = _draft(cast)
    applications.update_application(application=application, by=cast.signer_a, data={"contact_phone": "1"})
    applications.update_application(application=application, by=cast.signer_a, data={"contact_phone": "2"})
    applications.update_application(application=application, by=cast.signer_a, data={"contact_phone": "2"})
    edits = list(entries_for(application).filter(kind="edited", changes__isnull=False).order_by("pk"))
    phones = [(c["before"], c["after"]) for e in edits for c in e.changes if c["field"] == "contact_phone"]
    assert phones[-2:] == [("12345678", "1"), ("1", "2")]  # and the save that changed nothing is not logged


def test_the_round_page_shows_the_rounds_log(client_for, cast):
    round = make_round(cast.office_t)
    rounds.add_earmark(
        round=round, by=cast.officer_t, name="Avlastningspotten", amount=1_000, line_kinds=[], themes=[]
    )
    client = client_for(cast.officer_t)
    page = client.get(reverse("rounds:round_manage", args=[round.pk])).content.decode()
    log_url = reverse("rounds:round_log", args=[round.pk])
    # the log sits in a closed <details>: its entries are fetched when it is opened, or on their own page
    assert f'hx-get="{log_url}"' in page and f'href="{log_url}"' in page
    assert "Avlastningspotten" not in page
    opened = client.get(log_url, headers={"HX-Request": "true"}).content.decode()
    assert "Øremerket pott lagt til" in opened and "Avlastningspotten" in opened
    assert "<html" not in opened  # a fragment for the round page
    without_js = client.get(log_url).content.decode()
    assert (
        "<html" in without_js
        and "Øremerket pott lagt til" in without_js
        and "Avlastningspotten" in without_js
    )


def test_existing_events_survive_the_move_to_the_case_log(cast):
    """The migration copied applications.Event rows; new code reads them from caselog.Entry only."""
    application = _draft(cast)
    assert entries_for(application).filter(kind="created").exists()
    assert Line.objects.filter(application=application).exists()
