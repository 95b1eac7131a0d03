"""The demo: Statsforvalteren i Trøndelag, its kommuner, and one person per role.

Loaded by ``make run``; idempotent. Never in production.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from tilskudd.accounts import invitations
from tilskudd.accounts.models import OFFICE_STAFF_ROLES, Invitation, Role, User
from tilskudd.accounts.roles import apply
from tilskudd.demo.amendments import load_demo_amendments
from tilskudd.demo.rounds import load_demo_rounds
from tilskudd.domain.identifiers import ORGNR_WEIGHTS, with_check_digit
from tilskudd.organisations.models import Office, Organisation, OrganisationKind

DEMO_PASSWORD = "tilskudd-demo"
DEMO_OFFICE = "Statsforvalteren i Trøndelag"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    title: str
    role: Role
    kommunenummer: str = ""
    fylkeskommune: bool = False

    @property
    def where(self) -> str:
        if self.kommunenummer:
            return Organisation.objects.get(
                kind=OrganisationKind.KOMMUNE, kommunenummer=self.kommunenummer
            ).display_name
        if self.fylkeskommune:
            return "Trøndelag fylkeskommune"
        if self.role in OFFICE_STAFF_ROLES:
            return DEMO_OFFICE
        return "Helsedirektoratet" if self.role == Role.NATIONAL else ""


DEMO_USERS = [
    DemoUser("soker", "Siri", "Søker", "Rådgiver helse og omsorg", Role.APPLICANT, kommunenummer="5001"),
    DemoUser("leder", "Lars", "Leder", "Kommunalsjef helse og velferd", Role.SIGNER, kommunenummer="5001"),
    DemoUser("steinkjer", "Stine", "Steinkjer", "Kommunalsjef", Role.SIGNER, kommunenummer="5006"),
    # Steinkjer's 2025 report needs an auditor's statement (R11): its auditor uploads and confirms it
    DemoUser(
        "revisor-steinkjer",
        "Rolf",
        "Revisor",
        "Oppdragsansvarlig revisor",
        Role.AUDITOR,
        kommunenummer="5006",
    ),
    DemoUser("fylke", "Frode", "Fylke", "Seksjonsleder", Role.SIGNER, fylkeskommune=True),
    DemoUser("saksbehandler", "Sara", "Saksbehandler", "Seniorrådgiver", Role.CASE_OFFICER),
    DemoUser("godkjenner", "Geir", "Godkjenner", "Avdelingsdirektør", Role.APPROVER),
    DemoUser("tilgang", "Tone", "Tilgang", "Spesialrådgiver", Role.ORG_ADMIN, kommunenummer="5001"),
    DemoUser("revisor", "Randi", "Revisor", "Revisor", Role.AUDITOR, kommunenummer="5001"),
    DemoUser("kontoradmin", "Kari", "Kontoradmin", "Seniorrådgiver", Role.OFFICE_ADMIN),
    DemoUser("hdir", "Hanne", "Direktorat", "Seniorrådgiver, Helsedirektoratet", Role.NATIONAL),
    DemoUser("admin", "Anne", "Admin", "Systemforvalter", Role.ADMIN),
]


@transaction.atomic
def load_demo() -> list[DemoUser]:
    if settings.PRODUCTION:
        raise ImproperlyConfigured("The demo is never loaded in production")
    office = Office.objects.get(name=DEMO_OFFICE)
    for spec in DEMO_USERS:
        organisation = None
        if spec.kommunenummer:
            organisation = Organisation.objects.get(
                kind=OrganisationKind.KOMMUNE, kommunenummer=spec.kommunenummer
            )
        elif spec.fylkeskommune:
            organisation = Organisation.objects.get(kind=OrganisationKind.FYLKESKOMMUNE, fylke__number="50")
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "title": spec.title,
                "email": f"{spec.username}@demo.example",
                "role": spec.role,
                "organisation": organisation,
                "office": office if spec.role in OFFICE_STAFF_ROLES else None,
                "is_staff": spec.role == Role.ADMIN,
                "is_superuser": spec.role == Role.ADMIN,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    _demo_register_details(office)
    _demo_invitation()
    load_demo_rounds()
    load_demo_amendments()
    return DEMO_USERS


# The office's letterhead and Trondheim kommune's postal address as published on their own
# websites (confirm before relying on them); the product leaves them empty until someone
# fills them in the admin, or the register import does.
DEMO_OFFICE_CONTACT = {
    "postal_address": "Postboks 4710 Torgarden",
    "postal_code": "7468",
    "postal_town": "Trondheim",
    "phone": "73 19 90 00",
    "email": "sftlpost@statsforvalteren.no",
}
DEMO_POSTAL_ADDRESSES = {"5001": ("Postboks 2300 Torgarden", "7004", "Trondheim")}


def placeholder_organisasjonsnummer(seed: int) -> str:
    """DEMO DATA, NOT A REAL NUMBER: nine digits starting 99 with a valid MOD11 check digit."""
    return with_check_digit(f"99{seed:06d}", ORGNR_WEIGHTS)


def _demo_register_details(office: Office) -> None:
    """Fill what the register import would: letterhead, addresses and (placeholder) organisation numbers.

    The organisation numbers are placeholders, clearly not the real ones: the real numbers
    come from Brønnøysundregistrene's file through ``manage.py import_enhetsregisteret``.
    Only empty fields are filled, so a real import (or a signer's own entry) is kept.
    """
    Office.objects.filter(pk=office.pk, postal_address="").update(**DEMO_OFFICE_CONTACT)
    for organisation in Organisation.objects.in_office(office).filter(valid_to__isnull=True).order_by("pk"):
        fields = {}
        if not organisation.organisasjonsnummer:
            fields["organisasjonsnummer"] = placeholder_organisasjonsnummer(organisation.pk * 10)
        if not organisation.postal_address and organisation.kommunenummer in DEMO_POSTAL_ADDRESSES:
            address, code, town = DEMO_POSTAL_ADDRESSES[organisation.kommunenummer]
            fields.update(postal_address=address, postal_code=code, postal_town=town)
        if fields:
            Organisation.objects.filter(pk=organisation.pk).update(**fields)


DEMO_INVITATION = "ny.kollega@trondheim.demo.example"


def _demo_invitation() -> None:
    """One open invitation from Trondheim's administrator, so the people page shows one (made once)."""
    trondheim = Organisation.objects.get(kind=OrganisationKind.KOMMUNE, kommunenummer="5001")
    if Invitation.objects.filter(organisation=trondheim, email=DEMO_INVITATION).exists():
        return
    invitations.invite(
        by=apply(User.objects.get(username="tilgang")),
        email=DEMO_INVITATION,
        role=Role.APPLICANT,
        organisation=trondheim,
        base_url="http://127.0.0.1:8000",
    )
