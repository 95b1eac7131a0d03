"""The case page: the application, with a panel from each later stage and the case log.

Later stages (decisions, reporting, change requests, repayment) register their panel
on ``CASE`` (or a plain link, such as the archive download, on ``CASE_LINKS``) in their
own ``panels.py``; a view of theirs that must show the case page
again (a form with errors) calls ``render_case`` with its bound form in ``state``.
"""

from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import get_language

from tilskudd.applications.forms import ApplicationForm, AttachmentForm
from tilskudd.applications.models import Attachment
from tilskudd.applications.summary import summarise_amounts
from tilskudd.caselog.selectors import log_rows
from tilskudd.domain.lines import LineKind, bpa_amount
from tilskudd.domain.money import format_kroner
from tilskudd.rounds.models import LineKindChoices
from tilskudd.ui.panels import Slot, links

CASE = Slot("case")
CASE_LINKS = Slot("case_links")  # Panel("", {"links": [Link(...)]}): shown above the case log


def case_context(
    request, application, *, form=None, attachment_form=None, state=None, error_form=None
) -> dict:
    """``error_form``: a later stage's form that failed; its error summary goes at the top of the page."""
    lines = _line_rows(application)
    # Read once for the page's list and the journal's documents (archive's panel), who uploaded them included.
    prefetch_related_objects(
        [application], Prefetch("attachments", Attachment.objects.select_related("uploaded_by"))
    )
    can_write = request.user.is_applicant_side and application.is_draft
    allowed = application.round.allowed_kinds_for(application.organisation.kind)
    return {
        "application": application,
        "round": application.round,
        "lines": lines,
        "summary": summarise_amounts([(line["kind"], line["amount"]) for line in lines]),
        # The forms are shown only to whoever may write to the draft.
        "form": form
        or (
            ApplicationForm(instance=application, initial={"version": application.version})
            if can_write
            else None
        ),
        "attachment_form": attachment_form or (AttachmentForm() if can_write else None),
        "attachments": application.attachments.all(),
        "entries": log_rows(application, applicant_view=request.user.is_applicant_side),
        "panels": CASE.render(request, application, state),
        "case_links": links(CASE_LINKS, request, application),
        "can_write": can_write,
        "error_form": error_form,
        "can_submit": can_write and request.user.can_submit,
        "addable_kinds": [(kind, LineKindChoices(kind).label) for kind in allowed],
        "blocked_kinds": [(kind.value, kind.label) for kind in LineKindChoices if kind.value not in allowed],
    }


def _line_rows(application) -> list[dict]:
    """The lines table's rows, read as values with each row's text made once here (``Line.amount``'s rule)."""
    language = get_language() or "nb"
    labels = dict(LineKindChoices.choices)
    rows = application.lines.order_by("rank", "pk").values_list(
        "pk", "rank", "kind", "title", "amount_applied", "amount_per_person", "persons_count"
    )
    lines = []
    for pk, rank, kind, title, applied, per_person, persons in rows:
        amount = bpa_amount(per_person, persons) if kind == LineKind.BPA else applied or 0
        label = str(labels.get(kind, kind))  # as get_kind_display
        lines.append(
            {
                "pk": pk,
                "rank": rank,
                "kind": kind,
                "kind_label": label,
                "kind_shown": capfirst(label),
                "title": title,
                "amount": amount,
                "amount_shown": format_kroner(amount, language),
            }
        )
    return lines


def render_case(request, application, *, status: int = 200, **kwargs):
    return render(
        request,
        "applications/application_detail.html",
        case_context(request, application, **kwargs),
        status=status,
    )
