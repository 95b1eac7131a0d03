"""The demo: Statsforvalteren i Trøndelag, its kommuner, and one person per role.

Loaded by ``make run``; idempotent. Never in production.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from tilskudd.accounts.models import Role, User
from tilskudd.demo.rounds import load_demo_rounds
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
            ).name
        if self.fylkeskommune:
            return "Trøndelag fylkeskommune"
        if self.role in (Role.CASE_OFFICER, Role.APPROVER):
            return DEMO_OFFICE
        return "Helsedirektoratet" if self.role == Role.NATIONAL else ""


DEMO_USERS = [
    DemoUser("soker", "Siri", "Søker", "Rådgiver helse og omsorg", Role.APPLICANT, kommunenummer="5001"),
    DemoUser("leder", "Lars", "Leder", "Kommunalsjef helse og velferd", Role.SIGNER, kommunenummer="5001"),
    DemoUser("steinkjer", "Stine", "Steinkjer", "Kommunalsjef", Role.SIGNER, kommunenummer="5006"),
    DemoUser("fylke", "Frode", "Fylke", "Seksjonsleder", Role.SIGNER, fylkeskommune=True),
    DemoUser("saksbehandler", "Sara", "Saksbehandler", "Seniorrådgiver", Role.CASE_OFFICER),
    DemoUser("godkjenner", "Geir", "Godkjenner", "Avdelingsdirektør", Role.APPROVER),
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
                "office": office if spec.role in (Role.CASE_OFFICER, Role.APPROVER) else None,
                "is_staff": spec.role == Role.ADMIN,
                "is_superuser": spec.role == Role.ADMIN,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    load_demo_rounds()
    return DEMO_USERS
