"""Issue 13: the allocation page and the spreadsheet are kept per state of their inputs, never stale.

A round's proposal is cached under ``Round.inputs_version``, and its spreadsheet and the round
page's list of applications and figures by kind under ``Round.applications_version``
(tilskudd.rounds.versions). The walk below runs every service that
writes (tests/test_caselog.py's WRITES, which a new service must join) and a few more writes, and
computes, before and after each, every round's proposal under every scenario and every round's
spreadsheet rows from the database. Whatever changed, the round's fingerprint must have moved: a
service that changes an input and forgets to move it fails here, because the cache would then show
money from before the change.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_application, make_round, past_deadline, submitted_application
from tests.test_caselog import WRITES
from tilskudd.accounts.models import Role, User
from tilskudd.applications import services as applications
from tilskudd.applications.exports import round_application_rows, round_summary
from tilskudd.applications.selectors import listing_of
from tilskudd.assessment import services as assessment
from tilskudd.assessment.summary import summarise
from tilskudd.domain.money import format_kroner
from tilskudd.organisations.models import Organisation, OrganisationKind
from tilskudd.rounds import services as rounds
from tilskudd.rounds.models import Round

pytestmark = pytest.mark.django_db


def _open_round_with(cast, **fields):
    """An open round with Trondheim's application submitted."""
    round = make_round(cast.office_t, **fields)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    return round, application


def _shared_draft(cast, **fields):
    draft = make_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a, **fields)
    applications.share_with_office(application=draft, by=cast.signer_a, shared=True)
    return draft


def _renamed_by_the_administrator(cast):
    _open_round_with(cast)

    def rename():
        with transaction.atomic():  # as the admin saves
            organisation = Organisation.objects.get(pk=cast.kommune_a.pk)
            organisation.name = "Trondheim kommune (ny)"
            organisation.save()

    return rename


def _kommune_record_of_an_applicant(cast):
    round, _application = _open_round_with(cast)
    return lambda: assessment.save_kommune_record(
        round=round,
        organisation=cast.kommune_a,
        by=cast.officer_t,
        leve_hele_livet="fulfils",
        needs_qualification=True,
        note="",
    )


def _earmark_used_by_lines(cast):
    round, _application = _open_round_with(cast)
    return lambda: rounds.add_earmark(
        round=round, by=cast.officer_t, name="Kompetanse", amount=10_000, line_kinds=["competence"], themes=[]
    )


def _override(scenario, application, cast):
    return assessment.set_override(
        round=scenario.round,
        scenario_id=scenario.pk,
        line=application.lines.first(),
        by=cast.officer_t,
        amount=5,
        reason="Skjønn",
    )


def _withdrawn_override_in_a_second_scenario(cast):
    round, application = _open_round_with(cast)
    assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    override = _override(
        assessment.create_scenario(round=round, by=cast.officer_t, name="Maks"), application, cast
    )
    return lambda: assessment.remove_override(override=override, by=cast.officer_t)


def _override_in_a_saved_scenario(cast):
    round, application = _open_round_with(cast)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    return lambda: _override(scenario, application, cast)


def _shared_draft_line_edited(cast):
    line = _shared_draft(cast).lines.first()
    return lambda: applications.update_line(line=line, by=cast.signer_a, data={"title": "Nytt navn"})


def _shared_draft_contact_edited(cast):
    draft = _shared_draft(cast)
    return lambda: applications.update_application(
        application=draft, by=cast.signer_a, data={"contact_name": "Ny Kontakt"}
    )


def _shared_draft_lines_reordered(cast):
    draft = _shared_draft(cast, kinds=("competence", "bpa"))
    return lambda: applications.move_line(line=draft.lines.last(), by=cast.signer_a, up=True)


# Writes whose inputs the service scenarios above do not reach with data that shows them.
MORE = {
    "a shared draft's line edited": _shared_draft_line_edited,
    "a shared draft's contact edited": _shared_draft_contact_edited,
    "a shared draft's lines reordered": _shared_draft_lines_reordered,
    "an organisation renamed by the administrator": _renamed_by_the_administrator,
    "a kommune record of an applicant": _kommune_record_of_an_applicant,
    "an earmark the lines draw on": _earmark_used_by_lines,
    "an override removed in a second scenario": _withdrawn_override_in_a_second_scenario,
    "an override set in a saved scenario": _override_in_a_saved_scenario,
}

# Each of these must be seen to change the round page's list here, so the walk proves something for it.
ROUND_PAGE_MUST_CHANGE = {
    "tilskudd.applications.services.share_with_office",
    "tilskudd.applications.services.submit",
    "an organisation renamed by the administrator",
}

