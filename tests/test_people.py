"""Self-administration (issue 16, part 4): an organisation's administrator invites colleagues by e-mail,
changes and ends their roles; an office's administrator does the same for its staff and appoints
the first administrator of an organisation it covers; every change is in the access log."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, _password_hash
from tests.factories import make_application, make_round
from tests.helpers import assert_queries_constant
from tilskudd.accounts import invitations, memberships, roles
from tilskudd.accounts.models import Invitation, Membership, Role, User
from tilskudd.applications.models import Status
from tilskudd.caselog.models import Entry

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/invitasjon/[^/\s]+/)")


@pytest.fixture
def tasks_run_at_once(settings):
    """The invitation e-mail is sent by the background worker; here it runs inside the request."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }


def _as(user):
    """The user as a request would see them: roles from the memberships in force (and, for the cast's
    approvers and office administrator, a login with two steps, as conftest gives them)."""
    seen = roles.apply(User.objects.get(pk=user.pk))
    seen.strong_login = getattr(user, "strong_login", False)
    return seen


def _strong_login(client, user):
    """Logged in with two steps, as an office administrator must be to manage people."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from tests.helpers import verified_app

    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = verified_app(user).persistent_id
    session.save()


def _person(username="kari", **fields):
    return User.objects.create(
        username=username,
        first_name="Kari",
        last_name="Kollega",
        password=_password_hash(),
        **fields,
    )


def _people_url(organisation):
    return reverse("organisations:organisation_people", args=[organisation.pk])


def _invite(cast, email="kari@trondheim.example", role=Role.APPLICANT, by=None, **fields):
    return invitations.invite(
        by=_as(by or cast.org_admin_a),
        email=email,
        role=role,
        organisation=cast.kommune_a,
        base_url="https://tilskudd.example",
        **fields,
    )


def _sent_link(invitation) -> str:
    """Send the invitation as the worker would and return the link's path (the token is known only there)."""
    from django.core import mail

    invitations.send_invitation.call(invitation_id=invitation.pk, base_url="https://t.example", language="nb")
    return LINK.search(mail.outbox[-1].body).group(1)


