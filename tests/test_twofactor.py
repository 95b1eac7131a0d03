"""Two-step login (issue 16, part 5): TOTP with recovery codes, required for approvers.

Done when: an approver without a second factor cannot approve; with one, can. The approval
services refuse a login that is not strong (two-step, or ID-porten/Ansattporten at a
substantial or high level), whatever page or API the call comes from; the pages say why.

The cast's approvers are marked strong in tests/conftest.py so that other tests may call the
services with them; every test here starts from a fresh user object, which is not.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_round, past_deadline, submitted_application
from tests.helpers import app_code, verified_app
from tilskudd.accounts import twofactor
from tilskudd.accounts.access import SecondFactorRequired, require_strong_login, second_factor_required
from tilskudd.accounts.models import User
from tilskudd.assessment import services as assessment
from tilskudd.caselog.selectors import entries_for
from tilskudd.decisions import services as decisions
from tilskudd.decisions.models import Decision

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def fresh(user) -> User:
    """The person as any code outside a web request sees them: not a strong login."""
    return User.objects.get(pk=user.pk)


def prepared(cast) -> Decision:
    """A decision for Trondheim prepared by the case officer, waiting for an approver."""
    round = make_round(cast.office_t, deadline=timezone.now() + timedelta(days=1), carried_over_funds=0)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    round.application_deadline = past_deadline()
    round.save(update_fields=["application_deadline"])
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    return Decision.objects.get(application=application)


def approve_url(decision) -> str:
    return reverse("decisions:decision_approve", args=[decision.application.round_id, decision.pk])


def password_login(client, username, address="127.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR=address
    )


def write_code(client, code):
    return client.post(reverse("accounts:two_step_code"), {"code": code})


def set_up(user) -> tuple[str, list[str]]:
    """Two-step login set up for ``user`` through the service; returns the secret and the recovery codes."""
    key = twofactor.new_secret()
    _app, codes = twofactor.set_up(user=fresh(user), key=key, code=app_code(key))
    return key, codes


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Who must, and what a strong login is -------------------------------------------------------------


def test_approvers_must_use_two_step_login_and_nobody_else_must(cast):
    must = {name for name, user in cast.members().items() if second_factor_required(user)}
    assert must == {"approver_t", "approver_n", "office_admin_t"}
    assert not second_factor_required(AnonymousUser())


def test_an_office_administrator_must_too_whether_the_role_is_one_or_one_of_several(cast):
    from tilskudd.accounts import memberships
    from tilskudd.accounts.models import Role
    from tilskudd.accounts.roles import apply

    officer = fresh(cast.officer_t)
    assert not second_factor_required(officer) and not second_factor_required(apply(fresh(cast.officer_t)))
    head = User.objects.create(username="kontorsjef", role=Role.OFFICE_ADMIN, office=cast.office_t)
    head = apply(head)
    head.strong_login = True  # an office administrator manages people from a strong login
    memberships.grant(by=head, user=officer, role=Role.OFFICE_ADMIN, office=cast.office_t)
    # Read from the database at login (the strongest role in its columns is case officer) ...
    assert fresh(cast.officer_t).role == Role.CASE_OFFICER and second_factor_required(fresh(cast.officer_t))
    # ... and as a request sees them, with both roles in force.
    assert second_factor_required(apply(fresh(cast.officer_t)))
    assert second_factor_required(apply(User.objects.get(pk=head.pk)))


def test_a_user_object_from_outside_a_request_is_not_a_strong_login(cast):
    assert fresh(cast.approver_t).strong_login is False
    with pytest.raises(SecondFactorRequired):
        require_strong_login(fresh(cast.approver_t))
    assert issubclass(SecondFactorRequired, PermissionDenied)  # callers that know nothing of it still refuse


# --- The services refuse -------------------------------------------------------------------------------


def test_the_approval_service_refuses_an_approver_without_a_strong_login_and_approves_with_one(cast):
    decision = prepared(cast)
    approver = fresh(cast.approver_t)
    with pytest.raises(SecondFactorRequired):
        decisions.approve(decision=decision, by=approver)
    with pytest.raises(SecondFactorRequired):
        decisions.approve_round(round=decision.application.round, by=approver)
    decision.refresh_from_db()
    assert not decision.is_approved and decision.acceptance_due is None
    assert not entries_for(decision.application).filter(kind="decision_approved").exists()

    approver.strong_login = True
    decisions.approve(decision=decision, by=approver)
    assert Decision.objects.get(pk=decision.pk).approved_by == cast.approver_t


def test_a_case_officer_is_still_refused_as_before_strong_login_or_not(cast):
    decision = prepared(cast)
    other_officer = User.objects.create(username="officer_t2", role="case_officer", office=cast.office_t)
    other_officer.strong_login = True
    with pytest.raises(PermissionDenied) as refused:
        decisions.approve(decision=decision, by=other_officer)
    assert not isinstance(refused.value, SecondFactorRequired)


def test_moving_money_and_sending_a_move_back_need_a_strong_login(cast):
    from tests.test_amendments import ask_move
    from tests.test_reporting import award
    from tilskudd.amendments import services as amendments
    from tilskudd.amendments.models import ChangeState

    change = ask_move(cast, award(cast))
    amendments.prepare_change(change=change, by=cast.officer_t, amount=change.amount)
    approver = fresh(cast.approver_t)
    with pytest.raises(SecondFactorRequired):
        amendments.approve_change(change=change, by=approver)
    with pytest.raises(SecondFactorRequired):
        amendments.return_change(change=change, by=approver, reason="Sjekk beløpet")
    change.refresh_from_db()
    assert change.state == ChangeState.PREPARED
    approver.strong_login = True
    amendments.approve_change(change=change, by=approver)
    change.refresh_from_db()
    assert change.state == ChangeState.APPROVED


# --- The whole web flow -----------------------------------------------------------------------------------


def test_an_approver_with_an_app_logs_in_with_a_code_and_approves(client, cast):
    decision = prepared(cast)
    app = verified_app(cast.approver_t)
    response = password_login(client, "approver_t")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two_step_code")
    assert not is_logged_in(client), "the password alone does not log in someone who has two-step login"

    page = client.get(reverse("accounts:two_step_code")).content.decode()
    assert 'autocomplete="one-time-code"' in page
    response = write_code(client, app_code(app.key))
    assert response.status_code == 302 and response["Location"] == reverse("home:home")
    assert is_logged_in(client)

    page = client.get(approve_url(decision)).content.decode()
    assert "Godkjenn vedtaket" in page and "two-step-notice" not in page
    client.post(approve_url(decision))
    assert Decision.objects.get(pk=decision.pk).approved_by == cast.approver_t


def test_an_approver_without_an_app_is_sent_to_set_it_up_and_cannot_approve(client, cast):
    decision = prepared(cast)
    response = password_login(client, "approver_t")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_step_setup"))
    assert is_logged_in(client), "they are logged in and may go on browsing"

    home = client.get(reverse("home:home")).content.decode()
    assert 'id="two-step-notice"' in home and reverse("accounts:two_step_setup") in home
    page = client.get(approve_url(decision)).content.decode()
    assert 'id="two-step-notice"' in page and 'class="submit-form"' not in page

    response = client.post(approve_url(decision), follow=True)
    assert response.status_code == 200
    assert "Ingenting ble godkjent" in response.content.decode()
    assert not Decision.objects.get(pk=decision.pk).is_approved

    # the round's "approve all" is refused the same way
    round = decision.application.round
    client.post(reverse("decisions:decisions_approve_all", args=[round.pk]), {"decisions": str(decision.pk)})
    assert not Decision.objects.get(pk=decision.pk).is_approved


def test_an_approver_sets_up_two_step_login_in_the_browser_flow_and_then_approves(client, cast):
    decision = prepared(cast)
    password_login(client, "approver_t")
    setup = reverse("accounts:two_step_setup")
    page = client.get(setup)
    body = page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body and 'class="qr-code" role="img"' in body
    key = client.session["two_step_setup_key"]
    assert twofactor.secret_for_typing(key) in body  # the key to type, in groups of four
    assert not TOTPDevice.objects.filter(user=cast.approver_t).exists(), "showing the page stores nothing"

    wrong = client.post(setup, {"code": app_code(key, steps=5)})
    assert wrong.status_code == 400 and "Koden stemmer ikke" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.approver_t).exists()

    shown = client.post(setup, {"code": app_code(key, steps=1)})  # one step ahead of the server is fine
    assert shown.status_code == 200 and shown["Cache-Control"] == "no-store"
    codes = StaticToken.objects.filter(device__user=cast.approver_t).values_list("token", flat=True)
    assert len(codes) == twofactor.RECOVERY_CODES
    for code in codes:
        assert f"{code[:4]}-{code[4:]}" in shown.content.decode()
    assert entries_for(cast.approver_t).filter(kind="two_step_on", actor=cast.approver_t).exists()

    client.post(approve_url(decision))  # the code just proved the app: this session is verified
    assert Decision.objects.get(pk=decision.pk).is_approved


def test_a_wrong_code_is_refused_next_to_the_field_and_the_next_try_must_wait(client, cast):
    app = verified_app(cast.approver_t)
    password_login(client, "approver_t")
    response = write_code(client, app_code(app.key, steps=4))
    body = response.content.decode()
    assert response.status_code == 400 and not is_logged_in(client)
    assert 'id="id_code_error"' in body and "Koden er feil" in body
    assert 'aria-invalid="true"' in body

    # the right code at once is not even tried: the device waits (1, 2, 4 … seconds)
    response = write_code(client, app_code(app.key))
    assert response.status_code == 400 and not is_logged_in(client)
    assert "For mange feil koder" in response.content.decode()

    app.refresh_from_db()
    assert app.throttling_failure_count == 1
    app.throttling_failure_timestamp -= timedelta(seconds=2)
    app.save()
    response = write_code(client, app_code(app.key))
    assert response.status_code == 302 and is_logged_in(client)


def test_more_wrong_codes_make_the_wait_longer(cast):
    app = verified_app(cast.approver_t)
    waits = []
    for _ in range(4):
        with pytest.raises(twofactor.WrongCode):
            twofactor.verify(user=cast.approver_t, code=app_code(app.key, steps=5))
        with pytest.raises(twofactor.Throttled) as throttled:
            twofactor.verify(user=cast.approver_t, code=app_code(app.key))
        waits.append(throttled.value.seconds())
        TOTPDevice.objects.filter(pk=app.pk).update(
            throttling_failure_timestamp=timezone.now() - timedelta(days=1)
        )
    assert waits == sorted(waits) and waits[-1] >= 8 > waits[0]


def test_something_that_is_no_code_is_refused_without_counting(cast):
    app = verified_app(cast.approver_t)
    with pytest.raises(ValidationError) as refused:
        twofactor.verify(user=cast.approver_t, code="12345")
    assert "code" in refused.value.message_dict
    app.refresh_from_db()
    assert app.throttling_failure_count == 0


def test_a_code_works_one_step_either_side_and_never_twice(cast):
    app = verified_app(cast.approver_t)
    twofactor.verify(user=cast.approver_t, code=app_code(app.key, steps=-1))
    with pytest.raises(twofactor.WrongCode):
        twofactor.verify(user=cast.approver_t, code=app_code(app.key, steps=-1))  # used
    TOTPDevice.objects.filter(pk=app.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    twofactor.verify(user=cast.approver_t, code=f" {app_code(app.key)[:3]} {app_code(app.key)[3:]} ")
    TOTPDevice.objects.filter(pk=app.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    with pytest.raises(twofactor.WrongCode):
        twofactor.verify(user=cast.approver_t, code=app_code(app.key, steps=3))


def test_a_recovery_code_logs_in_once_only(client, cast):
    _key, codes = set_up(cast.approver_t)
    code = codes[0]
    password_login(client, "approver_t")
    response = write_code(client, code.upper()[:4] + "-" + code.upper()[4:])  # as printed, in capitals
    assert response.status_code == 302 and is_logged_in(client)
    assert not StaticToken.objects.filter(token=code).exists()
    used = entries_for(cast.approver_t).get(kind="recovery_code_used")
    assert used.actor == cast.approver_t and "9" in used.detail
    decision = prepared(cast)
    client.post(approve_url(decision))
    assert Decision.objects.get(pk=decision.pk).is_approved

    client.post(reverse("accounts:logout"))
    password_login(client, "approver_t")
    response = write_code(client, code)
    assert response.status_code == 400 and not is_logged_in(client)
    assert "Koden er feil eller allerede brukt" in response.content.decode()


def test_the_second_step_waits_only_so_long(client, cast, settings):
    app = verified_app(cast.approver_t)
    password_login(client, "approver_t")
    session = client.session
    session["two_step_pending"]["at"] -= settings.TWO_STEP_PENDING_SECONDS + 1
    session.save()
    response = write_code(client, app_code(app.key))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert not is_logged_in(client)


def test_the_second_step_goes_on_to_the_page_asked_for(client, cast):
    app = verified_app(cast.approver_t)
    wanted = reverse("accounts:two_step")
    response = client.post(
        reverse("accounts:login") + f"?next={wanted}", {"username": "approver_t", "password": PASSWORD}
    )
    assert response["Location"] == reverse("accounts:two_step_code")
    assert write_code(client, app_code(app.key))["Location"] == wanted


# --- ID-porten and Ansattporten, and the API ---------------------------------------------------------


@pytest.mark.parametrize(
    "acr, strong",
    [
        ("idporten-loa-substantial", True),
        ("idporten-loa-high", True),
        ("idporten-loa-low", False),
        (None, False),
    ],
)
def test_a_login_from_id_porten_at_a_substantial_or_high_level_is_strong(client, cast, acr, strong):
    decision = prepared(cast)
    client.force_login(cast.approver_t)
    if acr:
        session = client.session
        session["login_acr"] = acr  # what the OpenID Connect login writes
        session.save()
    client.post(approve_url(decision))
    assert Decision.objects.get(pk=decision.pk).is_approved is strong


def test_a_token_is_never_a_strong_login_whoever_is_in_the_session(cast):
    from tilskudd.api import services as api_tokens
    from tilskudd.api.security import TokenAuth

    _token, secret = api_tokens.create_token(user=cast.approver_t, name="Saksystem", scope="write", days=30)
    request = RequestFactory().post("/api/v1/office/rounds")
    request.user = cast.approver_t  # as if a strong session came along with the token
    assert request.user.strong_login
    assert TokenAuth().authenticate(request, secret) is not None
    assert request.user == cast.approver_t and request.user.strong_login is False
    with pytest.raises(SecondFactorRequired):
        require_strong_login(request.user)


# --- Managing one's own two-step login -------------------------------------------------------------


def test_anyone_may_turn_it_on_and_off_and_both_are_in_the_log(client_for, cast):
    client = client_for(cast.signer_a)
    page = client.get(reverse("accounts:two_step")).content.decode()
    assert "Innlogging i to trinn er av" in page
    client.get(reverse("accounts:two_step_setup"))
    key = client.session["two_step_setup_key"]
    client.post(reverse("accounts:two_step_setup"), {"code": app_code(key)})
    assert twofactor.has_second_factor(cast.signer_a)

    wrong = client.post(reverse("accounts:two_step_off"), {"password": "not my password"})
    assert wrong.status_code == 400 and "Passordet er feil" in wrong.content.decode()
    assert twofactor.has_second_factor(cast.signer_a)
    TOTPDevice.objects.filter(user=cast.signer_a).update(throttling_failure_timestamp=None)

    client.post(reverse("accounts:two_step_off"), {"code": app_code(key, steps=1)})
    assert not twofactor.has_second_factor(cast.signer_a)
    assert not StaticDevice.objects.filter(user=cast.signer_a).exists()
    kinds = list(entries_for(cast.signer_a).values_list("kind", flat=True))
    assert kinds == ["two_step_on", "two_step_off"]


def test_an_approver_cannot_turn_it_off(client_for, cast):
    client = client_for(cast.approver_t)
    assert "Skru av" not in client.get(reverse("accounts:two_step")).content.decode()
    client.post(reverse("accounts:two_step_off"), {"password": PASSWORD})
    assert twofactor.has_second_factor(cast.approver_t)
    with pytest.raises(twofactor.Required):
        twofactor.turn_off(user=cast.approver_t, password=PASSWORD)


def test_the_password_alone_does_not_turn_it_off_from_a_session_that_skipped_the_code(client, cast):
    set_up(cast.signer_a)
    client.force_login(cast.signer_a)  # e.g. a login that never passed the second step
    response = client.post(reverse("accounts:two_step_off"), {"password": PASSWORD})
    assert response.status_code == 400
    assert twofactor.has_second_factor(cast.signer_a)


def test_new_recovery_codes_replace_the_old_ones_and_are_shown_once(client_for, cast):
    _key, old = set_up(cast.signer_a)
    client = client_for(cast.signer_a)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=cast.signer_a).persistent_id
    session.save()
    assert client.get(reverse("accounts:two_step_recovery_codes"))["Location"] == reverse("accounts:two_step")
    response = client.post(reverse("accounts:two_step_recovery_codes"))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    new = set(StaticToken.objects.filter(device__user=cast.signer_a).values_list("token", flat=True))
    assert len(new) == twofactor.RECOVERY_CODES and not new & set(old)
    assert entries_for(cast.signer_a).filter(kind="recovery_codes_new").exists()
    with pytest.raises(twofactor.WrongCode):
        twofactor.verify(user=cast.signer_a, code=old[0])


def test_replacing_the_app_needs_the_old_one_first(client, cast):
    set_up(cast.signer_a)
    client.force_login(cast.signer_a)
    response = client.get(reverse("accounts:two_step_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_step_code"))
    with pytest.raises(SecondFactorRequired):
        twofactor.set_up(user=fresh(cast.signer_a), key=twofactor.new_secret(), code="123456")


# --- The Django admin: no way round the second step, and only for the role in force ---------------


def test_the_admin_has_no_password_login_of_its_own(client, cast):
    """Its login page sent people in on a password alone, past the second step (found in review)."""
    verified_app(cast.admin)
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302


def test_an_ended_administrator_role_closes_the_admin_whatever_the_superuser_flag(client, cast):
    from tilskudd.accounts import memberships
    from tilskudd.accounts.models import Membership, Role
    from tilskudd.accounts.roles import apply

    client.force_login(cast.admin)
    url = reverse("admin:accounts_user_changelist")
    assert client.get(url).status_code == 200
    other = User.objects.create(username="admin2", role=Role.ADMIN, is_staff=True)
    memberships.end(by=apply(other), membership=Membership.objects.get(user=cast.admin))
    admin = User.objects.get(pk=cast.admin.pk)
    assert admin.is_superuser and admin.role == Role.NONE
    response = client.get(url)  # to the admin's login, which turns a logged-in person away
    assert response.status_code == 302 and client.get(response["Location"]).status_code == 403


def test_createsuperuser_makes_the_system_administrator(db):
    from tilskudd.accounts.models import Membership, Role

    user = User.objects.create_superuser("root", "root@example.no", "x" * 20)
    assert user.role == Role.ADMIN and Membership.objects.get(user=user).role == Role.ADMIN


def test_an_ansattporten_login_at_substantial_is_strong(rf, cast):
    from tilskudd.accounts.strong import is_strong

    request = rf.get("/")
    user = fresh(cast.approver_t)
    request.session = {"login_acr": "substantial"}  # Ansattporten's name for the level
    assert is_strong(request, user)
    request.session = {"login_acr": "low"}
    assert not is_strong(request, user)
