import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tilskudd.accounts.models import OFFICE_ROLES, Role
from tilskudd.applications.access import get_application_for
from tilskudd.archive import services
from tilskudd.archive.noark import write_extraction
from tilskudd.archive.tasks import zip_folder
from tilskudd.rounds.access import get_round_to_manage
from tilskudd.ui.access import post_action, role_required


def _extractions_page(request, round_id: int, **kwargs) -> str:
    get_round_to_manage(request.user, round_id)
    return reverse("archive:round_extractions", args=[round_id])


def extraction_context(request, round) -> dict:
    return {
        "round": round,
        "extraction": round.extractions.select_related("requested_by").first(),
        "can_act": request.user.role in OFFICE_ROLES,
    }


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def case_extraction(request, application_id: int):
    """One case's Noark 5 extraction, made now (it is small) and sent as a zip; nothing is stored."""
    application = get_application_for(request.user, application_id)
    if application.is_draft:
        raise Http404
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - the response closes it
    with tempfile.TemporaryDirectory(prefix="noark-") as folder:
        root = Path(folder) / "uttrekk"
        write_extraction(root, application.round, [application])
        zip_folder(root, handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"noark5-{application.case_number.replace('/', '-')}.zip",
        content_type="application/zip",
    )


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def round_extractions(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    return render(request, "archive/round_extractions.html", extraction_context(request, round))


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def extraction_progress(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    return render(request, "archive/_extraction_progress.html", extraction_context(request, round))


@role_required(*OFFICE_ROLES)
@post_action(_extractions_page)
def extraction_start(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    services.start_extraction(round=round, by=request.user)
    messages.success(
        request, _("The extraction is being made in the background. You can follow the progress here.")
    )
    return redirect("archive:round_extractions", round_id=round.pk)


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def extraction_download(request, round_id: int):
    """The round's latest finished extraction."""
    round = get_round_to_manage(request.user, round_id)
    extraction = round.extractions.filter(finished_at__isnull=False, error="").exclude(file="").first()
    if extraction is None:
        raise Http404
    return FileResponse(
        extraction.file.open("rb"),
        as_attachment=True,
        filename=Path(extraction.file.name).name,
        content_type="application/zip",
    )
