"""Issue 14 / SPEC "Publication and statistics": who got what, open data in 360Giving, statistics.

Everything non-public in the cast carries a marker string (contacts, drafts, assessments,
scores, override reasons, refused lines, project descriptions); no public page and no open
data file may contain any of them.
"""

import csv
import io
import json

import pytest
from django.urls import reverse

from tests.factories import close_call, make_application, make_round, submitted_application
from tests.helpers import assert_queries_constant
from tilskudd.accounts.models import Role, User
from tilskudd.applications.models import Line
from tilskudd.assessment import services as assessment
from tilskudd.caselog.selectors import entries_for
from tilskudd.decisions import services as decisions
from tilskudd.organisations.models import Organisation, OrganisationKind
from tilskudd.publication import services as publication
from tilskudd.publication.models import SchemeText
from tilskudd.publication.threesixty import GRANT_PREFIX, validate

pytestmark = pytest.mark.django_db

MARKERS = (
    "KONTAKT-MARKØR",
    "LEDER-MARKØR",
    "UTKAST-MARKØR",
    "VURDERING-MARKØR",
    "OVERSTYRING-MARKØR",
    "AVSLÅTT-MARKØR",
    "BESKRIVELSE-MARKØR",
    "kontakt-markor@kommune.example",
)


def _decide(round, cast):
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    decisions.approve_round(round=round, by=cast.approver_t)


@pytest.fixture
def published(cast):
    """Trøndelag 2027 decided: Trondheim awarded three lines (one cut), one refused line, markers everywhere."""
    round = make_round(cast.office_t, fresh_funds=2_000_000, carried_over_funds=0)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    Line.objects.filter(application=application, kind="innovation").update(description="BESKRIVELSE-MARKØR")
    type(application).objects.filter(pk=application.pk).update(
        contact_name="KONTAKT-MARKØR",
        contact_email="kontakt-markor@kommune.example",
        leader_name="LEDER-MARKØR",
    )
    other = submitted_application(round, cast.fylkeskommune, by=cast.fylke_user, kinds=("competence",))
    Line.objects.filter(application=other).update(title="AVSLÅTT-MARKØR")
    draft_round = make_round(cast.office_t, year=2028)
    draft = make_application(draft_round, cast.kommune_a, by=cast.signer_a)
    draft.lines.update(title="UTKAST-MARKØR")
    close_call(round)
    innovation = application.lines.get(kind="innovation")
    assessment.assess_line(
        line=innovation, by=cast.officer_t, data={"eligible": True, "comment": "VURDERING-MARKØR"}, version=0
    )
    refused = other.lines.get()
    assessment.assess_line(
        line=refused,
        by=cast.officer_t,
        data={"eligible": False, "ineligible_reason": "VURDERING-MARKØR"},
        version=0,
    )
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    assessment.set_override(
        round=round,
        scenario_id=scenario.pk,
        line=innovation,
        by=cast.officer_t,
        amount=500_000,
        reason="OVERSTYRING-MARKØR",
    )
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    decisions.approve_round(round=round, by=cast.approver_t)
    return round, application


def _public_urls(round, application, client):
    from tilskudd.publication.selectors import awards

    urls = [
        reverse("publication:award_list"),
        reverse("publication:award_list") + "?q=Trondheim",
        reverse("publication:organisation_awards", args=[application.organisation_id]),
        reverse("publication:open_data"),
        reverse("publication:awards_json"),
        reverse("publication:awards_csv"),
        reverse("publication:round_awards_json", args=[round.pk]),
        reverse("publication:round_awards_csv", args=[round.pk]),
        reverse("publication:statistics"),
        reverse("publication:statistics_csv"),
        reverse("publication:office_statistics", args=[round.office_id]),
        reverse("publication:office_statistics_csv", args=[round.office_id]),
        reverse("rounds:round_detail", args=[round.pk]),
    ]
    urls += [reverse("publication:award_detail", args=[pk]) for pk in awards().values_list("pk", flat=True)]
    return urls


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_nothing_non_public_appears_on_a_public_page_or_in_open_data(client, cast, published):
    round, application = published
    for url in _public_urls(round, application, client):
        response = client.get(url)
        assert response.status_code == 200, url
        body = _body(response)
        for marker in MARKERS:
            assert marker not in body, f"{marker} on {url}"


