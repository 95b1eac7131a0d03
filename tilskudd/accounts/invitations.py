"""Invitations: an administrator invites a colleague by e-mail to a role at their organisation or office.

``invite`` records the invitation and queues the e-mail; the background worker
(``send_invitation``) makes the link's random token, stores only its SHA-256 and sends
the link, so neither the database nor the task queue ever holds a link that works.
Whoever opens the link logs in and ``accept``s: the role is given by the inviter
(``memberships.grant``), who must still be allowed to give it at that moment, so an
administrator who has lost the right leaves invitations nobody can use. An ID-porten
account has no e-mail address, so the address is not compared with the account's: it is
where the link was sent, and the case log records both.

A link that does not work says why (``Unusable.reason``): unknown, expired, withdrawn,
used by someone else, or given by someone who can no longer give the role.
"""

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from tilskudd.accounts import events
from tilskudd.accounts.labels import role_label
from tilskudd.accounts.memberships import (
    LONGEST_PERIOD,
    grant,
    may_manage,
    require_strength,
)
from tilskudd.accounts.models import (
    OFFICE_STAFF_ROLES,
    ORGANISATION_ROLES,
    Invitation,
    Membership,
    Role,
    User,
)
from tilskudd.accounts.roles import apply, in_force, places_of
from tilskudd.caselog.log import record

MAX_OPEN = 200  # open invitations at one place: more is a mistake (or a flood of e-mail)


class Unusable(Exception):
    """The link cannot be used. ``reason``: unknown, expired, withdrawn, used, inviter or own."""

    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def days_valid() -> int:
    return getattr(settings, "INVITATION_DAYS", 14)


def _scope(invitation: Invitation) -> dict:
    return {"organisation_id": invitation.organisation_id}


def _language(invitation: Invitation) -> str:
    """The organisation's written language; an office's staff get the inviter's (bokmål unless nynorsk)."""
    if invitation.organisation is not None:
        return "nn" if invitation.organisation.written_language == "nn" else "nb"
    return "nn" if translation.get_language() == "nn" else "nb"


def _describe(invitation: Invitation) -> str:
    text = f"{invitation.email}: {role_label(invitation.role)}, {invitation.place_name}"
    if invitation.valid_until:
        text += " " + _("until %(day)s") % {"day": invitation.valid_until.strftime("%d.%m.%Y")}
    return text


def _lock_place(organisation, office):
    """One administrator's invitations to a place are checked and made one at a time."""
    if organisation is not None:
        type(organisation).objects.select_for_update(of=("self",)).get(pk=organisation.pk)
    else:
        type(office).objects.select_for_update(of=("self",)).get(pk=office.pk)