# Each of these must be seen to change a proposal or a spreadsheet here, so the walk proves something.
MUST_CHANGE = {
    "tilskudd.rounds.services.update_round": "proposal",
    "tilskudd.rounds.services.add_earmark": "proposal",
    "tilskudd.rounds.services.remove_earmark": "proposal",
    "tilskudd.applications.services.share_with_office": "spreadsheet",
    "tilskudd.applications.services.submit": "proposal",
    "tilskudd.assessment.services.assess_line": "proposal",
    "an override set in a saved scenario": "proposal",
    "tilskudd.assessment.services.remove_override": "proposal",
    "a shared draft's line edited": "spreadsheet",
    "a shared draft's contact edited": "spreadsheet",
    "a shared draft's lines reordered": "spreadsheet",
    "an organisation renamed by the administrator": "proposal",
    "a kommune record of an applicant": "proposal",
    "an earmark the lines draw on": "proposal",
    "an override removed in a second scenario": "proposal",
}


def _state() -> dict:
    """Every round's fingerprints, proposals (per scenario; 0 is the unsaved default) and spreadsheet."""
    state = {}
    for round in Round.objects.select_related("office"):
        scenarios = list(round.scenarios.all()) or [assessment.default_scenario(round)]
        proposals = {s.pk or 0: summarise(assessment.proposal(s)) for s in scenarios}
        sheet = (round_application_rows(round), round_summary(round), round.title)
        listings = tuple(listing_of(round, filters) for filters in LISTED)
        state[round.pk] = (round.inputs_version, round.applications_version, proposals, sheet, listings)
    return state


# The round page's list (tilskudd.applications.selectors.round_listing) as filtered in a few ways.
LISTED = ({}, {"status": "draft"}, {"kind": "innovation"}, {"theme": "respite"}, {"q": "trondheim"})


def _check(before: dict, after: dict) -> set[str]:
    """The kinds of view that changed; fails where one changed and its fingerprint stayed."""
    changed = set()
    for pk, (inputs, applications_version, proposals, sheet, listings) in before.items():
        if pk not in after:
            continue
        inputs_after, applications_after, proposals_after, sheet_after, listings_after = after[pk]
        if listings_after != listings:
            changed.add("round page")
            assert applications_after != applications_version, (
                f"round {pk}: the round page's list changed, its applications_version did not"
            )
        for scenario, summary in proposals.items():
            if scenario in proposals_after and proposals_after[scenario] != summary:
                changed.add("proposal")
                assert inputs_after != inputs, f"round {pk}: the proposal changed, its inputs_version did not"
        if sheet_after != sheet:
            changed.add("spreadsheet")
            assert applications_after != applications_version, (
                f"round {pk}: the spreadsheet changed, its applications_version did not"
            )
            assert inputs_after != inputs, f"round {pk}: the applications changed, inputs_version did not"
    return changed


@pytest.mark.parametrize("name", sorted(WRITES) + sorted(MORE))
def test_every_write_that_changes_a_cached_view_moves_the_rounds_fingerprint(cast, mailoutbox, name):
    act = (WRITES.get(name) or MORE[name])(cast)
    before = _state()
    act()
    changed = _check(before, _state())
    if name in MUST_CHANGE:
        assert MUST_CHANGE[name] in changed, f"{name}: the scenario changed no {MUST_CHANGE[name]}"
    if name in ROUND_PAGE_MUST_CHANGE:
        assert "round page" in changed, f"{name}: the scenario changed no round page list"


def test_a_full_save_of_an_old_copy_of_the_round_never_brings_back_an_old_fingerprint(cast):
    round, application = _open_round_with(cast)
    stale_copy = Round.objects.get(pk=round.pk)
    old = stale_copy.inputs_version
    assessment.assess_line(
        line=application.lines.first(),
        by=cast.officer_t,
        data={"eligible": False, "ineligible_reason": "x"},
        version=0,
    )
    stale_copy.call_text = "Ny tekst"
    stale_copy.save()  # loaded before the assessment: must not write its fingerprint back
    round.refresh_from_db()
    assert round.inputs_version not in (old, 0)


def _figures(client, round, **query) -> str:
    page = client.get(reverse("assessment:allocation", args=[round.pk]), query).content.decode()
    return page.split('class="figures"')[1].split("</div>\n</div>")[0]


