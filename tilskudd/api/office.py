"""The office's own endpoints (case officer, approver): its rounds, published or not, and payments.

Applications, decisions and report obligations of its rounds are read through the shared
endpoints (``cases``), whose permission-checked fetches show the office its own rounds' cases.
"""

from django.utils import timezone
from ninja import Router

from tilskudd.api import schemas
from tilskudd.api.serialise import as_round, local, organisation_ref
from tilskudd.decisions.models import Payment
from tilskudd.rounds.access import get_round_to_manage, rounds_managed_by

router = Router(tags=["office"])
ERRORS = schemas.ERRORS


@router.get("/office/rounds", response={200: list[schemas.RoundOut], **ERRORS}, summary="The office's rounds")
def office_rounds(request):
    """The rounds of the person's office, drafts included (empty for everyone else)."""
    now = timezone.now()
    return [as_round(r, now) for r in rounds_managed_by(request.user).order_by("-year", "pk")]


@router.get(
    "/office/rounds/{round_id}/payments",
    response={200: list[schemas.PaymentOut], **ERRORS},
    summary="Payments recorded in one of the office's rounds",
)
def payments(request, round_id: schemas.Id):
    round = get_round_to_manage(request.user, round_id)
    qs = (
        Payment.objects.filter(decision__application__round=round)
        .select_related("decision__application__organisation")
        .order_by("paid_on", "pk")
    )
    return [
        {
            "id": p.pk,
            "decision_id": p.decision_id,
            "application_id": p.decision.application_id,
            "organisation": organisation_ref(p.decision.application.organisation),
            "paid_on": p.paid_on,
            "amount": p.amount,
            "recorded_at": local(p.recorded_at),
        }
        for p in qs
    ]