def _holds_role(email: str, role: str, organisation, office, today: date) -> User | None:
    """An active person with this e-mail address who has the role here now or from a coming day."""
    membership = (
        Membership.objects.filter(
            user__email__iexact=email,
            user__is_active=True,
            role=role,
            organisation=organisation,
            office=office,
            ended_at__isnull=True,
        )
        .exclude(valid_until__lt=today)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def invite(
    *,
    by: User,
    email: str,
    role: str,
    organisation=None,
    office=None,
    valid_until: date | None = None,
    base_url: str,
) -> Invitation:
    """Invite whoever reads ``email`` to ``role`` at the place (until ``valid_until``, or until ended)."""
    role = Role(role)
    if (organisation is None) == (office is None) or role not in (
        ORGANISATION_ROLES if organisation is not None else OFFICE_STAFF_ROLES
    ):
        raise ValidationError({"role": _("This role is not held at this place.")})
    if not may_manage(by, role=role, organisation=organisation, office=office):
        raise PermissionDenied
    require_strength(by, organisation=organisation)
    errors = {}
    email = BaseUserManager.normalize_email((email or "").strip())
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Write a whole e-mail address, for example kari.nordmann@kommune.no.")
    today = timezone.localdate()
    if valid_until is not None and not (today <= valid_until <= today + LONGEST_PERIOD):
        errors["valid_until"] = _("The last day is today or later, and within ten years.")
    if errors:
        raise ValidationError(errors)
    _lock_place(organisation, office)
    holder = _holds_role(email, role, organisation, office, today)
    if holder is not None:
        raise ValidationError(
            {"email": _("%(name)s, who has this address, already has this role here.") % {"name": holder}}
        )
    now = timezone.now()
    open_here = Invitation.objects.filter(
        organisation=organisation, office=office, accepted_at__isnull=True, withdrawn_at__isnull=True
    )
    if open_here.filter(email__iexact=email, role=role, expires_at__gt=now).exists():
        raise ValidationError(
            {
                "email": _(
                    "An invitation to this address for this role is open already. Send it again from the list of invitations if it got lost."
                )
            }
        )
    if open_here.filter(expires_at__gt=now).count() >= MAX_OPEN:
        raise ValidationError(
            {
                "email": _("There are %(count)s open invitations here. Withdraw some first.")
                % {"count": MAX_OPEN}
            }
        )
    invitation = Invitation.objects.create(
        role=role,
        organisation=organisation,
        office=office,
        email=email,
        valid_until=valid_until,
        invited_by=by,
        expires_at=now + timedelta(days=days_valid()),
    )
    record(invitation, by=by, kind=events.INVITATION_SENT, detail=_describe(invitation), **_scope(invitation))
    _queue(invitation, base_url)
    return invitation


def _queue(invitation: Invitation, base_url: str) -> None:
    # In the same transaction: the task row is committed with the invitation, or neither is.
    send_invitation.enqueue(invitation_id=invitation.pk, base_url=base_url, language=_language(invitation))


@transaction.atomic
def resend(*, by: User, invitation: Invitation, base_url: str) -> Invitation:
    """Send the invitation again with a new link (the old one stops working) that works for another period."""
    invitation = _locked(invitation)
    _check_manager(by, invitation)
    if invitation.accepted_at is not None or invitation.withdrawn_at is not None:
        raise ValidationError(_("The invitation has been accepted or withdrawn: send a new one instead."))
    invitation.token_hash = ""
    invitation.sent_at = None
    invitation.expires_at = timezone.now() + timedelta(days=days_valid())
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    record(
        invitation,
        by=by,
        kind=events.INVITATION_SENT,
        detail=_describe(invitation) + " (" + _("sent again") + ")",
        **_scope(invitation),
    )
    _queue(invitation, base_url)
    return invitation


@transaction.atomic
def withdraw(*, by: User, invitation: Invitation, reason: str = "") -> Invitation:
    """Withdraw an invitation not yet accepted: its link stops working at once."""
    invitation = _locked(invitation)
    _check_manager(by, invitation)
    if invitation.accepted_at is not None:
        raise ValidationError(_("The invitation has been accepted: end the role instead."))
    if invitation.withdrawn_at is not None:
        return invitation
    invitation.withdrawn_at = timezone.now()
    invitation.withdrawn_by = by
    invitation.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(
        invitation,
        by=by,
        kind=events.INVITATION_WITHDRAWN,
        detail=_describe(invitation),
        reason=reason,
        **_scope(invitation),
    )
    return invitation


def _locked(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation__fylke", "office", "invited_by")
        .get(pk=invitation.pk)
    )


def _check_manager(by: User, invitation: Invitation) -> None:
    if not may_manage(
        by, role=invitation.role, organisation=invitation.organisation, office=invitation.office
    ):
        raise PermissionDenied
    require_strength(by, organisation=invitation.organisation)


def find(token: str) -> Invitation:
    """The invitation behind a link's token, however it stands (``Unusable("unknown")`` if there is none)."""
    if not token or len(token) > 200:
        raise Unusable("unknown")
    invitation = (
        Invitation.objects.select_related("organisation__fylke", "office", "invited_by", "accepted_by")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise Unusable("unknown")
    return invitation


def inviter_in_force(invitation: Invitation) -> User | None:
    """The inviter as they stand today, acting for a place from which they may give the role, or None."""
    inviter = User.objects.get(pk=invitation.invited_by_id)
    if not inviter.is_active:
        return None
    for place in places_of(in_force(inviter)):
        apply(inviter, chosen=place.key)
        if may_manage(
            inviter, role=invitation.role, organisation=invitation.organisation, office=invitation.office
        ):
            return inviter
    return None


def check_usable(invitation: Invitation, *, by: User, now=None) -> User:
    """Raise ``Unusable`` unless ``by`` may accept the invitation now; returns the inviter, acting with the right."""
    now = now or timezone.now()
    if invitation.accepted_at is not None:
        raise Unusable("used", invitation)
    if invitation.withdrawn_at is not None:
        raise Unusable("withdrawn", invitation)
    if now >= invitation.expires_at or (
        invitation.valid_until is not None and invitation.valid_until < timezone.localdate(now)
    ):
        raise Unusable("expired", invitation)
    if by.pk == invitation.invited_by_id:
        raise Unusable("own", invitation)
    inviter = inviter_in_force(invitation)
    if inviter is None:
        raise Unusable("inviter", invitation)
    return inviter


@transaction.atomic
def accept(*, by: User, token: str) -> Membership:
    """``by`` takes the role the invitation offers; accepting again (a double click) changes nothing."""
    if not by.is_authenticated or not by.is_active:
        raise PermissionDenied
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation__fylke", "office")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if not token or invitation is None:
        raise Unusable("unknown")
    if invitation.accepted_at is not None and invitation.accepted_by_id == by.pk:
        # Read after the lock: a row joined in the locking query would be as it was before the
        # wait (PostgreSQL re-reads only the locked row), so the membership is fetched on its own.
        return Membership.objects.select_related("organisation", "office").get(pk=invitation.membership_id)
    inviter = check_usable(invitation, by=by)
    membership = grant(
        by=inviter,
        user=by,
        role=invitation.role,
        organisation=invitation.organisation,
        office=invitation.office,
        valid_until=invitation.valid_until,
        invited=True,
        reason=_("Invitation sent to %(email)s") % {"email": invitation.email},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = by
    invitation.membership = membership
    invitation.save(update_fields=["accepted_at", "accepted_by", "membership"])
    who = f"{by} ({by.get_username()}" + (f", {by.email}" if by.email else "") + ")"
    record(
        invitation,
        by=by,
        kind=events.INVITATION_ACCEPTED,
        detail=_("%(invitation)s; accepted by %(who)s") % {"invitation": _describe(invitation), "who": who},
        **_scope(invitation),
    )
    return membership


@task()
def send_invitation(invitation_id: int, base_url: str, language: str) -> None:
    """Make the link's token, keep its hash, and e-mail the link (nothing if it was sent or is closed).

    The token is stored and the e-mail sent in one transaction: an e-mail that fails leaves no
    hash, so sending it again makes a new link.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation", "office", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        now = timezone.now()
        if invitation is None or invitation.token_hash or not invitation.is_open(now):
            return
        token = secrets.token_urlsafe(32)
        invitation.token_hash = token_hash(token)
        invitation.sent_at = now
        invitation.save(update_fields=["token_hash", "sent_at"])
        with translation.override(language):
            context = {
                "invitation": invitation,
                "inviter": invitation.invited_by,
                "place": invitation.place_name,
                "role": role_label(invitation.role),
                "link": base_url.rstrip("/") + reverse("accounts:invitation", args=[token]),
                "expires": timezone.localtime(invitation.expires_at),
                "service_name": settings.SERVICE_NAME,
            }
            subject = render_to_string("accounts/email/invitation_subject.txt", context)
            body = render_to_string("accounts/email/invitation_body.txt", context)
            send_mail(" ".join(subject.split()), body, None, [invitation.email])
