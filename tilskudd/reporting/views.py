from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tilskudd.reporting.access import get_obligation_for


@login_required
@require_GET
def obligation(request, obligation_id: int):
    return render(
        request, "reporting/obligation.html", {"obligation": get_obligation_for(request.user, obligation_id)}
    )
