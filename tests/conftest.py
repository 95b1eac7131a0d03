"""The test cast (STYLE §9) and shared fixtures.

Two kommuner in two offices, each with an applicant and a signer; a fylkeskommune
user; a case officer and an approver at each of the two offices; a national reader;
an administrator; and an outsider at a third kommune in a third office. Trondheim also
has its administrator (who manages its people) and its auditor; Trøndelag's office its
administrator (who manages the office's staff). Tests read
like sentences: ``cast.officer_n`` (Nordland) must not see ``cast.kommune_a``.
"""

import functools
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django_otp import DEVICE_ID_SESSION_KEY

from tests.helpers import verified_app
from tests.oidc_provider.fixtures import oidc_provider  # noqa: F401 (a fixture for every test)
from tilskudd.accounts.access import second_factor_required
from tilskudd.accounts.models import Role, User
from tilskudd.organisations.models import Office, Organisation, OrganisationKind
from tilskudd.organisations.reference import load_reference_data


@pytest.fixture
def reference_data(db):
    """The migration loads it; a transactional test's flush removes it, so load it again if so."""
    if not Organisation.objects.exists():
        load_reference_data(apps)


@dataclass
class Cast:
    kommune_a: Organisation  # Trondheim, Statsforvalteren i Trøndelag
    kommune_b: Organisation  # Bodø, Statsforvalteren i Nordland
    kommune_c: Organisation  # Oslo, Statsforvalteren i Østfold, Buskerud, Oslo og Akershus
    fylkeskommune: Organisation  # Trøndelag fylkeskommune
    office_t: Office
    office_n: Office
    applicant_a: User
    signer_a: User
    applicant_b: User
    signer_b: User
    fylke_user: User
    officer_t: User
    approver_t: User
    officer_n: User
    approver_n: User
    national: User
    admin: User
    outsider: User
    org_admin_a: User  # Trondheim's administrator (tilgangsstyrer): people and details, no drafting
    auditor_a: User  # Trondheim's auditor
    office_admin_t: User  # Statsforvalteren i Trøndelag's administrator: its staff

    def members(self) -> dict[str, User]:
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


PASSWORD = "correct horse battery staple"


@functools.cache
def _password_hash() -> str:
    # Hash once per session: Argon2 is slow on purpose, and the cast has 17 people.
    return make_password(PASSWORD)


def _user(username: str, role: Role, *, organisation=None, office=None, **extra) -> User:
    user = User.objects.create(
        username=username,
        password=_password_hash(),
        first_name=username.replace("_", " ").title(),
        role=role,
        organisation=organisation,
        office=office,
        **extra,
    )
    return user


@pytest.fixture
def cast(reference_data) -> Cast:
    kommune = Organisation.objects.filter(kind=OrganisationKind.KOMMUNE)
    kommune_a = kommune.get(kommunenummer="5001")
    kommune_b = kommune.get(kommunenummer="1804")
    kommune_c = kommune.get(kommunenummer="0301")
    fylkeskommune = Organisation.objects.get(kind=OrganisationKind.FYLKESKOMMUNE, fylke__number="50")
    office_t = Office.objects.get(name="Statsforvalteren i Trøndelag")
    office_n = Office.objects.get(name="Statsforvalteren i Nordland")
    cast = Cast(
        kommune_a=kommune_a,
        kommune_b=kommune_b,
        kommune_c=kommune_c,
        fylkeskommune=fylkeskommune,
        office_t=office_t,
        office_n=office_n,
        applicant_a=_user("applicant_a", Role.APPLICANT, organisation=kommune_a),
        signer_a=_user("signer_a", Role.SIGNER, organisation=kommune_a),
        applicant_b=_user("applicant_b", Role.APPLICANT, organisation=kommune_b),
        signer_b=_user("signer_b", Role.SIGNER, organisation=kommune_b),
        fylke_user=_user("fylke_user", Role.SIGNER, organisation=fylkeskommune),
        officer_t=_user("officer_t", Role.CASE_OFFICER, office=office_t),
        approver_t=_user("approver_t", Role.APPROVER, office=office_t),
        officer_n=_user("officer_n", Role.CASE_OFFICER, office=office_n),
        approver_n=_user("approver_n", Role.APPROVER, office=office_n),
        national=_user("national", Role.NATIONAL),
        admin=_user("admin", Role.ADMIN, is_staff=True, is_superuser=True),
        outsider=_user("outsider", Role.SIGNER, organisation=kommune_c),
        org_admin_a=_user("org_admin_a", Role.ORG_ADMIN, organisation=kommune_a),
        # (username revisor_a: tests that make an auditor of their own call theirs auditor_a)
        auditor_a=_user("revisor_a", Role.AUDITOR, organisation=kommune_a),
        office_admin_t=_user("office_admin_t", Role.OFFICE_ADMIN, office=office_t),
    )
    # Approving needs a strong login (two-step login or ID-porten/Ansattporten). The cast's approvers act
    # as if they had logged in with two steps when a test calls a service with them directly; the
    # refusal without it is shown in tests/test_twofactor.py.
    cast.approver_t.strong_login = True
    cast.approver_n.strong_login = True
    cast.office_admin_t.strong_login = True  # so does managing the office's people
    return cast


@pytest.fixture
def client_for(client):
    """``client_for(cast.signer_a)`` -> a test client logged in as that person."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
            if second_factor_required(user):
                # Those who must use two-step login (approvers) log in with it: a confirmed app, and the
                # session marked as having passed the second step, as the code step does.
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = verified_app(user).persistent_id
                session.save()
        return client

    return login


@pytest.fixture(autouse=True)
def private_uploads(settings, tmp_path):
    """Uploads in tests land in a temporary folder, never in var/uploads."""
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def stylesheet_parses(monkeypatch) -> list[dict]:
    """Each PDF stylesheet parsed from now on (the arguments to WeasyPrint's CSS), as in a fresh worker thread."""
    import threading

    from tilskudd.ui import pdf

    parsed = []
    real_css = pdf.CSS

    def counting_css(**kwargs):
        parsed.append(kwargs)
        return real_css(**kwargs)

    monkeypatch.setattr(pdf, "CSS", counting_css)
    monkeypatch.setattr(pdf, "_parsed", threading.local())
    return parsed


@pytest.fixture
def cold_caches(settings):
    """Every cache read misses (both of settings.CACHES), so a page computes all it shows: for query counts."""
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    settings.CACHES = {"default": dummy, "shared": dummy}