def test_only_approved_granted_lines_are_published(client, cast, published):
    round, application = published
    data = json.loads(_body(client.get(reverse("publication:awards_json"))))
    titles = {grant["title"] for grant in data["grants"]}
    assert titles == {
        "Videreutdanning psykisk helse",
        "Opplæring av arbeidsledere",
        "Fleksibel avlastning for pårørende",
    }
    amounts = {grant["title"]: grant["amountAwarded"] for grant in data["grants"]}
    assert (
        amounts["Fleksibel avlastning for pårørende"] == 500_000
    )  # what the decision says, not what was asked
    # a decision not yet approved is not published
    later = make_round(cast.office_n, fresh_funds=1_000_000, carried_over_funds=0)
    submitted_application(later, cast.kommune_b, by=cast.signer_b, kinds=("competence",))
    close_call(later)
    scenario = assessment.saved_scenario(round=later, scenario_id=None, by=cast.officer_n)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_n)
    assert len(json.loads(_body(client.get(reverse("publication:awards_json"))))["grants"]) == 3
    assert client.get(reverse("publication:round_awards_json", args=[later.pk])).status_code == 404


def test_the_open_data_json_is_streamed_a_record_at_a_time(client, cast):
    """The whole country's awards are written as they are read, never held as one list; empty is valid JSON."""
    response = client.get(reverse("publication:awards_json"))
    assert response.streaming and response["Content-Type"] == "application/json"
    assert json.loads(_body(response)) == {"grants": []}


def test_every_published_record_passes_the_360giving_checks_and_ids_never_change(client, cast, published):
    first = json.loads(_body(client.get(reverse("publication:awards_json"))))["grants"]
    assert first and all(validate(grant) == [] for grant in first)
    assert all(grant["id"].startswith(GRANT_PREFIX) for grant in first)
    assert all(grant["currency"] == "NOK" and isinstance(grant["amountAwarded"], int) for grant in first)
    office = first[0]["fundingOrganization"][0]
    assert office["id"] == f"NO-BRC-{cast.office_t.organisasjonsnummer}"
    # another office's awards are added; the existing records keep their ids and content
    later = make_round(cast.office_n, fresh_funds=1_000_000, carried_over_funds=0)
    submitted_application(later, cast.kommune_b, by=cast.signer_b, kinds=("competence",))
    _decide(later, _AsOffice(cast))
    second = {g["id"]: g for g in json.loads(_body(client.get(reverse("publication:awards_json"))))["grants"]}
    assert len(second) == len(first) + 1
    for grant in first:
        assert second[grant["id"]] == grant


class _AsOffice:
    """The Nordland office's people under the names ``_decide`` uses."""

    def __init__(self, cast):
        self.officer_t, self.approver_t = cast.officer_n, cast.approver_n


def test_the_checks_catch_a_record_that_breaks_the_standard():
    good = {
        "id": "360G-kkit-1",
        "title": "T",
        "description": "D",
        "currency": "NOK",
        "amountAwarded": 10,
        "awardDate": "2027-05-01",
        "recipientOrganization": [{"id": "NO-BRC-1", "name": "K"}],
        "fundingOrganization": [{"id": "NO-BRC-2", "name": "S"}],
    }
    assert validate(good) == []
    assert "amountAwarded: wrong type" in validate(good | {"amountAwarded": "10"})
    assert "title: missing" in validate({k: v for k, v in good.items() if k != "title"})
    assert "awardDate: not a date" in validate(good | {"awardDate": "1. mai"})
    assert "recipientOrganization[0].id: missing" in validate(
        good | {"recipientOrganization": [{"name": "K"}]}
    )
    assert "currency: not an ISO 4217 code" in validate(good | {"currency": "kr"})


