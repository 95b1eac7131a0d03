from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from tilskudd.accounts.models import Role
from tilskudd.reporting.models import ReportObligation


def obligations_visible_to(user):
    qs = ReportObligation.objects.select_related("organisation", "round__office")
    if user.role == Role.ADMIN:
        return qs
    if user.is_office_side:
        return qs.filter(round__office_id=user.office_id)
    if user.is_applicant_side:
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


@login_required
@require_GET
def obligation(request, obligation_id: int):
    item = get_object_or_404(obligations_visible_to(request.user), pk=obligation_id)
    return render(request, "reporting/obligation.html", {"obligation": item})
