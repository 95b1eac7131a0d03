"""Why a scenario leaves money unspent, in one sentence for the allocation page (a read)."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tilskudd.domain.money import format_kroner


def unspent_reason(scenario, summary) -> str | None:
    """``None`` when everything is shared out; otherwise what is left and the reasons, in words.

    ``summary`` is the scenario's proposal (assessment.summary), with the funds and pools it was made with.
    """
    remaining = summary.remaining
    if remaining <= 0:
        return None
    language = get_language() or "nb"
    reasons = []
    if summary.eligible_applied <= summary.funds:
        reasons.append(_("the eligible measures ask for less than the round has"))
    unused_pools = summary.unused_pools
    if unused_pools:
        reasons.append(
            _("%(amount)s is earmarked for pools the applications do not use up")
            % {"amount": format_kroner(unused_pools, language)}
        )
    if scenario.max_amount:
        reasons.append(
            _("no measure may get more than %(amount)s")
            % {"amount": format_kroner(scenario.max_amount, language)}
        )
    if scenario.applicant_cap:
        reasons.append(
            _("no applicant may get more than %(amount)s")
            % {"amount": format_kroner(scenario.applicant_cap, language)}
        )
    share = (scenario.kind_share_caps or {}).get("innovation")
    if share:
        reasons.append(_("innovation projects may take at most %(share)s %%") % {"share": share})
    if summary.any_override:
        reasons.append(_("amounts set by hand replace what the proposal would give"))
    if not reasons:
        reasons.append(_("the ranked policy stops at the funding line"))
    joined = reasons[0] if len(reasons) == 1 else ", ".join(reasons[:-1]) + " " + _("and") + " " + reasons[-1]
    return _("%(amount)s cannot be shared out because %(reasons)s.") % {
        "amount": format_kroner(remaining, language),
        "reasons": joined,
    }
