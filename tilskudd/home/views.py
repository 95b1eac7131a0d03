"""Pages that are not owned by one stage of the grant's life: start pages, about pages."""

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tilskudd.accounts.memberships import people_at
from tilskudd.accounts.models import Invitation, Membership, Role
from tilskudd.home import overview
from tilskudd.organisations.models import Fylke, Office, Organisation, OrganisationKind
from tilskudd.publication.selectors import offices_with_awards, years_published
from tilskudd.publication.statistics import CACHE_SECONDS as STATISTICS_SECONDS
from tilskudd.publication.statistics import statistics, statistics_key, with_charts
from tilskudd.reporting.selectors import reports_for_auditor
from tilskudd.ui.access import public
from tilskudd.ui.fragments import cached_body


def _office_summary(offices):
    return offices.annotate(
        kommuner=Count(
            "fylker__organisations", filter=Q(fylker__organisations__kind=OrganisationKind.KOMMUNE)
        ),
        organisations=Count("fylker__organisations"),
    ).order_by("name")


def _access_summary(**place) -> dict:
    """How many people have a role at the place today, and how many invitations wait."""
    return {
        "people_count": len(people_at(**place)),
        "open_invitations": Invitation.objects.filter(
            **place, accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
        ).count(),
    }


def _administered(office):
    """The organisations of the office that have an administrator today."""
    today = timezone.localdate()
    return (
        Membership.objects.in_force(today)
        .filter(role=Role.ORG_ADMIN, organisation__fylke__office=office)
        .values("organisation_id")
    )


@public
@require_GET
def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "home/home_public.html")
    context = {}
    if user.is_applicant_side:
        organisation = Organisation.objects.select_related("fylke__office").get(pk=user.organisation_id)
        user.organisation = organisation  # the header names it too: not read twice
        context["organisation"] = organisation
        context["manages_people"] = user.administers_organisation(organisation.pk)
        context.update(overview.applicant_overview(user, organisation))
        template = "home/home_applicant.html"
    elif user.is_office_side:
        # The office is the header's too (read once); its counties with their organisations counted.
        context["office"] = user.office
        context["fylker"] = fylker = list(
            Fylke.objects.filter(office_id=user.office_id).annotate(
                kommuner=Count("organisations", filter=Q(organisations__kind=OrganisationKind.KOMMUNE)),
                organisations_count=Count("organisations"),
            )
        )
        context["kommuner"] = sum(fylke.kommuner for fylke in fylker)
        context["organisations"] = sum(fylke.organisations_count for fylke in fylker)
        context["manages_people"] = user.administers_office(user.office_id)
        context.update(overview.office_overview(user, user.office))
        template = "home/home_office.html"
    elif user.role == Role.ORG_ADMIN:
        # Manages the organisation's people and details, and drafts nothing.
        organisation = Organisation.objects.select_related("fylke__office").get(pk=user.organisation_id)
        context.update(organisation=organisation, **_access_summary(organisation=organisation))
        template = "home/home_org_admin.html"
    elif user.role == Role.OFFICE_ADMIN:
        office = Office.objects.get(pk=user.office_id)
        context.update(office=office, **_access_summary(office=office))
        context["without_administrator"] = (
            Organisation.objects.in_office(office)
            .filter(valid_to__isnull=True)
            .exclude(pk__in=_administered(office))
            .count()
        )
        template = "home/home_office_admin.html"
    elif user.role == Role.NATIONAL:
        # The directorate's start page opens on the national statistics (issue 14).
        # Kept like the statistics page, under the statistics' own key: the choice of an office and a
        # year (which opens the statistics for them) and the country's tables.
        key = statistics_key(None)
        context["statistics"] = cached_body(
            request,
            "home/_directorate_statistics.html",
            lambda: {
                "tables": with_charts(statistics(key=key)),
                "offices": offices_with_awards().order_by("name"),
                "years": years_published(),
            },
            key,
            seconds=STATISTICS_SECONDS,
        )
        context["offices"] = Office.objects.all()
        template = "home/home_directorate.html"
    elif user.role == Role.ADMIN:
        context["offices"] = _office_summary(Office.objects.all())
        context["is_admin"] = True
        template = "home/home_national.html"
    elif user.role == Role.AUDITOR:  # the organisation's auditor: its reports, nothing else (R11)
        context["organisation"] = Organisation.objects.select_related("fylke__office").get(
            pk=user.organisation_id
        )
        context["rows"] = reports_for_auditor(user.organisation_id)
        context["waiting"] = [row for row in context["rows"] if row.waits_for_auditor]
        template = "home/home_auditor.html"
    else:  # no role in force (or only one that has a page of its own elsewhere)
        template = "home/home_no_role.html"
    return render(request, template, context)


@public
@require_GET
def accessibility(request):
    return render(request, "home/accessibility.html")


def csrf_failure(request, reason=""):
    return render(
        request,
        "ui/error.html",
        {
            "title": _("The form had expired"),
            "message": _("Go back, reload the page and try again. Nothing was saved."),
        },
        status=403,
    )