def test_the_csv_uses_360giving_column_titles_and_opens_in_excel(client, cast, published):
    response = client.get(reverse("publication:awards_csv"))
    text = _body(response)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 3
    assert {"Identifier", "Title", "Amount Awarded", "Recipient Org:Identifier", "Funding Org:Name"} <= set(
        rows[0]
    )
    assert all(r["Currency"] == "NOK" for r in rows)
    # each row is its JSON grant flattened, Data Source and all (the rows are stored, the JSON too)
    from tilskudd.publication.threesixty import COLUMNS

    grants = json.loads(_body(client.get(reverse("publication:awards_json"))))["grants"]
    assert [list(r.values()) for r in rows] == [[str(value(g)) for _, value in COLUMNS] for g in grants]


def test_a_journalist_finds_every_award_to_trondheim_and_the_respite_projects(client, cast, published):
    round, application = published
    page = client.get(reverse("publication:organisation_awards", args=[cast.kommune_a.pk])).content.decode()
    assert "Videreutdanning psykisk helse" in page and "Fleksibel avlastning for pårørende" in page
    respite = client.get(reverse("publication:award_list"), {"theme": "respite"}).content.decode()
    assert "Fleksibel avlastning for pårørende" in respite and "Videreutdanning psykisk helse" not in respite
    csv_text = _body(client.get(reverse("publication:awards_csv"), {"organisation": cast.kommune_a.pk}))
    assert csv_text.count("\n") == 4  # the header and Trondheim's three awards
    project = client.get(reverse("publication:award_list"), {"kind": "innovation"}).content.decode()
    assert "Frivilligsentralen" not in project  # partners are on the project's own page
    from tilskudd.publication.selectors import awards

    innovation = awards().get(kind="innovation")
    detail = client.get(reverse("publication:award_detail", args=[innovation.pk])).content.decode()
    assert "Frivilligsentralen" in detail and "Prøve ut fleksible avlastningsmodeller." in detail


def test_an_organisation_without_awards_has_no_public_page(client, cast, published):
    assert client.get(reverse("publication:organisation_awards", args=[cast.kommune_b.pk])).status_code == 404
    assert client.get(reverse("publication:office_statistics", args=[cast.office_n.pk])).status_code == 404


def test_open_data_and_office_links_name_only_rounds_and_offices_with_awards(
    client, client_for, cast, published
):
    """A decided round whose every line was refused has no files, and an office without awards no statistics:
    the lists link to neither (each would 404)."""
    round, _application = published
    refused = make_round(cast.office_n)
    other = submitted_application(refused, cast.kommune_b, by=cast.signer_b, kinds=("competence",))
    close_call(refused)
    assessment.assess_line(
        line=other.lines.get(),
        by=cast.officer_n,
        data={"eligible": False, "ineligible_reason": "Nei"},
        version=0,
    )
    scenario = assessment.saved_scenario(round=refused, scenario_id=None, by=cast.officer_n)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_n)
    decisions.approve_round(round=refused, by=cast.approver_n)
    assert client.get(reverse("publication:round_awards_json", args=[refused.pk])).status_code == 404

    page = client.get(reverse("publication:open_data")).content.decode()
    assert reverse("publication:round_awards_json", args=[round.pk]) in page
    assert reverse("publication:round_awards_json", args=[refused.pk]) not in page
    home = client_for(cast.national).get(reverse("home:home")).content.decode()
    assert reverse("publication:office_statistics", args=[cast.office_t.pk]) in home
    assert reverse("publication:office_statistics", args=[cast.office_n.pk]) not in home
    # the choice of office (on the statistics page and the directorate's start page) offers the same
    for body in (client.get(reverse("publication:statistics")).content.decode(), home):
        assert f'<option value="{cast.office_t.pk}">' in body
        assert f'<option value="{cast.office_n.pk}">' not in body


