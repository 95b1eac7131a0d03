"""How the people pages and the invitations name the roles: the writer's role is "write access"."""

from django.utils.translation import gettext_lazy

from tilskudd.accounts.models import Role


def role_label(role: str) -> str:
    """The role as the invitation and the people pages name it (the writer's is "write access")."""
    return str(ROLE_NAMES.get(role, Role(role).label))


def role_help(role: str) -> str:
    return str(ROLE_HELP.get(role, ""))


# The other roles are named by their own labels (the organisation administrator is "tilgangsstyrer").
ROLE_NAMES = {
    Role.APPLICANT: gettext_lazy("write access"),
    Role.SIGNER: gettext_lazy("right to sign"),
}
ROLE_HELP = {
    Role.APPLICANT: gettext_lazy("drafts applications, reports and change requests"),
    Role.SIGNER: gettext_lazy(
        "the leader with budget responsibility: everything write access gives, and submits and accepts"
    ),
    Role.AUDITOR: gettext_lazy("confirms the auditor's statement on reports, and sees nothing else"),
    Role.ORG_ADMIN: gettext_lazy("manages the organisation's people and access, and its details"),
    Role.CASE_OFFICER: gettext_lazy("assesses applications and prepares decisions in the office's rounds"),
    Role.APPROVER: gettext_lazy("approves decisions a colleague has prepared"),
    Role.OFFICE_ADMIN: gettext_lazy(
        "manages the office's staff and appoints organisations' first administrators"
    ),
}