def _token(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


# --- The whole invitation, as the people involved do it --------------------------------------------


def test_an_invitation_from_e_mail_to_a_role_in_force(client, cast, mailoutbox, tasks_run_at_once):
    client.force_login(cast.org_admin_a)
    page = client.get(_people_url(cast.kommune_a))
    assert page.status_code == 200 and "Inviter en person" in page.content.decode()
    response = client.post(
        _people_url(cast.kommune_a),
        {"email": "Kari@Trondheim.example", "role": "applicant", "valid_until": ""},
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["Kari@trondheim.example"]
    assert "Trondheim kommune" in mail.subject and "skrivetilgang" in mail.subject
    path = LINK.search(mail.body).group(1)
    token = _token(path)
    assert Invitation.objects.get().token_hash == hashlib.sha256(token.encode()).hexdigest()

    client.logout()
    anonymous = client.get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == reverse("accounts:login") + "?next=" + path

    person = _person()
    login = client.post(
        reverse("accounts:login") + "?next=" + path, {"username": "kari", "password": PASSWORD, "next": path}
    )
    assert login.status_code == 302 and login["Location"] == path
    offer = client.get(path)
    body = offer.content.decode()
    assert offer.status_code == 200
    assert "Org Admin A" in body and "Kari@trondheim.example" in body and "Trondheim kommune" in body
    assert offer["Cache-Control"].startswith("max-age=0") or "no-cache" in offer["Cache-Control"]

    accepted = client.post(path)
    assert accepted.status_code == 302 and accepted["Location"] == reverse("home:home")
    held = _as(person)
    assert held.role == Role.APPLICANT and held.organisation_id == cast.kommune_a.pk
    membership = Membership.objects.get(user=person)
    assert membership.granted_by == cast.org_admin_a
    assert "home/home_applicant.html" in [t.name for t in client.get("/").templates]

    # A double click: the second accept grants nothing more.
    again = client.post(path)
    assert again.status_code == 302
    assert Membership.objects.filter(user=person).count() == 1
    assert client.get(path).status_code == 200  # "you have accepted this invitation"

    log = Entry.objects.filter(organisation_id=cast.kommune_a.pk).order_by("pk")
    assert list(log.values_list("kind", flat=True)) == [
        "invitation_sent",
        "role_granted",
        "invitation_accepted",
    ]
    accepted_entry = log.get(kind="invitation_accepted")
    assert accepted_entry.actor == person
    assert "Kari@trondheim.example" in accepted_entry.detail and "kari" in accepted_entry.detail
    assert log.get(kind="role_granted").actor == cast.org_admin_a


def test_the_links_token_is_made_by_the_worker_and_only_its_hash_is_kept(cast, mailoutbox):
    from django_tasks_db.models import DBTaskResult

    invitation = _invite(cast)
    queued = DBTaskResult.objects.get()  # queued in the invitation's own transaction
    assert invitation.token_hash == "" and not mailoutbox
    queued_args = str(queued.args_kwargs)
    path = _sent_link(invitation)
    token = _token(path)
    invitation.refresh_from_db()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in queued_args and token not in str(DBTaskResult.objects.get().args_kwargs)
    # The worker sends once: running the task again makes no second link.
    invitations.send_invitation.call(invitation_id=invitation.pk, base_url="https://t.example", language="nb")
    assert len(mailoutbox) == 1


def test_the_invitation_is_in_the_organisations_written_language(cast, mailoutbox, tasks_run_at_once):
    cast.kommune_a.written_language = "nn"
    cast.kommune_a.save(update_fields=["written_language"])
    _invite(cast, role=Role.SIGNER)
    assert "signeringsrett" in mailoutbox[0].subject
    assert "Opne lenkja" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("case", "status", "says"),
    [
        ("forged", 404, "Invitasjonslenken virker ikke"),
        ("expired", 410, "Invitasjonen har gått ut"),
        ("withdrawn", 410, "Invitasjonen er trukket tilbake"),
        ("used", 410, "Invitasjonen er brukt"),
        ("inviter", 410, "Invitasjonen kan ikke lenger brukes"),
    ],
)
def test_a_link_that_does_not_work_says_why(client, cast, mailoutbox, case, status, says):
    invitation = _invite(cast)
    path = _sent_link(invitation)
    if case == "forged":
        path = reverse("accounts:invitation", args=["x" * 43])
    elif case == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    elif case == "withdrawn":
        invitations.withdraw(by=_as(cast.org_admin_a), invitation=invitation)
    elif case == "used":
        someone = _person("someone")
        invitations.accept(by=someone, token=_token(path))
    elif case == "inviter":
        # The inviter is no longer the administrator: their open invitations cannot be used.
        memberships.end(by=_as(cast.admin), membership=Membership.objects.get(user=cast.org_admin_a))
    person = _person()
    client.force_login(person)
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == status, (method, response.status_code)
        assert says in response.content.decode()
    assert not Membership.objects.filter(user=person).exists()


def test_nobody_accepts_their_own_invitation(client, cast, mailoutbox):
    path = _sent_link(_invite(cast))
    client.force_login(cast.org_admin_a)
    assert client.post(path).status_code == 403
    assert Membership.objects.filter(user=cast.org_admin_a).count() == 1


def test_an_invitation_needs_no_matching_account_address_but_says_where_it_went(client, cast, mailoutbox):
    path = _sent_link(_invite(cast, email="kari.privat@example.org"))
    person = _person(email="kari@trondheim.example")
    client.force_login(person)
    body = client.get(path).content.decode()
    assert "kari.privat@example.org" in body and "kari@trondheim.example" in body
    assert client.post(path).status_code == 302
    assert _as(person).role == Role.APPLICANT


# --- Who may invite whom where ------------------------------------------------------------------


def test_only_administrators_invite(client, cast):
    for who in (cast.signer_a, cast.applicant_a, cast.auditor_a, cast.officer_t):
        with pytest.raises(PermissionDenied):
            _invite(cast, by=who)
        client.force_login(who)
        assert client.get(_people_url(cast.kommune_a)).status_code == 404, who
        assert (
            client.post(_people_url(cast.kommune_a), {"email": "x@y.no", "role": "applicant"}).status_code
            == 404
        )
        detail = client.get(reverse("organisations:organisation_detail", args=[cast.kommune_a.pk]))
        assert _people_url(cast.kommune_a) not in detail.content.decode()
    assert not Invitation.objects.exists()


def test_an_organisations_administrator_cannot_touch_another_organisations_people(client, cast):
    other = Membership.objects.get(user=cast.signer_b)
    invitation = invitations.invite(
        by=_as(cast.admin),
        email="ny@bodo.example",
        role=Role.APPLICANT,
        organisation=cast.kommune_b,
        base_url="https://t.example",
    )
    client.force_login(cast.org_admin_a)
    for url in (
        _people_url(cast.kommune_b),
        reverse("organisations:role", args=[other.pk]),
        reverse("organisations:invitation", args=[invitation.pk]),
        reverse("organisations:office_people", args=[cast.office_t.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"action": "end", "end-reason": "x", "email": "x@y.no"}).status_code == 404, (
            url
        )
    other.refresh_from_db()
    invitation.refresh_from_db()
    assert other.ended_at is None and invitation.withdrawn_at is None


def test_the_office_appoints_the_first_administrator_of_a_kommune_it_covers(client, cast, mailoutbox):
    _strong_login(client, cast.office_admin_t)
    page = client.get(_people_url(cast.kommune_a)).content.decode()
    # It may appoint administrators there, and nothing else.
    assert 'value="org_admin"' in page and 'value="applicant"' not in page and 'value="signer"' not in page
    assert (
        client.post(
            _people_url(cast.kommune_a), {"email": "leder@trondheim.example", "role": "signer"}
        ).status_code
        == 400
    )
    response = client.post(
        _people_url(cast.kommune_a), {"email": "sjef@trondheim.example", "role": "org_admin"}
    )
    assert response.status_code == 302
    path = _sent_link(Invitation.objects.get(email="sjef@trondheim.example"))
    person = _person("sjef")
    client.force_login(person)
    client.post(path)
    assert _as(person).administers_organisation(cast.kommune_a.pk)
    # The office's own page lists the organisations and their administrators.
    _strong_login(client, cast.office_admin_t)
    office_page = client.get(reverse("organisations:office_people", args=[cast.office_t.pk])).content.decode()
    assert "Kari Kollega" in office_page
    # Bodø is Nordland's: Trøndelag's administrator appoints nobody there.
    assert client.get(_people_url(cast.kommune_b)).status_code == 404
    with pytest.raises(PermissionDenied):
        invitations.invite(
            by=_as(cast.office_admin_t),
            email="sjef@bodo.example",
            role=Role.ORG_ADMIN,
            organisation=cast.kommune_b,
            base_url="https://t.example",
        )


def test_the_office_administrator_invites_the_offices_staff(client, cast, mailoutbox):
    url = reverse("organisations:office_people", args=[cast.office_t.pk])
    _strong_login(client, cast.office_admin_t)
    page = client.get(url).content.decode()
    assert 'value="case_officer"' in page and 'value="approver"' in page and 'value="office_admin"' in page
    assert client.post(url, {"email": "ny@sf.example", "role": "case_officer"}).status_code == 302
    path = _sent_link(Invitation.objects.get())
    person = _person("ny")
    client.force_login(person)
    client.post(path)
    assert _as(person).works_at(cast.office_t.pk)
    # The office's log has it; Nordland's administrator's pages do not exist for Trøndelag.
    _strong_login(client, cast.office_admin_t)
    assert "Kari Kollega" in client.get(url).content.decode()
    client.force_login(cast.org_admin_a)
    assert client.get(url).status_code == 404


def test_inviting_someone_who_has_the_role_already_is_refused_next_to_the_field(client, cast):
    cast.applicant_a.email = "siri@trondheim.example"
    cast.applicant_a.save(update_fields=["email"])
    client.force_login(cast.org_admin_a)
    response = client.post(
        _people_url(cast.kommune_a), {"email": "SIRI@trondheim.example", "role": "applicant"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "har denne rollen her allerede" in " ".join(form.errors["email"])
    # The same address may be invited to another role; twice to the same role is refused too.
    assert (
        client.post(
            _people_url(cast.kommune_a), {"email": "siri@trondheim.example", "role": "signer"}
        ).status_code
        == 302
    )
    again = client.post(_people_url(cast.kommune_a), {"email": "siri@trondheim.example", "role": "signer"})
    assert again.status_code == 400 and "email" in again.context["form"].errors
    assert Invitation.objects.count() == 1


def test_bad_input_on_the_invitation_form_is_said_next_to_the_field(client, cast):
    client.force_login(cast.org_admin_a)
    yesterday = (timezone.localdate() - timedelta(days=1)).strftime("%d.%m.%Y")
    response = client.post(
        _people_url(cast.kommune_a), {"email": "ikke-en-adresse", "role": "ruler", "valid_until": yesterday}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"email", "role"}
    past = client.post(
        _people_url(cast.kommune_a), {"email": "a@b.no", "role": "applicant", "valid_until": yesterday}
    )
    assert past.status_code == 400 and "valid_until" in past.context["form"].errors
    assert not Invitation.objects.exists()


def test_withdrawing_and_sending_again(client, cast, mailoutbox, tasks_run_at_once):
    invitation = _invite(cast)
    first = LINK.search(mailoutbox[-1].body).group(1)
    client.force_login(cast.org_admin_a)
    url = reverse("organisations:invitation", args=[invitation.pk])
    assert client.get(url).status_code == 302  # a reload goes to the page
    assert client.post(url, {"action": "resend"}).status_code == 302
    second = LINK.search(mailoutbox[-1].body).group(1)
    assert first != second
    client.post(url, {"action": "withdraw"})
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None and invitation.withdrawn_by == cast.org_admin_a
    client.force_login(_person())
    assert client.get(first).status_code == 404  # the first link was replaced
    assert client.get(second).status_code == 410
    kinds = list(Entry.objects.filter(organisation_id=cast.kommune_a.pk).values_list("kind", flat=True))
    assert kinds == ["invitation_sent", "invitation_sent", "invitation_withdrawn"]


# --- Changing and ending roles ------------------------------------------------------------------


def test_making_a_writer_signer_lets_them_submit(client, cast):
    application = make_application(make_round(cast.office_t), cast.kommune_a, by=cast.applicant_a)
    submit = reverse("applications:application_submit", args=[application.pk])
    client.force_login(cast.applicant_a)
    assert client.post(submit).status_code == 403
    membership = Membership.objects.get(user=cast.applicant_a)
    admin = client.__class__()
    admin.force_login(cast.org_admin_a)
    role_url = reverse("organisations:role", args=[membership.pk])
    page = admin.get(role_url).content.decode()
    assert "Avslutt rollen skrivetilgang nå" in page
    response = admin.post(
        role_url, {"action": "change", "change-role": "signer", "change-reason": "Ny leder"}
    )
    assert response.status_code == 302
    assert client.post(submit).status_code == 302  # the same session, at once
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.submitted_by == cast.applicant_a
    entries = Entry.objects.filter(organisation_id=cast.kommune_a.pk, kind__in=["role_ended", "role_granted"])
    assert {e.reason for e in entries} == {"Ny leder"}


def test_ending_a_role_ends_that_access_at_once(client, cast):
    application = make_application(make_round(cast.office_t), cast.kommune_a, by=cast.applicant_a)
    url = reverse("applications:application_detail", args=[application.pk])
    client.force_login(cast.applicant_a)
    assert client.get(url).status_code == 200
    admin = client.__class__()
    admin.force_login(cast.org_admin_a)
    membership = Membership.objects.get(user=cast.applicant_a)
    role_url = reverse("organisations:role", args=[membership.pk])
    missing_reason = admin.post(role_url, {"action": "end", "end-reason": ""})
    assert missing_reason.status_code == 400 and "reason" in missing_reason.context["end_form"].errors
    assert admin.post(role_url, {"action": "end", "end-reason": "Sluttet 1. mars"}).status_code == 302
    assert client.get(url).status_code == 404
    assert "home/home_no_role.html" in [t.name for t in client.get("/").templates]
    ended = Entry.objects.get(kind="role_ended")
    assert (ended.actor, ended.reason, ended.organisation_id) == (
        cast.org_admin_a,
        "Sluttet 1. mars",
        cast.kommune_a.pk,
    )
    page = admin.get(_people_url(cast.kommune_a)).content.decode()
    assert "1 avsluttet rolle" in page and "Sluttet 1. mars" in page


def test_a_last_day_is_set_and_cleared_and_never_in_the_past(client, cast):
    membership = Membership.objects.get(user=cast.signer_a)
    role_url = reverse("organisations:role", args=[membership.pk])
    client.force_login(cast.org_admin_a)
    day = timezone.localdate() + timedelta(days=30)
    response = client.post(role_url, {"action": "last_day", "lastday-valid_until": day.strftime("%d.%m.%Y")})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.valid_until == day
    assert _as(cast.signer_a).can_submit  # still in force until then
    past = (timezone.localdate() - timedelta(days=1)).strftime("%d.%m.%Y")
    refused = client.post(role_url, {"action": "last_day", "lastday-valid_until": past})
    assert refused.status_code == 400 and "valid_until" in refused.context["last_day_form"].errors
    client.post(role_url, {"action": "last_day", "lastday-valid_until": ""})
    membership.refresh_from_db()
    assert membership.valid_until is None
    changes = [e.changes[0]["after"] for e in Entry.objects.filter(kind="role_last_day").order_by("pk")]
    assert changes == [day.strftime("%d.%m.%Y"), None]


def test_nobody_changes_their_own_role_on_the_page(client, cast):
    own = Membership.objects.get(user=cast.org_admin_a)
    client.force_login(cast.org_admin_a)
    page = client.get(reverse("organisations:role", args=[own.pk])).content.decode()
    assert "Du kan ikke endre eller avslutte din egen rolle" in page and 'name="action"' not in page
    assert (
        client.post(
            reverse("organisations:role", args=[own.pk]), {"action": "end", "end-reason": "x"}
        ).status_code
        == 403
    )
    own.refresh_from_db()
    assert own.ended_at is None


# --- The pages around them ------------------------------------------------------------------------


def test_the_organisations_page_lists_the_roles_in_force_and_links_its_administrator(client, cast):
    url = reverse("organisations:organisation_detail", args=[cast.kommune_a.pk])
    memberships.end(by=_as(cast.org_admin_a), membership=Membership.objects.get(user=cast.applicant_a))
    client.force_login(cast.signer_a)
    body = client.get(url).content.decode()
    assert "Signer A" in body and "Applicant A" not in body  # the ended role is gone
    assert _people_url(cast.kommune_a) not in body
    client.force_login(cast.org_admin_a)
    assert _people_url(cast.kommune_a) in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("who", "template", "link"),
    [
        ("org_admin_a", "home/home_org_admin.html", "organisation_people"),
        ("office_admin_t", "home/home_office_admin.html", "office_people"),
    ],
)
def test_administrators_have_a_start_page_that_leads_to_people_and_access(client, cast, who, template, link):
    client.force_login(getattr(cast, who))
    response = client.get("/")
    assert template in [t.name for t in response.templates]
    place = cast.kommune_a if link == "organisation_people" else cast.office_t
    assert reverse(f"organisations:{link}", args=[place.pk]) in response.content.decode()


def test_administrators_with_other_roles_find_people_and_access_on_their_start_page(client, cast):
    memberships.grant(
        by=_as(cast.office_admin_t), user=cast.signer_a, role=Role.ORG_ADMIN, organisation=cast.kommune_a
    )
    memberships.grant(by=_as(cast.admin), user=cast.approver_t, role=Role.OFFICE_ADMIN, office=cast.office_t)
    client.force_login(cast.signer_a)
    assert "Personer og tilganger" in client.get("/").content.decode()
    client.force_login(cast.approver_t)
    assert "Personer og tilganger" in client.get("/").content.decode()
    client.force_login(cast.applicant_a)
    assert "Personer og tilganger" not in client.get("/").content.decode()


def test_the_access_log_shows_the_newest_first_and_all_on_request(client, cast):
    admin = _as(cast.org_admin_a)
    for number in range(25):
        memberships.grant(
            by=admin, user=_person(f"p{number}"), role=Role.APPLICANT, organisation=cast.kommune_a
        )
    client.force_login(cast.org_admin_a)
    page = client.get(_people_url(cast.kommune_a))
    assert len(page.context["log"]) == 20 and page.context["log_more"]
    assert page.context["log"][0].at >= page.context["log"][-1].at
    everything = client.get(_people_url(cast.kommune_a) + "?logg=alle")
    assert len(everything.context["log"]) == 25 and not everything.context["log_more"]


def test_the_people_page_takes_as_many_queries_for_many_people(client, cast):
    admin = _as(cast.org_admin_a)
    client.force_login(cast.org_admin_a)
    counter = iter(range(1000))

    def grow():
        for _ in range(4):
            number = next(counter)
            person = _person(f"vekst{number}")
            membership = memberships.grant(
                by=admin, user=person, role=Role.APPLICANT, organisation=cast.kommune_a
            )
            memberships.end(by=admin, membership=membership, reason="Sluttet")
            memberships.grant(
                by=admin,
                user=person,
                role=Role.SIGNER,
                organisation=cast.kommune_a,
                valid_until=timezone.localdate() + timedelta(days=9),
            )
            _invite(cast, email=f"ny{number}@trondheim.example")

    grow()
    assert_queries_constant(client, _people_url(cast.kommune_a), grow)
    _strong_login(client, cast.office_admin_t)
    assert_queries_constant(client, reverse("organisations:office_people", args=[cast.office_t.pk]), grow)


# --- The Django admin: roles are read-only there, and a new one goes through the service ----------


def _admin_post_data(response) -> dict:
    """The change form as the browser would post it: every field's value, the inlines' management forms."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            shown = field.widget.format_value(value)
            data[name] = "" if shown is None else shown
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
    return data


def test_the_admin_shows_roles_read_only_and_gives_a_new_one_through_the_service(client, cast):
    person = _person()
    url = reverse("admin:accounts_user_change", args=[person.pk])
    client.force_login(cast.admin)
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not {"role", "organisation", "office"} & set(form.fields)  # read-only: kept by the services
    data = _admin_post_data(page)
    new = next(i.formset for i in page.context["inline_admin_formsets"] if i.formset.extra)
    data.update(
        {
            f"{new.prefix}-0-role": "signer",
            f"{new.prefix}-0-organisation": str(cast.kommune_a.pk),
            f"{new.prefix}-0-valid_until": "",
            f"{new.prefix}-0-valid_from": "",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    membership = Membership.objects.get(user=person)
    assert (membership.role, membership.organisation, membership.granted_by) == (
        Role.SIGNER,
        cast.kommune_a,
        cast.admin,
    )
    assert Entry.objects.filter(
        kind="role_granted", actor=cast.admin, organisation_id=cast.kommune_a.pk
    ).exists()
    assert User.objects.get(pk=person.pk).role == Role.SIGNER  # the columns follow
    # A role at the wrong kind of place is refused by the form, and nothing is given.
    data[f"{new.prefix}-0-role"] = "case_officer"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert Membership.objects.filter(user=person).count() == 1


# --- The demo (make run) ----------------------------------------------------------------------------


def test_the_demo_has_administrators_an_auditor_and_an_open_invitation(client, reference_data):
    import io

    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # idempotent: still one invitation
    tilgang, kontoradmin, revisor = (
        User.objects.get(username=name) for name in ("tilgang", "kontoradmin", "revisor")
    )
    assert (tilgang.role, tilgang.organisation.kommunenummer) == (Role.ORG_ADMIN, "5001")
    assert (revisor.role, revisor.organisation.kommunenummer) == (Role.AUDITOR, "5001")
    assert (kontoradmin.role, kontoradmin.office.name) == (Role.OFFICE_ADMIN, "Statsforvalteren i Trøndelag")
    invitation = Invitation.objects.get()
    assert invitation.invited_by == tilgang and invitation.is_open(timezone.now())
    client.force_login(tilgang)
    page = client.get(_people_url(tilgang.organisation)).content.decode()
    assert invitation.email in page and "Lars Leder" in page
    client.force_login(kontoradmin)
    assert client.get(reverse("organisations:office_people", args=[kontoradmin.office_id])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_the_same_moment_grant_the_role_once(cast, mailoutbox):
    import threading

    from django.db import connection

    token = _token(_sent_link(_invite(cast)))
    person = _person()
    start = threading.Barrier(2)
    results = []

    def accept():
        try:
            start.wait()
            results.append(invitations.accept(by=User.objects.get(pk=person.pk), token=token).pk)
        except Exception as error:  # noqa: BLE001 - the test reports what happened
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 2 and len(set(results)) == 1 and isinstance(results[0], int), results
    assert Membership.objects.filter(user=person).count() == 1
    assert Entry.objects.filter(kind="invitation_accepted").count() == 1
