from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tilskudd.accounts.labels import role_label
from tilskudd.accounts.memberships import people_at
from tilskudd.organisations.access import (
    can_edit_organisation,
    get_office_for,
    get_organisation_for,
    get_organisation_to_edit,
    manages_people_of,
)
from tilskudd.organisations.forms import OrganisationDetailsForm
from tilskudd.organisations.models import Organisation
from tilskudd.organisations.services import update_organisation_details


@login_required
@require_GET
def organisation_detail(request, organisation_id: int):
    organisation = get_organisation_for(request.user, organisation_id)
    people = [
        (person, [role_label(role) for role in roles])
        for person, roles in people_at(organisation=organisation)
    ]
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "people": people,
            "can_edit": can_edit_organisation(request.user, organisation),
            "manages_people": manages_people_of(request.user, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, organisation_id: int):
    organisation = get_organisation_to_edit(request.user, organisation_id)
    form = OrganisationDetailsForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        update_organisation_details(
            organisation=organisation,
            by=request.user,
            organisasjonsnummer=form.cleaned_data["organisasjonsnummer"],
            written_language=form.cleaned_data["written_language"],
            postal_address=form.cleaned_data["postal_address"],
            postal_code=form.cleaned_data["postal_code"],
            postal_town=form.cleaned_data["postal_town"],
        )
        messages.success(
            request, _("The details of %(name)s were saved.") % {"name": organisation.display_name}
        )
        return redirect("organisations:organisation_detail", organisation_id=organisation.pk)
    return render(
        request, "organisations/organisation_edit.html", {"organisation": organisation, "form": form}
    )


@login_required
@require_GET
def office_detail(request, office_id: int):
    office = get_office_for(request.user, office_id)
    organisations = (
        Organisation.objects.in_office(office)
        .select_related("fylke")
        .order_by("kind", "kommunenummer", "name")
    )
    return render(
        request, "organisations/office_detail.html", {"office": office, "organisations": organisations}
    )