def test_statistics_show_applied_available_and_awarded_with_tables_and_csv(client_for, cast, published):
    round, _application = published
    body = client_for(cast.national).get(reverse("publication:statistics")).content.decode()
    assert "Tilgjengelig, søkt om og tildelt per år" in body
    assert "<svg" in body and "<table" in body
    assert "2\u00a0000\u00a0000\u00a0kr" in body  # available in the round
    text = client_for(cast.national).get(reverse("publication:statistics_csv")).content.decode()
    assert "Tildelt per type tiltak" in text and str(round.year) in text


def test_the_national_start_page_shows_the_statistics_of_now_though_their_tables_are_kept(
    client_for, cast, published
):
    """Issue 13: the start page's tables are rendered once per state of the figures (the statistics' key),
    so a change of the figures shows at once, not after the cache's time."""
    national = client_for(cast.national)
    body = national.get(reverse("home:home")).content.decode()
    assert "Tilgjengelig, søkt om og tildelt per år" in body and "<svg" in body
    assert "2\u00a0000\u00a0000\u00a0kr" in body and "7\u00a0000\u00a0000\u00a0kr" not in body
    make_round(
        cast.office_n, fresh_funds=5_000_000, carried_over_funds=0
    )  # published: the same year's funds grow
    body = national.get(reverse("home:home")).content.decode()
    assert "7\u00a0000\u00a0000\u00a0kr" in body


def test_awarded_amounts_read_as_kroner_in_every_statistics_table_and_chart(client, cast, published):
    """The grouped tables (by kind, applicant, county, …) print "Awarded" in kroner, in the table and the bars."""
    body = client.get(reverse("publication:statistics")).content.decode()
    kinds = body.split("Tildelt per type tiltak</figcaption>")[1].split("</figure>")[0]
    assert '<td class="num">500\u00a0000\u00a0kr</td>' in kinds  # the innovation project, cut to 500 000
    assert "<title>Innovasjonsprosjekt: 500\u00a0000\u00a0kr</title>" in kinds
    county = body.split("Tildelt per fylke</figcaption>")[1].split("</figure>")[0]
    assert "\u00a0kr</td>" in county


def test_P2_public_award_list_and_statistics_take_constant_queries(client, cast, published, cold_caches):
    kommuner = list(Organisation.objects.filter(kind=OrganisationKind.KOMMUNE, fylke__number="50")[1:4])

    def grow():
        more = make_round(cast.office_t, year=2029, fresh_funds=5_000_000, carried_over_funds=0)
        for kommune in kommuner:
            signer = User.objects.create(username=f"s{kommune.pk}", role=Role.SIGNER, organisation=kommune)
            submitted_application(more, kommune, by=signer)
        _decide(more, cast)

    assert_queries_constant(client, reverse("publication:award_list"), grow)
    assert_queries_constant(client, reverse("publication:statistics"), lambda: None)


def test_the_national_reader_publishes_the_scheme_text_shown_on_every_rounds_page(client, client_for, cast):
    round = make_round(cast.office_t)
    response = client_for(cast.national).post(
        reverse("publication:scheme_text"),
        {
            "purpose": "Kompetent og stabil bemanning",
            "priorities": "Psykisk helse og rus",
            "sub_goals": "",
            "target_groups": "",
        },
    )
    assert response.status_code == 302
    text = SchemeText.objects.get()
    entry = entries_for(text).get()
    assert entry.actor == cast.national and entry.kind == "scheme_text_published"
    page = client.get(reverse("rounds:round_detail", args=[round.pk])).content.decode()
    assert "Kompetent og stabil bemanning" in page and "Psykisk helse og rus" in page
    for person in (cast.officer_t, cast.signer_a, cast.admin):
        assert (
            client_for(person).post(reverse("publication:scheme_text"), {"purpose": "x"}).status_code == 403
        )
    with pytest.raises(Exception):  # noqa: B017 (PermissionDenied, from the service itself)
        publication.publish_scheme_text(by=cast.officer_t, data={"purpose": "x"})


