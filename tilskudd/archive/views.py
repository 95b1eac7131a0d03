import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tilskudd.accounts.models import OFFICE_ROLES, Role
from tilskudd.applications.access import get_application_for
from tilskudd.archive import services
from tilskudd.archive.forms import YearRangeForm
from tilskudd.archive.models import Extraction
from tilskudd.archive.noark import write_extraction
from tilskudd.archive.tasks import zip_folder
from tilskudd.rounds.access import get_round_to_manage, rounds_managed_by
from tilskudd.ui.access import post_action, role_required


def _extractions_page(request, round_id: int, **kwargs) -> str:
    get_round_to_manage(request.user, round_id)
    return reverse("archive:round_extractions", args=[round_id])


def extraction_context(request, round) -> dict:
    return {
        "round": round,
        "extraction": round.extractions.select_related("requested_by").first(),
        "can_act": request.user.role in OFFICE_ROLES,
        "progress_url": reverse("archive:extraction_progress", args=[round.pk]),
        "start_url": reverse("archive:extraction_start", args=[round.pk]),
        "download_url": reverse("archive:extraction_download", args=[round.pk]),
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


# --- The office's archive page: its rounds, and the extraction of a range of years ---------------------


def _office_page(request, **kwargs) -> str:
    return reverse("archive:office_archive")


def _range_context(request, form=None) -> dict:
    office = request.user.office
    bounds = services.year_range(office)
    extraction = (
        Extraction.objects.filter(office=office, round__isnull=True).select_related("requested_by").first()
    )
    if form is None and bounds:
        first, last = bounds
        initial = (
            {"year_from": extraction.year_from, "year_to": extraction.year_to}
            if extraction
            else {"year_from": first, "year_to": last}
        )
        form = YearRangeForm(initial=initial, bounds=bounds)
    return {
        "office": office,
        "rounds": rounds_managed_by(request.user).order_by("-year"),
        "bounds": bounds,
        "extraction": extraction,
        "can_act": bool(bounds),
        "start_form": form,
        "progress_url": reverse("archive:range_progress"),
        "start_url": reverse("archive:range_start"),
        "download_url": reverse("archive:range_download"),
    }


@role_required(*OFFICE_ROLES)
@require_GET
def office_archive(request):
    """The office's rounds, each with its extraction, and the extraction of the rounds of a range of years."""
    return render(request, "archive/office_archive.html", _range_context(request))


@role_required(*OFFICE_ROLES)
@require_GET
def range_progress(request):
    return render(request, "archive/_extraction_progress.html", _range_context(request))


@role_required(*OFFICE_ROLES)
@post_action(_office_page)
def range_start(request):
    bounds = services.year_range(request.user.office)
    if bounds is None:
        return redirect("archive:office_archive")
    form = YearRangeForm(request.POST, bounds=bounds)
    if form.is_valid():
        try:
            services.start_range_extraction(office=request.user.office, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, found in error.message_dict.items():
                form.add_error(field if field in form.fields else None, found)
        else:
            messages.success(
                request,
                _("The extraction is being made in the background. You can follow the progress here."),
            )
            return redirect("archive:office_archive")
    return render(request, "archive/office_archive.html", _range_context(request, form), status=422)


@role_required(*OFFICE_ROLES)
@require_GET
def range_download(request):
    """The office's latest finished extraction of a range of years."""
    extraction = (
        Extraction.objects.filter(
            office=request.user.office, round__isnull=True, finished_at__isnull=False, error=""
        )
        .exclude(file="")
        .first()
    )
    if extraction is None:
        raise Http404
    return FileResponse(
        extraction.file.open("rb"),
        as_attachment=True,
        filename=Path(extraction.file.name).name,
        content_type="application/zip",
    )