def _kroner(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u00a0")


def _row(page: str, line_id: int) -> str:
    return page.split(f'id="line-{line_id}"')[1].split("</tr>")[0]


def test_the_allocation_page_shows_the_new_figures_right_after_each_change(client_for, cast):
    """R8, R9: after every kind of change, the next view of the page (cached before it) shows the new money:
    the figures above the table and every line's proposed amount."""
    round = make_round(cast.office_t, deadline=timezone.now() + timedelta(days=1), carried_over_funds=0)
    a = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    client = client_for(cast.officer_t)
    url = reverse("assessment:allocation", args=[round.pk])
    seen = []

    def shows_now(label: str) -> None:
        round.refresh_from_db()
        scenarios = list(round.scenarios.all()) or [assessment.default_scenario(round)]
        fresh = summarise(assessment.proposal(scenarios[0]))
        assert not seen or fresh != seen[-1], f"{label}: the change changed nothing, so this proves nothing"
        seen.append(fresh)
        page = client.get(url).content.decode()
        figures = page.split('class="figures"')[1].split("</div>\n</div>")[0]
        for amount in (fresh.applied, fresh.total, fresh.remaining):
            assert _kroner(amount) in figures, f"after {label}: the figures do not show {amount}"
        for row in fresh.rows:
            assert f"<strong>{format_kroner(row.amount)}</strong>" in _row(page, row.line_id), (
                f"after {label}: line {row.line_id} does not show {row.amount}"
            )

    shows_now("the first view")
    other = Organisation.objects.filter(kind=OrganisationKind.KOMMUNE, fylke__number="50").exclude(
        pk=cast.kommune_a.pk
    )[0]
    b = submitted_application(
        round, other, by=User.objects.create(username="signer_other", role=Role.SIGNER, organisation=other)
    )
    shows_now("a submission")
    round.application_deadline = past_deadline()
    round.save(update_fields=["application_deadline"])
    rounds.update_round(round=round, by=cast.officer_t, data={"fresh_funds": 900_000})
    shows_now("the funds changed")
    assessment.assess_line(
        line=a.lines.get(kind="innovation"),
        by=cast.officer_t,
        data={"eligible": False, "ineligible_reason": "Drift"},
        version=0,
    )
    shows_now("an assessment")
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    override = assessment.set_override(
        round=round,
        scenario_id=scenario.pk,
        line=b.lines.get(kind="bpa"),
        by=cast.officer_t,
        amount=7_000,
        reason="Skjønn",
    )
    shows_now("an amount set by hand")
    assert "Skjønn" in client.get(url).content.decode()
    assessment.remove_override(override=override, by=cast.officer_t)
    shows_now("the amount set by hand removed")
    rounds.add_earmark(
        round=round, by=cast.officer_t, name="BPA", amount=1_000, line_kinds=["bpa"], themes=[]
    )
    shows_now("an earmark")


def test_the_round_page_shows_the_applications_right_after_each_change(client_for, cast):
    """P2 without staleness: the round page's list and figures by kind are kept per state of the
    round's applications; the next view after a submission, a draft shared, an organisation renamed
    (each after a view that kept the list) shows the change, and what the fingerprint does not follow
    (drafts not shared) is read on every view."""
    round = make_round(cast.office_t, deadline=timezone.now() + timedelta(days=1))
    submitted_application(round, cast.kommune_a, by=cast.signer_a)
    client = client_for(cast.officer_t)
    url = reverse("rounds:round_manage", args=[round.pk])
    other = Organisation.objects.filter(kind=OrganisationKind.KOMMUNE, fylke__number="50").exclude(
        pk=cast.kommune_a.pk
    )[0]
    signer = User.objects.create(username="signer_other", role=Role.SIGNER, organisation=other)
    first = client.get(url).content.decode()
    assert other.display_name not in first and "skriver på en søknad" not in first

    draft = make_application(round, other, by=signer)
    page = client.get(url).content.decode()
    assert other.display_name not in page and "1 organisasjon skriver på en søknad" in page
    applications.share_with_office(application=draft, by=signer, shared=True)
    page = client.get(url).content.decode()
    assert other.display_name in page and "skriver på en søknad" not in page
    assert client.get(url, {"status": "draft"}).content.decode().count(other.display_name) == 1

    applied_before = client.get(url).content.decode().split("Søkt (innsendte søknader)")[1].split("</div>")[0]
    applications.submit(application=draft, by=signer)
    page = client.get(url).content.decode()
    applied_after = page.split("Søkt (innsendte søknader)")[1].split("</div>")[0]
    assert applied_after != applied_before, "the submitted sum does not show the new submission"
    assert other.display_name not in client.get(url, {"status": "draft"}).content.decode()

    with transaction.atomic():  # as the admin saves
        renamed = Organisation.objects.get(pk=other.pk)
        renamed.name = "Nytt Navn"
        renamed.save()
    assert "Nytt Navn kommune" in client.get(url).content.decode()
