"""The people pages: who has which role at an organisation or an office, invitations, and the access log.

An organisation's administrator manages every role there; the office covering it may
appoint its administrators (the first one this way); an office's administrator manages
its staff; the system administrator anything. Everybody else gets 404: the signer and
writers see who has access on the organisation's own page. Every change goes through
``tilskudd.accounts.memberships`` or ``tilskudd.accounts.invitations``, which check the
permission again and record it in the case log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tilskudd.accounts import events, invitations, memberships
from tilskudd.accounts.forms import (
    ChangeRoleForm,
    EndRoleForm,
    InviteForm,
    LastDayForm,
    add_service_errors,
)
from tilskudd.accounts.labels import role_help, role_label
from tilskudd.accounts.models import Invitation, Membership, Role
from tilskudd.caselog.models import Entry
from tilskudd.organisations.access import get_office_to_manage, get_organisation_to_manage
from tilskudd.organisations.models import Organisation
from tilskudd.ui.access import post_action

ACCESS_LOG_SHOWN = 20
ACCESS_LOG_ALL = 2000  # "show all" still stops somewhere


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _place_name(place) -> str:
    return getattr(place, "display_name", None) or str(place)


def _people_url(membership_or_invitation) -> str:
    if membership_or_invitation.organisation_id:
        return reverse("organisations:organisation_people", args=[membership_or_invitation.organisation_id])
    return reverse("organisations:office_people", args=[membership_or_invitation.office_id])


def _rows(user, place_filter: dict, offered: list[str]):
    """The place's roles, split into those in force or coming and those that have ended."""
    today = timezone.localdate()
    current, ended = [], []
    for membership in (
        Membership.objects.filter(**place_filter)
        .select_related("user", "granted_by", "ended_by")
        .order_by("user__last_name", "user__first_name", "user__username", "pk")
    ):
        membership.label = role_label(membership.role)
        membership.coming = membership.valid_from is not None and membership.valid_from > today
        membership.own = membership.user_id == user.pk and user.role != Role.ADMIN
        membership.manageable = membership.role in offered and not membership.own
        if membership.ended_at or (membership.valid_until and membership.valid_until < today):
            membership.ended_on = (
                timezone.localdate(membership.ended_at) if membership.ended_at else membership.valid_until
            )
            ended.append(membership)
        else:
            current.append(membership)
    ended.sort(key=lambda m: m.ended_on, reverse=True)
    return current, ended