def test_results_appear_once_the_office_has_approved_the_report(client, cast, published):
    """A project's status, results and sharing, and competence results, come from approved reports only."""
    from django.utils import timezone

    from tilskudd.publication.selectors import awards
    from tilskudd.reporting.models import ReportLine, ReportObligation

    round, application = published
    obligation = ReportObligation.objects.get(round=round, organisation=cast.kommune_a)
    innovation = awards().get(kind="innovation")
    ReportLine.objects.filter(decision_line_id=innovation.pk).update(
        innovation_status="completed",
        results="RESULTAT-MARKØR: færre innleggelser",
        sharing="Regionalt nettverk",
    )
    ReportLine.objects.filter(obligation=obligation, kind="competence").update(
        completed=2, in_education=1, dropped_out=0
    )
    url = reverse("publication:award_detail", args=[innovation.pk])
    assert "RESULTAT-MARKØR" not in client.get(url).content.decode()  # submitted or not, not yet approved
    assert "Fullført" not in client.get(reverse("publication:statistics")).content.decode()

    ReportObligation.objects.filter(pk=obligation.pk).update(
        submitted_at=timezone.now(), approved_at=timezone.now()
    )
    page = client.get(url).content.decode()
    assert "RESULTAT-MARKØR: færre innleggelser" in page and "Regionalt nettverk" in page
    stats = client.get(reverse("publication:statistics")).content.decode()
    assert "Kompetansetiltak: resultater fra godkjente rapporter" in stats


def _snapshot():
    from tilskudd.publication.models import PublishedGrant, PublishedLine

    lines = list(PublishedLine.objects.order_by("pk").values())
    return lines, list(PublishedGrant.objects.order_by("pk").values())


def test_the_public_record_follows_approvals_and_a_rebuild_equals_what_approvals_kept(cast, published):
    """The approval hook adds a decision's public lines in its transaction; ``rebuild`` takes the same record."""
    from tilskudd.publication import summary
    from tilskudd.publication.models import PublishedLine

    assert PublishedLine.objects.filter(refused=False).count() == 3
    later = make_round(cast.office_n, fresh_funds=1_000_000, carried_over_funds=0)
    submitted_application(later, cast.kommune_b, by=cast.signer_b, kinds=("competence",))
    close_call(later)
    scenario = assessment.saved_scenario(round=later, scenario_id=None, by=cast.officer_n)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_n)
    assert not PublishedLine.objects.filter(round=later).exists()  # prepared is not published
    version = summary.version()
    decisions.approve_round(round=later, by=cast.approver_n)
    assert PublishedLine.objects.filter(round=later, refused=False).count() == 1
    assert summary.version() != version  # the public pages' cache key moves on
    round, _application = published
    publication.set_refusals_published(round=round, by=cast.officer_t, publish=True)
    kept = _snapshot()
    lines, grants = kept
    assert len(lines) == 5 and sum(row["refused"] for row in lines) == 1 and len(grants) == 4
    assert summary.rebuild() == 5
    assert _snapshot() == kept


def test_refusals_are_public_only_while_the_office_chooses_to_publish_them(
    client, client_for, cast, published
):
    round, _application = published
    listing = reverse("publication:award_list")
    assert "AVSLÅTT-MARKØR" not in client.get(listing).content.decode()  # off by default

    officer = client_for(cast.officer_t)
    form = reverse("publication:round_publication", args=[round.pk])
    assert officer.get(form).status_code == 200
    assert officer.post(form, {"publish_refusals": "on"}).status_code == 302
    assert [e.kind for e in entries_for(round)][-1:] == ["refusals_published"]
    page = client.get(listing).content.decode()
    row = page.split("AVSLÅTT-MARKØR")[1].split("</tr>")[0]
    assert "0\u00a0kr" in row and "Avslått" in row
    refused = client.get(reverse("publication:organisation_awards", args=[cast.fylkeskommune.pk]))
    assert refused.status_code == 200 and "AVSLÅTT-MARKØR" in refused.content.decode()
    # a refusal is no grant: never in the 360Giving data, nor counted among the awards
    for url in (
        reverse("publication:awards_json"),
        reverse("publication:awards_csv"),
        reverse("publication:round_awards_json", args=[round.pk]),
        reverse("publication:round_awards_csv", args=[round.pk]),
        reverse("publication:statistics_csv"),
    ):
        assert "AVSLÅTT-MARKØR" not in _body(client.get(url)), url
    assert len(json.loads(_body(client.get(reverse("publication:awards_json"))))["grants"]) == 3

    # another office may not choose for this one
    assert client_for(cast.officer_n).post(form, {"publish_refusals": ""}).status_code in (403, 404)
    assert client_for(cast.officer_t).post(form, {}).status_code == 302  # unticked: withdrawn
    assert [e.kind for e in entries_for(round)][-1:] == ["refusals_withdrawn"]
    assert "AVSLÅTT-MARKØR" not in client.get(listing).content.decode()
    assert (
        client.get(reverse("publication:organisation_awards", args=[cast.fylkeskommune.pk])).status_code
        == 404
    )


