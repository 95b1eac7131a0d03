"""The role scope, written once (STYLE §4), and the checks services make before they write.

Every app's ``access.py`` builds its permission-checked fetches on ``scoped``: it returns
what the user may see, so authorisation never depends on a template hiding a link, and
another organisation's or office's object is indistinguishable from one that does not exist.
"""

from django.core.exceptions import PermissionDenied

from tilskudd.accounts.models import Role, User


def scoped(
    user: User, queryset, *, office: str | None = None, organisation: str | None = None, national=False
):
    """``queryset`` narrowed to what ``user``'s role may see.

    ``office`` and ``organisation`` are the lookups from the queried model to the office's
    and the organisation's id (e.g. ``"round__office_id"``); a role whose lookup is not given
    sees nothing. Administrators see everything; the national reader only where ``national``.
    """
    if not user.is_authenticated:
        return queryset.none()
    if user.role == Role.ADMIN:
        return queryset
    if user.role == Role.NATIONAL:
        return queryset if national else queryset.none()
    if user.is_office_side and office:
        return queryset.filter(**{office: user.office_id})
    if user.is_applicant_side and organisation:
        return queryset.filter(**{organisation: user.organisation_id})
    return queryset.none()


def require_office_staff(user: User, office_id: int) -> None:
    """Every service that acts on an office's rounds checks this first."""
    if not user.works_at(office_id):
        raise PermissionDenied


def require_role(user: User, *roles: Role) -> None:
    if not user.is_authenticated or user.role not in roles:
        raise PermissionDenied


# --- Strong login: two-step, or ID-porten / Ansattporten at a substantial or high level ----------


class SecondFactorRequired(PermissionDenied):
    """The act needs a strong login, and this one is not (see ``require_strong_login``).

    A PermissionDenied, so a caller that does not know it still refuses; the web turns it into
    a page that says how to log in with two steps (accounts.strong.StrongLoginMiddleware).
    """


def second_factor_required(user) -> bool:
    """Whether this person must use two-step login: approvers and office administrators."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user._roles is not None:  # a request's user: the roles in force where they act
        held = user.roles
    else:  # a user just read from the database (the login form): every role in force today
        from tilskudd.accounts.roles import in_force

        held = {membership.role for membership in in_force(user)}
    return Role.APPROVER in held or Role.OFFICE_ADMIN in held


def require_strong_login(user) -> None:
    """Every approval service checks this: the person's login this request is strong.

    ``user.strong_login`` is set per web request by StrongLoginMiddleware (the session passed
    the second step, or came from ID-porten/Ansattporten at a level in STRONG_LOGIN_ACR). A user
    object from anywhere else (a command, a token, a test) is not strong unless told so.
    """
    if not getattr(user, "strong_login", False):
        raise SecondFactorRequired
