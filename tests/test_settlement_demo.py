"""The demo's money after the award (issue 12), walked as the office and the kommuner would see it."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tilskudd.accounts.models import User
from tilskudd.domain.ledger import Account
from tilskudd.rounds.models import Round
from tilskudd.settlement.models import CarryOver, CarryOverState
from tilskudd.settlement.selectors import round_overview

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_first_carry_over_a_further_one_under_assessment_and_a_part_paid_claim(client):
    call_command("load_demo", verbosity=0)
    round = Round.objects.get(office__name="Statsforvalteren i Trøndelag", year=2025)
    overview = round_overview(round)
    rows = {row.organisation.kommunenummer: row for row in overview.rows}
    assert rows["5037"].accounts[Account.CARRIED] == 80_000  # Levanger: first carry-over
    verdal = CarryOver.objects.filter(decision=rows["5038"].decision).order_by("generation")
    assert [(c.generation, c.state) for c in verdal] == [
        (1, CarryOverState.APPROVED),
        (2, CarryOverState.REQUESTED),
    ]
    assert rows["5035"].accounts[Account.REPAID] == 25_000  # Stjørdal: partly repaid
    assert rows["5035"].outstanding == 35_000
    for row in rows.values():
        assert sum(row.accounts.values()) == row.granted
    assert overview.paid == sum(rows[n].granted for n in ("5035", "5037", "5038"))

    client.force_login(User.objects.get(username="saksbehandler"))
    next_round = Round.objects.get(office=round.office, year=2026)
    page = client.get(reverse("rounds:round_manage", args=[next_round.pk])).content.decode()
    assert 'id="carried-funds"' in page and "Levanger" in page
    settlement = client.get(reverse("settlement:round_settlement", args=[round.pk])).content.decode()
    assert "Stjørdal" in settlement and "35\u00a0000" in settlement