def test_the_award_list_pages_forwards_and_back_by_cursor(client, cast, published, monkeypatch):
    from tilskudd.publication import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    listing = reverse("publication:award_list")
    expected = list(selectors.awards().order_by(*selectors.SORTS["amount"]).values_list("pk", flat=True))
    first = client.get(listing, {"sort": "amount"}).context
    assert [a.id for a in first["awards"]] == expected[:2] and first["page"].before is None
    second = client.get(listing, {"sort": "amount", "after": first["page"].after}).context
    assert [a.id for a in second["awards"]] == expected[2:] and second["page"].after is None
    back = client.get(listing, {"sort": "amount", "before": second["page"].before}).context
    assert [a.id for a in back["awards"]] == expected[:2] and back["page"].before is None


def test_a_public_page_is_made_once_per_version_of_the_public_record(client, cast, published):
    """Served again, the award list reads only the record's version; an approval makes it anew."""
    from tests.helpers import page_queries

    listing = reverse("publication:award_list")
    cold = page_queries(client, listing)
    warm = page_queries(client, listing)
    assert warm < cold
    later = make_round(cast.office_n, fresh_funds=1_000_000, carried_over_funds=0)
    submitted_application(later, cast.kommune_b, by=cast.signer_b, kinds=("competence",))
    _decide(later, _AsOffice(cast))
    assert page_queries(client, listing) == cold
    assert "Bodø" in client.get(listing).content.decode()


def test_the_award_date_is_the_day_in_norway_not_in_utc(client, cast, published):
    """A decision approved at 00:30 Oslo time (23:30 UTC the day before) is awarded on the Oslo day."""
    from datetime import UTC, datetime

    from tilskudd.decisions.models import Decision
    from tilskudd.publication import summary

    Decision.objects.update(approved_at=datetime(2027, 3, 1, 23, 30, tzinfo=UTC))
    summary.rebuild()
    grants = json.loads(_body(client.get(reverse("publication:awards_json"))))["grants"]
    assert grants and {grant["awardDate"] for grant in grants} == {"2027-03-02"}
    assert all(grant["dateModified"].startswith("2027-03-02T00:30:00+01:00") for grant in grants)


def test_turning_refusals_on_leaves_the_published_awards_as_they_stood(client_for, cast, published):
    """Names are as they stood on the day of approval: publishing refusals later does not retake the awards."""
    from tilskudd.organisations.models import Organisation
    from tilskudd.publication import services
    from tilskudd.publication.models import PublishedLine

    before = set(PublishedLine.objects.filter(refused=False).values_list("pk", "organisation_name"))
    Organisation.objects.filter(pk=cast.kommune_a.pk).update(name="Nytt navn")
    round, _application = published
    services.set_refusals_published(round=round, by=cast.officer_t, publish=True)
    assert set(PublishedLine.objects.filter(refused=False).values_list("pk", "organisation_name")) == before
    assert PublishedLine.objects.filter(refused=True).exists()


OPEN_DATA_FILES = ("awards_json", "awards_csv", "round_awards_json", "round_awards_csv")


