"""Issue 14 "Done when": the directorate (and the public) see applied versus available, and awarded by
kind, theme and education type, for one office and/or one year, as charts with tables, and download
the numbers (SPEC "Publication and statistics").

Every figure is checked against sums this file makes itself from the rounds, the submitted lines and
the approved decision lines, not from the public record the statistics read.
"""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from tests.factories import make_round, submitted_application
from tests.helpers import assert_queries_constant
from tests.test_publication import MARKERS, _AsOffice, _body, _decide, published  # noqa: F401 (a fixture)
from tilskudd.accounts.models import Role, User
from tilskudd.applications.models import EducationTypeChoices, Line, Status
from tilskudd.decisions.models import DecisionLine
from tilskudd.organisations.models import Organisation, OrganisationKind
from tilskudd.rounds.models import LineKindChoices, Round, ThemeChoices

pytestmark = pytest.mark.django_db

YEAR = 2029


def _signer(kommune):
    return User.objects.create(username=f"s{kommune.pk}", role=Role.SIGNER, organisation=kommune)


@pytest.fixture
def two_years(cast, published):  # noqa: F811 (the fixture, imported)
    """Beside Trøndelag 2027 (``published``): Trøndelag and Nordland 2029, decided, with themes of their own."""
    trondelag = make_round(cast.office_t, year=YEAR, fresh_funds=5_000_000, carried_over_funds=250_000)
    for kommune in Organisation.objects.filter(kind=OrganisationKind.KOMMUNE, fylke__number="50")[1:3]:
        submitted_application(trondelag, kommune, by=_signer(kommune))
    first = Line.objects.filter(application__round=trondelag, kind="innovation").order_by("pk").first()
    Line.objects.filter(pk=first.pk).update(themes=["nutrition", "welfare_technology"])
    _decide(trondelag, cast)
    nordland = make_round(cast.office_n, year=YEAR, fresh_funds=3_000_000, carried_over_funds=0)
    submitted_application(nordland, cast.kommune_b, by=cast.signer_b)
    _decide(nordland, _AsOffice(cast))
    return trondelag, nordland


def _tables(text: str) -> dict[str, dict[str, list[str]]]:
    """The CSV's tables: title, then {row label: values}."""
    tables, rows = {}, list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    while rows:
        title, _header, *rest = rows
        end = rest.index([]) if [] in rest else len(rest)
        tables[title[0]] = {row[0]: row[1:] for row in rest[:end]}
        rows = rest[end + 1 :]
    return tables


def _expected(**where) -> dict:
    """The figures added up here from the rounds, submitted lines and approved decision lines."""
    rounds = list(Round.objects.filter(**where))
    applied = sum(
        line.amount_applied or 0
        for line in Line.objects.filter(
            application__status=Status.SUBMITTED, **{f"application__round__{k}": v for k, v in where.items()}
        )
    )
    decided = DecisionLine.objects.filter(
        decision__approved_at__isnull=False,
        granted__gt=0,
        **{f"decision__application__round__{k}": v for k, v in where.items()},
    ).select_related("line")
    kinds, themes, education = {}, {}, {}
    with translation.override("nb"):
        for d in decided:
            label = str(capfirst(dict(LineKindChoices.choices)[d.kind]))
            kinds[label] = [kinds.get(label, [0, 0])[0] + 1, kinds.get(label, [0, 0])[1] + d.granted]
            for theme in d.line.themes if d.kind == "innovation" else []:
                label = str(capfirst(dict(ThemeChoices.choices)[theme]))
                themes[label] = [themes.get(label, [0, 0])[0] + 1, themes.get(label, [0, 0])[1] + d.granted]
            if d.kind == "competence":
                label = str(capfirst(dict(EducationTypeChoices.choices)[d.line.education_type]))
                education[label] = [
                    education.get(label, [0, 0])[0] + 1,
                    education.get(label, [0, 0])[1] + d.granted,
                ]
    available = sum(r.fresh_funds + r.carried_over_funds for r in rounds)
    carried = sum(r.carried_over_funds for r in rounds)
    awarded = sum(d.granted for d in decided)

    def strings(table):
        return {label: [str(v) for v in values] for label, values in table.items()}

    return {
        "year": [str(available), str(carried), str(applied), str(awarded)],
        "kinds": strings(kinds),
        "themes": strings(themes),
        "education": strings(education),
    }


def _check(tables: dict, expected: dict, year_label: str):
    assert tables["Tilgjengelig, søkt om og tildelt per år"] == {year_label: expected["year"]}
    assert tables["Tildelt per type tiltak"] == expected["kinds"]
    assert tables["Kompetansetiltak per utdanningstype"] == expected["education"]
    themes = next(t for title, t in tables.items() if title.startswith("Innovasjonsprosjekter per tema"))
    assert themes == expected["themes"]


