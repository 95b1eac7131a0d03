"""The Django admin for people: their accounts, and their roles, which only the services change.

A person's ``role``, ``organisation`` and ``office`` columns follow from their roles in force
(``memberships.sync``), so they are read-only here. The roles themselves are listed read-only;
a new one is added through ``memberships.grant`` (permission, period and overlap checks, and
the case log), never by saving a row. A role is changed or ended on the people pages.

The Django admin is the system administrator's tool: a superuser acts there with the
administrator's rights, so the first superuser of a new installation (``createsuperuser``)
can give themselves the administrator role.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd.accounts import memberships
from tilskudd.accounts.models import (
    OFFICE_STAFF_ROLES,
    ORGANISATION_ROLES,
    Invitation,
    Membership,
    Role,
    User,
)

MEMBERSHIP_FIELDS = (
    "role",
    "organisation",
    "office",
    "valid_from",
    "valid_until",
    "granted_by",
    "granted_at",
    "ended_at",
    "ended_by",
)


class MembershipInline(admin.TabularInline):
    """Every role the person has had, has and will have: read-only (the first column names role and place)."""

    model = Membership
    fk_name = "user"
    template = "admin/accounts/roles_inline.html"
    fields = MEMBERSHIP_FIELDS[3:]
    readonly_fields = MEMBERSHIP_FIELDS[3:]
    extra = 0
    can_delete = False
    verbose_name = gettext_lazy("role")
    verbose_name_plural = gettext_lazy("Roles (changed and ended on the People and access pages)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class NewMembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("role", "organisation", "office", "valid_from", "valid_until")

    def clean(self):
        data = super().clean()
        role, organisation, office = data.get("role"), data.get("organisation"), data.get("office")
        if role in ORGANISATION_ROLES and (organisation is None or office is not None):
            raise ValidationError(
                _("This role is held at an organisation: choose the organisation, not an office.")
            )
        if role in OFFICE_STAFF_ROLES and (office is None or organisation is not None):
            raise ValidationError(
                _("This role is held at an office: choose the office, not an organisation.")
            )
        if role in (Role.NATIONAL, Role.ADMIN) and (organisation is not None or office is not None):
            raise ValidationError(_("This role is held at neither an organisation nor an office."))
        if role == Role.NONE:
            raise ValidationError(_("Choose a role."))
        return data


class NewMembershipInline(admin.StackedInline):
    """One new role, given through ``memberships.grant`` when the person is saved."""

    model = Membership
    fk_name = "user"
    form = NewMembershipForm
    extra = 1
    max_num = 1
    can_delete = False
    autocomplete_fields = ("organisation",)
    verbose_name = gettext_lazy("new role")
    verbose_name_plural = gettext_lazy("Give a new role")

    def get_queryset(self, request):
        return super().get_queryset(request).none()


def site_has_permission(request) -> bool:
    """The Django admin opens to the system administrator whose role is in force, not to a staff or
    superuser flag that outlives an ended role (issue 16: an ended role loses access at once)."""
    user = request.user
    return user.is_active and user.is_staff and user.role == Role.ADMIN


def site_login(request, extra_context=None):
    """The admin has no login of its own: the service's login page (with its second step) is the way in.
    Someone logged in without the administrator's role gets 403, not a login loop."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(
        request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"), reverse("accounts:login")
    )


admin.site.has_permission = site_has_permission
admin.site.login = site_login


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "organisation", "office", "is_active")
    list_filter = ("role", "office", "is_active")
    list_select_related = ("organisation", "office")
    search_fields = ("username", "first_name", "last_name", "email")
    # Set by the system, never typed by staff (and Django's split date/time inputs have no labels);
    # where the person acts, and their strongest role there, follow from their roles below.
    readonly_fields = ("last_login", "date_joined", "role", "organisation", "office")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Rolle", {"fields": ("title", "phone", "role", "organisation", "office")}),
    )
    inlines = (MembershipInline, NewMembershipInline)

    def get_inlines(self, request, obj):
        # A new person is saved first; roles are given on the next page.
        return self.inlines if obj is not None else ()

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        by = request.user  # the administrator's role in force (site_has_permission)
        # What Django's own history of the change reads (construct_change_message).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for new in formset.forms:
            if new.instance.pk is not None or not new.has_changed() or not new.is_valid():
                continue
            data = new.cleaned_data
            try:
                granted = memberships.grant(
                    by=by,
                    user=form.instance,
                    role=data["role"],
                    organisation=data.get("organisation"),
                    office=data.get("office"),
                    valid_from=data.get("valid_from"),
                    valid_until=data.get("valid_until"),
                    reason="Django admin",
                )
            except PermissionDenied:
                messages.error(request, _("You may not give this role."))
            except ValidationError as error:
                messages.error(
                    request, _("The role was not given: %(why)s") % {"why": " ".join(error.messages)}
                )
            else:
                formset.new_objects.append(granted)
                messages.success(
                    request,
                    _("%(name)s now has the role %(role)s.")
                    % {"name": form.instance, "role": Role(data["role"]).label},
                )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations, for the system administrator to see; they are sent and withdrawn on the people pages."""

    list_display = ("email", "role", "organisation", "office", "invited_by", "created_at", "accepted_at")
    list_filter = ("role",)
    list_select_related = ("organisation", "office", "invited_by")
    search_fields = ("email",)
    exclude = ("token_hash",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
