"""The demo's change request (R13): Steinkjer moved 50 000 kr between two measures of its 2025 award in
October 2025; the office's case officer prepared it and the approver approved it, so the amended lines
show in Steinkjer's report form and workbook, and the letter (endringsvedtak) is on the case."""

from datetime import datetime

from tilskudd.accounts.models import User
from tilskudd.amendments import services
from tilskudd.amendments.models import ChangeRequest
from tilskudd.decisions.models import Decision
from tilskudd.domain.deadlines import OSLO
from tilskudd.domain.ledger import Account
from tilskudd.organisations.models import Office, OrganisationKind
from tilskudd.settlement.services import ledger_of

MOVED = 50_000


def load_demo_amendments() -> ChangeRequest | None:
    """Idempotent: nothing happens when the change is there already (or there is no 2025 award to change)."""
    office = Office.objects.get(name="Statsforvalteren i Trøndelag")
    decision = (
        Decision.objects.filter(
            application__round__office=office,
            application__round__year=2025,
            application__organisation__kind=OrganisationKind.KOMMUNE,
            application__organisation__kommunenummer="5006",
            approved_at__isnull=False,
            granted__gt=0,
        )
        .select_related("application__round")
        .first()
    )
    if decision is None or decision.change_requests.exists():
        return None
    current = ledger_of(decision)
    lines = sorted(current.lines, key=lambda line: -current.line_accounts(line.pk)[Account.UNSETTLED])
    if len(lines) < 2 or current.line_accounts(lines[0].pk)[Account.UNSETTLED] < MOVED:
        return None
    source, target = lines[0], lines[1]
    signer = User.objects.get(username="steinkjer")
    change = services.request_change(
        decision=decision,
        by=signer,
        kind="move",
        line=source,
        to_line=target,
        amount=MOVED,
        reason="Prosjektet kom senere i gang enn planlagt, og flere ansatte vil ta videreutdanning i år.",
        now=datetime(2025, 10, 14, 10, 30, tzinfo=OSLO),
    )
    services.prepare_change(change=change, by=User.objects.get(username="saksbehandler"), amount=MOVED)
    approver = User.objects.get(username="godkjenner")
    approver.strong_login = True  # the demo's history: as if the approver had logged in with two steps
    services.approve_change(change=change, by=approver)
    return change
