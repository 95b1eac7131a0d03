"""The sentence a decision letter carries about appeal (R10b).

Seed 004: no appeal may be made against the award or refusal (forvaltningsloven
§ 28). For kommuner and fylkeskommuner the reason is that a grant to a public body
is not an individual decision towards a private party (§ 2). Whether appeal is
allowed is round configuration per applicant kind (Round.appeal_allowed_kinds),
default: no appeal for any kind.
"""

from django.utils.translation import gettext as _


def appeal_sentence(applicant_kind: str, allowed: bool) -> str:
    if allowed:
        return _(
            "The decision can be appealed, cf. the Public Administration Act § 28. The deadline for an appeal is "
            "three weeks from the day the letter was received, and the appeal is sent to the office that made the "
            "decision."
        )
    if applicant_kind in ("kommune", "fylkeskommune"):
        return _(
            "The decision cannot be appealed. A grant to a municipality or county authority is not an individual "
            "decision towards a private party, cf. the Public Administration Act §§ 2 and 28."
        )
    return _("The decision cannot be appealed, cf. the Public Administration Act § 28.")
