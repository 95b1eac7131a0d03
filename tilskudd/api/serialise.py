"""Model objects as the plain data the schemas describe: kroner as int, times in Oslo with offset."""

from django.utils import timezone
from django.utils.translation import get_language

from tilskudd.applications.models import Application, Line
from tilskudd.domain.deadlines import is_on_time


def local(moment):
    return timezone.localtime(moment) if moment is not None else None


def organisation_ref(organisation) -> dict:
    return {
        "id": organisation.pk,
        "name": organisation.display_name,
        "kind": organisation.kind,
        "organisasjonsnummer": organisation.organisasjonsnummer,
    }


def as_round(round, now) -> dict:
    return {
        "id": round.pk,
        "title": round.title,
        "year": round.year,
        "office": {"id": round.office_id, "name": round.office.name},
        "application_deadline": local(round.application_deadline),
        "report_deadline": local(round.report_deadline),
        "change_window_opens": round.change_window_opens,
        "change_window_closes": round.change_window_closes,
        "fresh_funds": round.fresh_funds,
        "carried_over_funds": round.carried_over_funds,
        "total_funds": round.total_funds,
        "call_text": round.call_text,
        "is_open": is_on_time(now, round.application_deadline),  # the submission rule: the whole last minute
        "published_at": local(round.published_at),
    }


def as_line(line: Line) -> dict:
    return {
        "id": line.pk,
        "kind": line.kind,
        "rank": line.rank,
        "title": line.title,
        "amount": line.amount,
        "amount_applied": line.amount_applied,
        "education_type": line.education_type or "",
        "subject_field": line.subject_field,
        "mental_health": line.mental_health,
        "target_group": line.target_group or "",
        "target_agency": line.target_agency,
        "employees_count": line.employees_count,
        "bpa_training_type": line.bpa_training_type or "",
        "amount_per_person": line.amount_per_person,
        "persons_count": line.persons_count,
        "persons_untrained": line.persons_untrained,
        "purpose": line.purpose,
        "description": line.description,
        "themes": list(line.themes or []),
        "own_financing": line.own_financing,
        "collaborators": line.collaborators,
        "dissemination": line.dissemination,
        "criteria_answers": {str(k): str(v) for k, v in (line.criteria_answers or {}).items()},
        "budget_items": [{"description": b.description, "amount": b.amount} for b in line.budget_items.all()],
    }


def as_summary(application: Application, total: int) -> dict:
    return {
        "id": application.pk,
        "case_number": application.case_number,
        "round_id": application.round_id,
        "round_title": application.round.title,
        "organisation": organisation_ref(application.organisation),
        "status": application.status,
        "submitted_at": local(application.submitted_at),
        "total": total,
    }


def as_application(application: Application) -> dict:
    lines = list(application.lines.prefetch_related("budget_items").order_by("rank", "pk"))
    return as_summary(application, sum(line.amount for line in lines)) | {
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "contact_phone": application.contact_phone,
        "leader_name": application.leader_name,
        "leader_title": application.leader_title,
        "partners": application.partners,
        "version": application.version,
        "created_at": local(application.created_at),
        "updated_at": local(application.updated_at),
        "lines": [as_line(line) for line in lines],
        "attachments": [
            {
                "id": a.pk,
                "name": a.original_name,
                "size": a.size,
                "content_type": a.content_type,
                "uploaded_at": local(a.uploaded_at),
            }
            for a in application.attachments.order_by("pk")
        ],
    }


def _language() -> str:
    return (get_language() or "nb")[:2]


def as_decision(decision) -> dict:
    return {
        "id": decision.pk,
        "application_id": decision.application_id,
        "outcome": decision.outcome,
        "applied": decision.applied,
        "granted": decision.granted,
        "approved": decision.approved_at is not None,
        "prepared_at": local(decision.prepared_at),
        "approved_at": local(decision.approved_at),
        "appeal_text": decision.appeal_text_in(_language()),  # as the case page: in the reader's language
        "has_letter": hasattr(decision, "letter"),
        "lines": [
            {
                "line_id": dl.line_id,
                "rank": dl.rank,
                "kind": dl.kind,
                "title": dl.title,
                "applied": dl.applied,
                "granted": dl.granted,
                "explanation": dl.explanation_in(_language()),
            }
            for dl in sorted(decision.lines.all(), key=lambda dl: (dl.rank, dl.pk))  # prefetched in lists
        ],
    }


def person(user) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


def as_office_decision(decision) -> dict:
    """``decision`` with ``application__organisation``, ``prepared_by``, ``approved_by`` loaded."""
    return as_decision(decision) | {
        "case_number": decision.application.case_number,
        "organisation": organisation_ref(decision.application.organisation),
        "scenario_name": decision.scenario_name,
        "prepared_by": person(decision.prepared_by),
        "approved_by": person(decision.approved_by),
    }


def as_obligation(obligation, now) -> dict:
    return {
        "id": obligation.pk,
        "organisation": organisation_ref(obligation.organisation),
        "round_id": obligation.round_id,
        "round_title": obligation.round.title,
        "awarded": obligation.awarded,
        "due": local(obligation.due),
        "state": obligation.state(now).value,
        "submitted_at": local(obligation.submitted_at),
        "approved_at": local(obligation.approved_at),
        "returned_at": local(obligation.returned_at),
        "return_reason": obligation.return_reason,
    }