def test_one_office_in_one_year_equals_its_decisions_added_up(client, cast, two_years):
    """Trøndelag 2029 only: not its 2027 round, not Nordland's 2029 round."""
    query = f"?office={cast.office_t.pk}&year={YEAR}"
    tables = _tables(client.get(reverse("publication:statistics_csv") + query).content.decode())
    expected = _expected(office=cast.office_t, year=YEAR)
    _check(tables, expected, str(YEAR))
    assert "Tilgjengelig, søkt om og tildelt per embete" not in tables  # one office: no table of offices
    # the office's own address gives the same figures
    same = client.get(reverse("publication:office_statistics_csv", args=[cast.office_t.pk]) + f"?year={YEAR}")
    assert _tables(same.content.decode()) == tables


def test_one_year_for_the_whole_country_adds_up_every_office_and_shows_each(client, cast, two_years):
    trondelag, nordland = two_years
    tables = _tables(client.get(reverse("publication:statistics_csv") + f"?year={YEAR}").content.decode())
    _check(tables, _expected(year=YEAR), str(YEAR))
    offices = tables["Tilgjengelig, søkt om og tildelt per embete"]
    for round in (trondelag, nordland):
        expected = _expected(office=round.office, year=YEAR)
        available, _carried, applied, awarded = expected["year"]
        count = str(sum(int(n) for n, _total in expected["kinds"].values()))
        assert offices[round.office.name] == [available, applied, awarded, count]


def test_the_page_shows_the_choice_as_charts_with_tables_and_links_that_keep_it(client, cast, two_years):
    office = cast.office_t.pk
    body = client.get(reverse("publication:statistics") + f"?office={office}&year={YEAR}").content.decode()
    assert f"Statistikk: {cast.office_t.name}, {YEAR}" in body
    assert body.count('class="chart__plot" role="img"') == body.count("<table")
    assert f'<option value="{YEAR}" selected>' in body and f'<option value="{office}" selected>' in body
    csv_link = reverse("publication:statistics_csv") + f"?office={office}&amp;year={YEAR}"
    assert f'href="{csv_link}"' in body
    assert f'href="{reverse("publication:statistics")}?year={YEAR}"' in body  # the whole country, same year
    assert f'href="{reverse("publication:statistics")}?office={office}"' in body  # all years, same office
    assert f'href="{reverse("publication:award_list")}?office={office}&amp;year={YEAR}"' in body
    # the 2027 round's year is not in the chart or the table of years
    years = body.split("Tilgjengelig, søkt om og tildelt per år</figcaption>")[1].split("</figure>")[0]
    assert f">{YEAR}<" in years and ">2027<" not in years


def test_the_choice_is_checked_and_unknown_values_are_no_page(client, cast, two_years):
    statistics = reverse("publication:statistics")
    assert client.get(statistics + "?office=&year=").status_code == 200  # the form's "all", "all"
    for query in ("?year=abc", "?year=1999", f"?office={cast.office_n.pk + 10_000}", "?year=²"):
        assert client.get(statistics + query).status_code == 404, query
        assert client.get(reverse("publication:statistics_csv") + query).status_code == 404, query


def test_P2_the_chosen_statistics_take_constant_queries(client, cast, two_years, cold_caches):
    kommuner = list(Organisation.objects.filter(kind=OrganisationKind.KOMMUNE, fylke__number="18")[1:4])

    def grow():
        more = make_round(cast.office_n, year=YEAR + 1, fresh_funds=5_000_000, carried_over_funds=0)
        for kommune in kommuner:
            submitted_application(more, kommune, by=_signer(kommune))
        _decide(more, _AsOffice(cast))

    for query in (f"?year={YEAR}", f"?office={cast.office_n.pk}&year={YEAR}", f"?office={cast.office_n.pk}"):
        assert_queries_constant(client, reverse("publication:statistics") + query, grow)
        grow = lambda: None  # noqa: E731 (grown once)


def test_a_chosen_page_is_kept_under_a_key_with_its_choice(
    client, cast, two_years, django_assert_num_queries
):
    """Kept like the other statistics pages: once made, a choice costs the key's one query; another
    choice is another page, not the first one served again."""
    url = reverse("publication:statistics")

    def body(query):
        return client.get(url + query).content.decode().split("<h1")[1].split("</main>")[0]

    first = body(f"?year={YEAR}")
    with django_assert_num_queries(1):
        again = body(f"?year={YEAR}")
    assert again == first
    other = body("?year=2027")
    assert "Statistikk for hele landet, 2027" in other and other != first
    csv_url = reverse("publication:statistics_csv") + f"?office={cast.office_t.pk}&year={YEAR}"
    text = client.get(csv_url).content
    with django_assert_num_queries(1):
        assert client.get(csv_url).content == text


def test_nothing_non_public_appears_in_the_chosen_statistics(client, cast, published):  # noqa: F811
    round, _application = published
    for query in (f"?year={round.year}", f"?office={round.office_id}&year={round.year}"):
        for url in (reverse("publication:statistics"), reverse("publication:statistics_csv")):
            response = client.get(url + query)
            assert response.status_code == 200, url + query
            body = _body(response)
            for marker in MARKERS:
                assert marker not in body, f"{marker} on {url}{query}"
    # the 2028 round has only a draft: its year has no public record, so no statistics
    assert client.get(reverse("publication:statistics") + "?year=2028").status_code == 404