def _open_data_urls(round):
    return [
        reverse(f"publication:{name}", args=[round.pk] if name.startswith("round") else [])
        for name in OPEN_DATA_FILES
    ]


def test_P2_open_data_is_written_to_a_file_once_and_served_from_it_with_the_same_bytes(
    client, cast, published
):
    """A whole export is made once per version of the record; later downloads get the file: same bytes,
    no read of the records (the marker strings are absent from the file too)."""
    from django.http import FileResponse

    from tests.helpers import page_queries

    round, _application = published
    for url in _open_data_urls(round):
        first = client.get(url)
        assert not isinstance(first, FileResponse)  # nobody asked before: made as it is sent
        made = b"".join(first.streaming_content)
        second = client.get(url)
        assert isinstance(second, FileResponse), url
        served = b"".join(second.streaming_content)
        assert served == made, url
        assert second["Content-Type"] == first["Content-Type"]
        assert second.get("Content-Disposition") == first.get("Content-Disposition")
        assert int(second["Content-Length"]) == len(made)
        assert not any(marker.encode() in served for marker in MARKERS)
        # the file is read instead of the records: the version, and the round for a round's file
        assert page_queries(client, url) == (2 if "runder" in url else 1)
        # a client that has it gets 304 on its ETag
        assert client.get(url, headers={"If-None-Match": second["ETag"]}).status_code == 304


def test_an_approval_makes_new_open_data_files_and_the_worker_writes_them_with_gzip_copies(
    client, cast, published, settings, django_capture_on_commit_callbacks
):
    """R10 approvals change the record: the next download has the new award (not the file of before), and the
    background worker has written it already (with a gzip copy for clients that accept one)."""
    import gzip

    from django.http import FileResponse

    settings.TASKS = {  # the refresh is a background task: run it in-process here
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
    round, _application = published
    url = reverse("publication:awards_json")
    before = json.loads(_body(client.get(url)))["grants"]
    old_etag = client.get(url)["ETag"]
    later = make_round(cast.office_n, fresh_funds=1_000_000, carried_over_funds=0)
    submitted_application(later, cast.kommune_b, by=cast.signer_b, kinds=("competence",))
    with django_capture_on_commit_callbacks(execute=True):
        _decide(later, _AsOffice(cast))
    response = client.get(url)
    assert isinstance(response, FileResponse)  # written by the worker before anyone asked
    assert response["ETag"] != old_etag
    after = b"".join(response.streaming_content)
    assert len(json.loads(after)["grants"]) == len(before) + 1
    # the new round's files were written too, though nobody had downloaded them
    round_url = reverse("publication:round_awards_csv", args=[later.pk])
    assert isinstance(client.get(round_url), FileResponse)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(b"".join(zipped.streaming_content)) == after
    assert zipped["ETag"] != response["ETag"]
    # and the worker computed the new record's statistics into the shared cache, in every language, so
    # the first visitor of any server process is not the one who reads every award in the country
    from unittest import mock

    from tilskudd.publication import statistics

    pages = (
        reverse("publication:statistics"),
        reverse("publication:office_statistics", args=[later.office_id]),
    )
    with mock.patch.object(statistics, "_statistics", side_effect=AssertionError("computed in the request")):
        for language in ("nb", "nn", "en"):
            client.cookies["sprak"] = language
            for page in pages:
                assert client.get(page).status_code == 200, (language, page)


def test_a_journalist_finds_the_awards_statistics_and_open_data_from_the_front_page(client, cast):
    """Issue 14 "Done when": an anonymous visitor reaches who got what from the front page and every footer;
    the list's sort order is in the visitor's language."""
    home = client.get(reverse("home:home")).content.decode()
    for name in ("award_list", "statistics", "open_data"):
        assert home.count(f'href="{reverse(f"publication:{name}")}"') >= 2, name  # the card and the footer
    listing = client.get(reverse("publication:award_list")).content.decode()
    assert "Nyeste først" in listing and "Newest first" not in listing
