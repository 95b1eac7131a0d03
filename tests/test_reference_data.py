from django.apps import apps
from django.core.management import call_command

from tilskudd.organisations.models import Fylke, Office, Organisation, OrganisationKind
from tilskudd.organisations.reference import load_reference_data


def test_all_kommuner_offices_and_fylker_are_loaded(reference_data):
    assert Organisation.objects.filter(kind=OrganisationKind.KOMMUNE).count() == 357
    assert Office.objects.count() == 10
    assert Fylke.objects.count() == 15
    # one fylkeskommune per fylke, except Oslo whose county tasks lie with the kommune
    assert Organisation.objects.filter(kind=OrganisationKind.FYLKESKOMMUNE).count() == 14
    assert Organisation.objects.filter(kind=OrganisationKind.STATE).exists()


def test_trondheim_belongs_to_statsforvalteren_i_trondelag(reference_data):
    trondheim = Organisation.objects.get(kind=OrganisationKind.KOMMUNE, kommunenummer="5001")
    assert trondheim.office.name == "Statsforvalteren i Trøndelag"
    assert (
        Organisation.objects.in_office(trondheim.office).filter(kind=OrganisationKind.KOMMUNE).count() == 38
    )


def test_offices_cover_the_fylker_the_spec_lists(reference_data):
    covers = {
        office.short_name: sorted(office.fylker.values_list("number", flat=True))
        for office in Office.objects.all()
    }
    assert covers == {
        "Østfold, Buskerud, Oslo og Akershus": ["03", "31", "32", "33"],
        "Innlandet": ["34"],
        "Vestfold og Telemark": ["39", "40"],
        "Agder": ["42"],
        "Rogaland": ["11"],
        "Vestland": ["46"],
        "Møre og Romsdal": ["15"],
        "Trøndelag": ["50"],
        "Nordland": ["18"],
        "Troms og Finnmark": ["55", "56"],
    }


def test_loading_twice_changes_nothing(reference_data):
    before = list(Organisation.objects.order_by("pk").values_list("pk", "name", "fylke_id"))
    load_reference_data(apps)
    call_command("load_reference_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = list(Organisation.objects.order_by("pk").values_list("pk", "name", "fylke_id"))
    assert before == after


def test_a_merged_kommune_follows_its_successor(reference_data):
    trondheim = Organisation.objects.get(kind=OrganisationKind.KOMMUNE, kommunenummer="5001")
    old = Organisation.objects.create(
        kind=OrganisationKind.KOMMUNE,
        name="Klæbu",
        kommunenummer="5030",
        fylke=trondheim.fylke,
        successor=trondheim,
    )
    old.valid_to = "2019-12-31"
    old.save()
    assert old.current() == trondheim
    assert trondheim in Organisation.objects.valid_on("2024-01-01")
    assert old not in Organisation.objects.valid_on("2024-01-01")
    assert old in Organisation.objects.valid_on("2019-06-01")
