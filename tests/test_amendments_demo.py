"""The demo's change request (issue 12, "done when"): Steinkjer moved 50 000 kr between two measures of its
2025 award in October; the office approved it; the amended lines appear in its report form."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tilskudd.accounts.models import User
from tilskudd.amendments.models import ChangeState
from tilskudd.domain.ledger import Account
from tilskudd.domain.money import format_kroner
from tilskudd.reporting.models import ReportObligation
from tilskudd.settlement.services import ledger_of

pytestmark = pytest.mark.django_db


def test_R13_the_demo_has_an_approved_change_of_50_000_kr_that_the_report_form_shows(reference_data, client):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # idempotent: still one change
    stine = User.objects.get(username="steinkjer")
    obligation = ReportObligation.objects.get(organisation=stine.organisation, round__year=2025)
    decision = obligation.decision
    change = decision.change_requests.get()
    assert change.state == ChangeState.APPROVED and change.granted_amount == 50_000
    assert change.prepared_by.username == "saksbehandler" and change.decided_by.username == "godkjenner"
    assert change.amendment.letter.read().startswith(b"%PDF")
    current = ledger_of(decision)
    assert current.totals[Account.UNSETTLED] == decision.granted
    report = {line.decision_line_id: line.granted for line in obligation.lines.all()}
    assert report[change.line_id] == change.line.granted - 50_000
    assert report[change.to_line_id] == change.to_line.granted + 50_000
    client.force_login(stine)
    page = client.get(reverse("reporting:report_obligation", args=[obligation.pk])).content.decode()
    assert format_kroner(change.to_line.granted + 50_000) in page
    client.force_login(User.objects.get(username="saksbehandler"))
    listing = client.get(reverse("amendments:round_changes", args=[obligation.round_id])).content.decode()
    assert "Steinkjer" in listing and "Godkjent" in listing