def _open_invitations(place_filter: dict, offered: list[str]):
    now = timezone.now()
    rows = list(
        Invitation.objects.filter(**place_filter, accepted_at__isnull=True, withdrawn_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )
    for invitation in rows:
        invitation.label = role_label(invitation.role)
        invitation.expired = invitation.expires_at <= now
        invitation.manageable = invitation.role in offered
    return rows


def _log(request, entries):
    show_all = request.GET.get("logg") == "alle"
    limit = ACCESS_LOG_ALL if show_all else ACCESS_LOG_SHOWN
    shown = list(entries.select_related("actor").order_by("-at", "-pk")[: limit + 1])
    return {"log": shown[:limit], "log_more": len(shown) > limit and not show_all, "log_all": show_all}


def _invite(request, form, **place):
    try:
        invitations.invite(
            by=request.user,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            valid_until=form.cleaned_data["valid_until"],
            base_url=_base_url(request),
            **place,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(
        request,
        _("The invitation to %(email)s is sent. The link works for %(days)s days.")
        % {"email": form.cleaned_data["email"], "days": invitations.days_valid()},
    )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def organisation_people(request, organisation_id: int):
    organisation, offered = get_organisation_to_manage(request.user, organisation_id)
    form = InviteForm(request.POST or None, roles=offered)
    if request.method == "POST" and form.is_valid() and _invite(request, form, organisation=organisation):
        return redirect("organisations:organisation_people", organisation_id=organisation.pk)
    current, ended = _rows(request.user, {"organisation": organisation}, offered)
    context = {
        "place": organisation,
        "place_name": organisation.display_name,
        "organisation": organisation,
        "offered": [(role_label(role), role_help(role)) for role in offered],
        "only_administrators": offered == [Role.ORG_ADMIN],
        "form": form,
        "current": current,
        "ended": ended,
        "invitations": _open_invitations({"organisation": organisation}, offered),
        **_log(request, Entry.objects.filter(organisation_id=organisation.pk, kind__in=events.ACCESS_KINDS)),
    }
    return render(request, "organisations/people.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def office_people(request, office_id: int):
    office, offered = get_office_to_manage(request.user, office_id)
    form = InviteForm(request.POST or None, roles=offered)
    if request.method == "POST" and form.is_valid() and _invite(request, form, office=office):
        return redirect("organisations:office_people", office_id=office.pk)
    current, ended = _rows(request.user, {"office": office}, offered)
    covered = Q(role=Role.ORG_ADMIN, organisation__fylke__office=office)
    membership_type = ContentType.objects.get_for_model(Membership)
    invitation_type = ContentType.objects.get_for_model(Invitation)
    entries = Entry.objects.filter(kind__in=events.ACCESS_KINDS).filter(
        Q(
            subject_type=membership_type,
            subject_id__in=Membership.objects.filter(Q(office=office) | covered).values("pk"),
        )
        | Q(
            subject_type=invitation_type,
            subject_id__in=Invitation.objects.filter(Q(office=office) | covered).values("pk"),
        )
    )
    context = {
        "place": office,
        "place_name": office.name,
        "office": office,
        "offered": [(role_label(role), role_help(role)) for role in offered],
        "form": form,
        "current": current,
        "ended": ended,
        "invitations": _open_invitations({"office": office}, offered),
        "administrators": _organisations_and_administrators(office),
        **_log(request, entries),
    }
    return render(request, "organisations/people.html", context, status=400 if form.errors else 200)


def _organisations_and_administrators(office):
    """Each organisation the office covers, with its administrators today (the office appoints the first)."""
    today = timezone.localdate()
    organisations = list(
        Organisation.objects.in_office(office)
        .filter(valid_to__isnull=True)
        .select_related("fylke")
        .order_by("kind", "kommunenummer", "name")
    )
    administrators: dict[int, list] = {}
    for membership in (
        Membership.objects.in_force(today)
        .filter(role=Role.ORG_ADMIN, organisation__in=[o.pk for o in organisations])
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    ):
        administrators.setdefault(membership.organisation_id, []).append(membership.user)
    for organisation in organisations:
        organisation.administrators = administrators.get(organisation.pk, [])
    return organisations


# --- One role: change it, set its last day, end it ----------------------------------------------


def _membership_to_manage(request, membership_id: int) -> tuple[Membership, list[str]]:
    membership = get_object_or_404(
        Membership.objects.select_related(
            "user", "organisation__fylke__office", "office", "granted_by", "ended_by"
        ),
        pk=membership_id,
    )
    offered = memberships.manageable_roles(
        request.user, organisation=membership.organisation, office=membership.office
    )
    if membership.role not in offered:
        raise Http404
    return membership, offered


@login_required
@require_http_methods(["GET", "POST"])
def role(request, membership_id: int):
    """One person's role at one place: change it to another, give it a last day, or end it now."""
    membership, offered = _membership_to_manage(request, membership_id)
    today = timezone.localdate()
    other_roles = [r for r in offered if r != membership.role]
    action = request.POST.get("action") if request.method == "POST" else None
    change_form = ChangeRoleForm(request.POST if action == "change" else None, roles=other_roles)
    last_day_form = LastDayForm(
        request.POST if action == "last_day" else None, initial={"valid_until": membership.valid_until}
    )
    end_form = EndRoleForm(request.POST if action == "end" else None)
    back = _people_url(membership)
    name = str(membership.user)
    try:
        if action == "change" and change_form.is_valid():
            new = memberships.change(
                by=request.user,
                membership=membership,
                role=change_form.cleaned_data["role"],
                reason=change_form.cleaned_data["reason"],
            )
            messages.success(
                request,
                _("%(name)s now has the role %(role)s instead of %(old)s.")
                % {"name": name, "role": role_label(new.role), "old": role_label(membership.role)},
            )
            return redirect(back)
        if action == "last_day" and last_day_form.is_valid():
            day = last_day_form.cleaned_data["valid_until"]
            memberships.set_last_day(
                by=request.user,
                membership=membership,
                valid_until=day,
                reason=last_day_form.cleaned_data["reason"],
            )
            if day:
                text = _("The role %(role)s of %(name)s lasts until %(day)s.") % {
                    "role": role_label(membership.role),
                    "name": name,
                    "day": day.strftime("%d.%m.%Y"),
                }
            else:
                text = _("The role %(role)s of %(name)s lasts until it is ended.") % {
                    "role": role_label(membership.role),
                    "name": name,
                }
            messages.success(request, text)
            return redirect(back)
        if action == "end" and end_form.is_valid():
            memberships.end(by=request.user, membership=membership, reason=end_form.cleaned_data["reason"])
            messages.success(
                request,
                _("The role %(role)s of %(name)s has ended. It gives no access from now on.")
                % {"role": role_label(membership.role), "name": name},
            )
            return redirect(back)
    except ValidationError as error:
        add_service_errors({"change": change_form, "last_day": last_day_form, "end": end_form}[action], error)
    membership.label = role_label(membership.role)
    membership.own = membership.user_id == request.user.pk and request.user.role != Role.ADMIN
    membership.ended = membership.ended_at is not None or (
        membership.valid_until is not None and membership.valid_until < today
    )
    invalid = any(form.errors for form in (change_form, last_day_form, end_form))
    return render(
        request,
        "organisations/role.html",
        {
            "membership": membership,
            "place_name": _place_name(membership.place),
            "back": back,
            "change_form": change_form if other_roles else None,
            "last_day_form": last_day_form,
            "end_form": end_form,
            "action": action,
        },
        status=400 if invalid else 200,
    )


# --- An open invitation: send it again, or withdraw it --------------------------------------------


def _invitation_to_manage(request, invitation_id: int) -> Invitation:
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation__fylke__office", "office"), pk=invitation_id
    )
    if invitation.role not in memberships.manageable_roles(
        request.user, organisation=invitation.organisation, office=invitation.office
    ):
        raise Http404
    return invitation


def _invitation_page(request, invitation_id: int) -> str:
    return _people_url(_invitation_to_manage(request, invitation_id)) + "#invitasjoner"


@login_required
@post_action(_invitation_page)
def invitation(request, invitation_id: int):
    invitation = _invitation_to_manage(request, invitation_id)
    back = _people_url(invitation) + "#invitasjoner"
    action = request.POST.get("action")
    try:
        if action == "withdraw":
            invitations.withdraw(by=request.user, invitation=invitation)
            messages.success(
                request,
                _("The invitation to %(email)s is withdrawn: its link no longer works.")
                % {"email": invitation.email},
            )
        elif action == "resend":
            invitations.resend(by=request.user, invitation=invitation, base_url=_base_url(request))
            messages.success(
                request,
                _("The invitation is sent again to %(email)s, with a new link. The old link no longer works.")
                % {"email": invitation.email},
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back)
