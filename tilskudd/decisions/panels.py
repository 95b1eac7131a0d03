"""The decisions stage's panel on the case page: the decision, its letter, acceptance."""

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tilskudd.accounts.models import OFFICE_ROLES
from tilskudd.applications.case import CASE, CASE_LINKS
from tilskudd.decisions import issuing
from tilskudd.decisions.forms import AcceptanceExtensionForm, AcceptanceForm
from tilskudd.decisions.letters import format_day
from tilskudd.decisions.selectors import case_decision
from tilskudd.rounds import panels as round_pages
from tilskudd.ui.panels import Link, Panel


@CASE.provide(order=10)
def decision_panel(request, application, state):
    decision = case_decision(request, application)
    if decision is None or (request.user.is_applicant_side and not decision.is_approved):
        return None  # the applicant sees the decision once it is approved (R10)
    acceptance = getattr(decision, "acceptance", None)
    language = (get_language() or "nb")[:2]
    lines = list(decision.lines.all())
    for line in lines:
        line.shown_explanation = line.explanation_in(language)  # the reader's language, not the letter's
    awaiting = decision.is_approved and decision.granted > 0 and acceptance is None
    is_open = awaiting and issuing.acceptance_is_open(decision)
    office = decision.application.round.office
    return Panel(
        "decisions/_case_panel.html",
        {
            "application": application,
            "decision": decision,
            "decision_lines": lines,
            # The reader's language; the letter keeps the recipient's.
            "appeal_text": decision.appeal_text_in(language),
            # The deadline in force (R10c): the letter's, or a new one the office gave.
            "acceptance_deadline": format_day(issuing.acceptance_deadline_in_force(decision), language)
            if decision.is_approved
            else "",
            "acceptance": acceptance,
            "acceptance_extension": getattr(decision, "acceptance_extension", None),
            "acceptance_closed": awaiting and not is_open,
            "office": office,
            "letter": getattr(decision, "letter", None),
            "can_accept": bool(is_open and request.user.signs_for(application.organisation_id)),
            "acceptance_form": state.get("acceptance_form") or AcceptanceForm(),
            "can_extend": bool(
                awaiting and request.user.role in OFFICE_ROLES and request.user.works_at(office.pk)
            ),
            "extension_form": state.get("extension_form") or AcceptanceExtensionForm(),
        },
    )


@CASE_LINKS.provide(order=10)
def archive_link(request, application, state):
    if not request.user.is_office_side or application.is_draft:
        return None
    return Panel(
        "",
        {
            "links": [
                Link(
                    _("Download the case for the archive (zip)"),
                    reverse("decisions:case_archive", args=[application.pk]),
                )
            ]
        },
    )


@round_pages.ACTIONS.provide(order=40)
def round_actions(request, round, state):
    if request.user.role not in OFFICE_ROLES:
        return None
    return Panel("", {"links": [Link(_("Decisions"), reverse("decisions:round_decisions", args=[round.pk]))]})
