"""Roles over time (SPEC "Parties and roles"): the role in force decides what a person may do.

A person may hold roles in several places, each for a period; ending a role takes effect on
the person's next request; someone with roles at two places acts for one at a time.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_application, make_round
from tilskudd.accounts import memberships, roles
from tilskudd.accounts.models import Membership, Role, User
from tilskudd.caselog.models import Entry

pytestmark = pytest.mark.django_db


def _person(username="kari", **fields):
    return User.objects.create(username=username, first_name="Kari", last_name="Konsulent", **fields)


def _admin_of(organisation, username="tilgang"):
    return User.objects.create(username=username, role=Role.ORG_ADMIN, organisation=organisation)


def _office_admin(office, username="kontoradmin"):
    """An office administrator as a request sees them after a two-step login."""
    admin = _as(User.objects.create(username=username, role=Role.OFFICE_ADMIN, office=office))
    admin.strong_login = True
    return admin


def _as(user):
    """The user as a request would see them: roles from the memberships in force."""
    return roles.apply(User.objects.get(pk=user.pk))


def test_a_user_made_with_a_role_holds_it_as_a_membership(cast):
    membership = Membership.objects.get(user=cast.signer_a)
    assert (membership.role, membership.organisation, membership.valid_until) == (
        Role.SIGNER,
        cast.kommune_a,
        None,
    )
    assert _as(cast.signer_a).role == Role.SIGNER


def test_a_new_person_has_no_role_and_sees_nothing(cast, client):
    person = _person()
    client.force_login(person)
    page = client.get(reverse("home:home"))
    assert page.status_code == 200 and "home/home_no_role.html" in [t.name for t in page.templates]
    assert _as(person).role == Role.NONE
    round = make_round(cast.office_t)
    application = make_application(round, cast.kommune_a, by=cast.applicant_a)
    assert client.get(reverse("applications:application_detail", args=[application.pk])).status_code == 404


def test_an_ended_role_takes_effect_on_the_next_request(cast, client):
    round = make_round(cast.office_t)
    application = make_application(round, cast.kommune_a, by=cast.applicant_a)
    url = reverse("applications:application_detail", args=[application.pk])
    client.force_login(cast.applicant_a)
    assert client.get(url).status_code == 200
    admin = _admin_of(cast.kommune_a)
    memberships.end(by=_as(admin), membership=Membership.objects.get(user=cast.applicant_a), reason="Sluttet")
    assert client.get(url).status_code == 404  # same session, no new login
    assert User.objects.get(pk=cast.applicant_a.pk).role == Role.NONE
    ended = Entry.objects.get(kind="role_ended")
    assert (ended.actor, ended.organisation_id, ended.reason) == (admin, cast.kommune_a.pk, "Sluttet")


def test_a_role_whose_last_day_has_passed_is_not_in_force(cast):
    membership = Membership.objects.get(user=cast.applicant_a)
    Membership.objects.filter(pk=membership.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    assert _as(cast.applicant_a).role == Role.NONE
    Membership.objects.filter(pk=membership.pk).update(valid_until=timezone.localdate())
    assert _as(cast.applicant_a).role == Role.APPLICANT  # the last day is included


def test_a_role_that_starts_later_is_not_yet_in_force(cast):
    person = _person()
    memberships.grant(
        by=_as(_admin_of(cast.kommune_a)),
        user=person,
        role=Role.APPLICANT,
        organisation=cast.kommune_a,
        valid_from=timezone.localdate() + timedelta(days=7),
    )
    assert _as(person).role == Role.NONE
    tomorrow_week = timezone.localdate() + timedelta(days=7)
    assert roles.apply(User.objects.get(pk=person.pk), day=tomorrow_week).role == Role.APPLICANT


def test_an_adviser_who_moves_acts_for_the_new_kommune_only(cast, client):
    round = make_round(cast.office_t)
    old = make_application(round, cast.kommune_a, by=cast.applicant_a)
    person = cast.applicant_a
    memberships.end(by=_as(_admin_of(cast.kommune_a)), membership=Membership.objects.get(user=person))
    round_n = make_round(cast.office_n)
    new = make_application(round_n, cast.kommune_b, by=cast.applicant_b)
    memberships.grant(
        by=_as(_admin_of(cast.kommune_b, "tilgang_b")),
        user=person,
        role=Role.APPLICANT,
        organisation=cast.kommune_b,
    )
    client.force_login(person)
    assert client.get(reverse("applications:application_detail", args=[new.pk])).status_code == 200
    assert client.get(reverse("applications:application_detail", args=[old.pk])).status_code == 404
    assert User.objects.get(pk=person.pk).organisation == cast.kommune_b  # the columns follow


def test_a_consultant_for_two_kommuner_acts_for_one_at_a_time(cast, client):
    round_t, round_n = make_round(cast.office_t), make_round(cast.office_n)
    in_a = make_application(round_t, cast.kommune_a, by=cast.applicant_a)
    in_b = make_application(round_n, cast.kommune_b, by=cast.applicant_b)
    person = _person()
    memberships.grant(
        by=_as(_admin_of(cast.kommune_a)), user=person, role=Role.APPLICANT, organisation=cast.kommune_a
    )
    memberships.grant(
        by=_as(_admin_of(cast.kommune_b, "tilgang_b")),
        user=person,
        role=Role.SIGNER,
        organisation=cast.kommune_b,
    )
    client.force_login(person)
    url_a = reverse("applications:application_detail", args=[in_a.pk])
    url_b = reverse("applications:application_detail", args=[in_b.pk])
    assert client.get(url_a).status_code == 200 and client.get(url_b).status_code == 404
    account = client.get(reverse("accounts:account")).content.decode()
    assert cast.kommune_a.display_name in account and cast.kommune_b.display_name in account
    client.post(reverse("accounts:act_for"), {"place": f"o{cast.kommune_b.pk}"})
    assert client.get(url_b).status_code == 200 and client.get(url_a).status_code == 404
    # A place without a role is refused, and changes nothing.
    assert client.post(reverse("accounts:act_for"), {"place": f"o{cast.kommune_c.pk}"}).status_code == 400
    assert client.get(url_b).status_code == 200


def test_an_ansattporten_organisation_chooses_the_place_but_never_grants_a_role(cast, client):
    for organisation, orgnr in (
        (cast.kommune_a, "942110464"),
        (cast.kommune_b, "972418013"),
        (cast.kommune_c, "958935420"),
    ):
        organisation.organisasjonsnummer = orgnr
        organisation.save(update_fields=["organisasjonsnummer"])
    person = _person()
    memberships.grant(
        by=_as(_admin_of(cast.kommune_a)), user=person, role=Role.APPLICANT, organisation=cast.kommune_a
    )
    memberships.grant(
        by=_as(_admin_of(cast.kommune_b, "tilgang_b")),
        user=person,
        role=Role.APPLICANT,
        organisation=cast.kommune_b,
    )
    fresh = User.objects.get(pk=person.pk)
    assert roles.apply(fresh, orgnr=cast.kommune_b.organisasjonsnummer).organisation_id == cast.kommune_b.pk
    fresh = User.objects.get(pk=person.pk)
    assert roles.apply(fresh, orgnr=cast.kommune_c.organisasjonsnummer).role == Role.NONE


def test_roles_at_one_place_add_up_and_the_strongest_is_the_role(cast):
    admin = _admin_of(cast.kommune_a)
    office_admin = _office_admin(cast.office_t)
    memberships.grant(by=office_admin, user=cast.signer_a, role=Role.ORG_ADMIN, organisation=cast.kommune_a)
    signer = _as(cast.signer_a)
    assert signer.role == Role.SIGNER and signer.roles == {Role.SIGNER, Role.ORG_ADMIN}
    assert signer.administers_organisation(cast.kommune_a.pk) and signer.can_submit
    assert not _as(admin).is_applicant_side  # administering people is not drafting applications


def test_who_may_give_which_role(cast):
    admin_a = _as(_admin_of(cast.kommune_a))
    person = _person()
    # The organisation's administrator: roles at its own organisation only.
    memberships.grant(by=admin_a, user=person, role=Role.APPLICANT, organisation=cast.kommune_a)
    with pytest.raises(PermissionDenied):
        memberships.grant(by=admin_a, user=person, role=Role.APPLICANT, organisation=cast.kommune_b)
    with pytest.raises(PermissionDenied):
        memberships.grant(by=admin_a, user=person, role=Role.CASE_OFFICER, office=cast.office_t)
    # Nobody raises their own access.
    with pytest.raises(PermissionDenied):
        memberships.grant(by=admin_a, user=admin_a, role=Role.SIGNER, organisation=cast.kommune_a)
    # A writer gives no roles; a case officer appoints no administrator.
    with pytest.raises(PermissionDenied):
        memberships.grant(by=_as(cast.signer_a), user=person, role=Role.SIGNER, organisation=cast.kommune_a)
    with pytest.raises(PermissionDenied):
        memberships.grant(
            by=_as(cast.officer_t), user=person, role=Role.ORG_ADMIN, organisation=cast.kommune_a
        )
    # The office's administrator: its staff, and the first administrator of an organisation it covers.
    office_admin = _office_admin(cast.office_t)
    memberships.grant(by=office_admin, user=_person("ny"), role=Role.CASE_OFFICER, office=cast.office_t)
    memberships.grant(by=office_admin, user=_person("ny2"), role=Role.ORG_ADMIN, organisation=cast.kommune_a)
    with pytest.raises(PermissionDenied):  # Nordland's kommune is not Trøndelag's to appoint
        memberships.grant(
            by=office_admin, user=_person("ny3"), role=Role.ORG_ADMIN, organisation=cast.kommune_b
        )
    with pytest.raises(PermissionDenied):  # nor its signer
        memberships.grant(by=office_admin, user=_person("ny4"), role=Role.SIGNER, organisation=cast.kommune_a)
    with pytest.raises(PermissionDenied):
        memberships.grant(by=office_admin, user=_person("ny5"), role=Role.APPROVER, office=cast.office_n)
    granted = Entry.objects.filter(kind="role_granted")
    assert granted.count() == 3 and set(granted.values_list("actor__username", flat=True)) == {
        "tilgang",
        "kontoradmin",
    }


def test_a_role_must_fit_its_place_and_its_period_is_bounded(cast):
    admin = _as(_admin_of(cast.kommune_a))
    person = _person()
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        memberships.grant(by=admin, user=person, role=Role.CASE_OFFICER, organisation=cast.kommune_a)
    with pytest.raises(ValidationError) as past:
        memberships.grant(
            by=admin,
            user=person,
            role=Role.APPLICANT,
            organisation=cast.kommune_a,
            valid_from=today - timedelta(days=1),
        )
    assert "valid_from" in past.value.message_dict
    with pytest.raises(ValidationError) as backwards:
        memberships.grant(
            by=admin,
            user=person,
            role=Role.APPLICANT,
            organisation=cast.kommune_a,
            valid_from=today + timedelta(days=5),
            valid_until=today + timedelta(days=4),
        )
    assert "valid_until" in backwards.value.message_dict
    with pytest.raises(ValidationError):
        memberships.grant(
            by=admin,
            user=person,
            role=Role.APPLICANT,
            organisation=cast.kommune_a,
            valid_until=today + timedelta(days=4000),
        )
    memberships.grant(by=admin, user=person, role=Role.APPLICANT, organisation=cast.kommune_a)
    with pytest.raises(ValidationError):  # the same role twice at once
        memberships.grant(by=admin, user=person, role=Role.APPLICANT, organisation=cast.kommune_a)
    assert Membership.objects.filter(user=person).count() == 1


def test_changing_a_role_keeps_the_history(cast):
    admin = _as(_admin_of(cast.kommune_a))
    old = Membership.objects.get(user=cast.applicant_a)
    new = memberships.change(by=admin, membership=old, role=Role.SIGNER, reason="Fått signeringsrett")
    old.refresh_from_db()
    assert old.ended_at is not None and new.role == Role.SIGNER
    assert _as(cast.applicant_a).can_submit
    assert list(Entry.objects.filter(organisation_id=cast.kommune_a.pk).values_list("kind", flat=True)) == [
        "role_ended",
        "role_granted",
    ]


def test_an_api_token_stops_working_for_what_an_ended_role_gave(cast, client):
    from tilskudd.api.services import create_token

    round = make_round(cast.office_t)
    application = make_application(round, cast.kommune_a, by=cast.applicant_a)
    _token, secret = create_token(user=cast.applicant_a, name="Sak", scope="read", days=30)
    url = f"/api/v1/applications/{application.pk}"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(url, **headers).status_code == 200
    memberships.end(
        by=_as(_admin_of(cast.kommune_a)), membership=Membership.objects.get(user=cast.applicant_a)
    )
    assert client.get(url, **headers).status_code == 404


def test_letters_and_reminders_go_to_the_people_whose_role_is_in_force(cast):
    signers = memberships.people_with(Role.SIGNER, organisation_id=cast.kommune_a.pk)
    assert list(signers) == [cast.signer_a]
    memberships.end(by=_as(_admin_of(cast.kommune_a)), membership=Membership.objects.get(user=cast.signer_a))
    assert not memberships.people_with(Role.SIGNER, organisation_id=cast.kommune_a.pk).exists()


def test_an_office_administrator_manages_people_only_from_a_strong_login(cast):
    from tilskudd.accounts.access import SecondFactorRequired

    office_admin = _office_admin(cast.office_t)
    office_admin.strong_login = False  # a password alone
    with pytest.raises(SecondFactorRequired):
        memberships.grant(by=office_admin, user=_person(), role=Role.CASE_OFFICER, office=cast.office_t)
    with pytest.raises(SecondFactorRequired):
        memberships.end(by=office_admin, membership=Membership.objects.get(user=cast.officer_t))
    assert not Membership.objects.filter(user__username="kari").exists()
    # The organisation's own administrator is not held to it.
    memberships.grant(
        by=_as(_admin_of(cast.kommune_a)),
        user=_person("per"),
        role=Role.APPLICANT,
        organisation=cast.kommune_a,
    )
