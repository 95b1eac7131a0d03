"""The office's pages on a round's applications: the Excel download and later deadlines (R5)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tilskudd.accounts.models import OFFICE_ROLES, Role
from tilskudd.applications.exports import stored_round_export
from tilskudd.applications.forms import ExtensionForm
from tilskudd.applications.services import grant_extension
from tilskudd.rounds.access import get_round_to_manage
from tilskudd.ui.access import role_required


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def export_xlsx(request, round_id: int):
    """The round's spreadsheet: the stored file while nothing it shows has changed, else made now and stored."""
    round = get_round_to_manage(request.user, round_id)  # first: with the fingerprint the file is kept under
    return FileResponse(
        default_storage.open(stored_round_export(round), "rb"),
        as_attachment=True,
        filename=f"soknader-{round.office.short_name}-{round.year}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@role_required(*OFFICE_ROLES)
@require_http_methods(["GET", "POST"])
def extension(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    form = ExtensionForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        try:
            grant_extension(round=round, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(organisation)s was given a later deadline.")
                % {"organisation": form.cleaned_data["organisation"]},
            )
            return redirect("rounds:round_manage", round_id=round.pk)
    return render(request, "rounds/extension.html", {"round": round, "form": form})
