"""Plain-language explanations of the allocation engine's steps, in bokmål, nynorsk and English (R8).

The engine (``allocation.py``) records *what* happened to a line as ``Step`` codes with
parameters; this module turns them into sentences: ``explain`` for the office's allocation
screen, ``explain_for_recipient`` for the decision, its letter and the applicant's pages.

Two different rankings are named apart: the office's *priority group* (prioriteringsgruppe,
R7) and the applicant's own *order* of its lines (rekkefølge). The recipient's variant
speaks of the office, never of the case officer's internal steps, and carries the reasons
a person gave: why an amount was set by hand, why a line is not eligible.
"""

from tilskudd.domain.allocation import LineResult, Step
from tilskudd.domain.money import format_kroner

KIND_LABELS: dict[str, dict[str, str]] = {
    "competence": {"nb": "kompetansetiltak", "nn": "kompetansetiltak", "en": "competence measures"},
    "bpa": {"nb": "BPA-opplæring", "nn": "BPA-opplæring", "en": "BPA training"},
    "innovation": {"nb": "innovasjonsprosjekter", "nn": "innovasjonsprosjekt", "en": "innovation projects"},
}

STEP_TEXTS: dict[str, dict[str, str]] = {
    "ineligible": {
        "nb": "Tiltaket oppfyller ikke vilkårene for tilskudd og får 0 kr.",
        "nn": "Tiltaket oppfyller ikkje vilkåra for tilskot og får 0 kr.",
        "en": "The line does not meet the conditions for a grant and gets 0 kr.",
    },
    "tier": {
        "nb": "Prioriteringsgruppe {tier}.",
        "nn": "Prioriteringsgruppe {tier}.",
        "en": "Priority group {tier}.",
    },
    "applied": {"nb": "Søkt {amount}", "nn": "Søkt {amount}", "en": "Applied for {amount}"},
    "override": {
        "nb": "Beløpet er fastsatt av saksbehandler til {amount}.",
        "nn": "Beløpet er fastsett av sakshandsamar til {amount}.",
        "en": "The case officer has set the amount at {amount}.",
    },
    "capped_recommended": {
        "nb": "Saksbehandler anbefaler {amount}.",
        "nn": "Sakshandsamar tilrår {amount}.",
        "en": "The case officer recommends {amount}.",
    },
    "capped_max": {
        "nb": "Høyeste beløp per tiltak er {amount}.",
        "nn": "Høgaste beløp per tiltak er {amount}.",
        "en": "The maximum per line is {amount}.",
    },
    "from_pool": {
        "nb": "{amount} er tatt fra den øremerkede potten «{pool}».",
        "nn": "{amount} er teke frå den øyremerkte potten «{pool}».",
        "en": "{amount} comes from the earmarked pool “{pool}”.",
    },
    "funded_by_score": {
        "nb": "Nummer {position} i rangeringen etter poeng og søkerens egen rekkefølge.",
        "nn": "Nummer {position} i rangeringa etter poeng og søkjaren si eiga rekkjefølgje.",
        "en": "Number {position} in the ranking by score and the applicant's own order.",
    },
    "fully_funded": {
        "nb": "Innvilget fullt: {amount}.",
        "nn": "Innvilga fullt: {amount}.",
        "en": "Granted in full: {amount}.",
    },
    "reduced_proportionally": {
        "nb": "Avkortet forholdsmessig til {share_percent} % fordi det ble søkt om mer i prioriteringsgruppe "
        "{tier} enn midlene rakk til: {amount}.",
        "nn": "Avkorta forholdsmessig til {share_percent} % fordi det vart søkt om meir i prioriteringsgruppe "
        "{tier} enn midlane rakk til: {amount}.",
        "en": "Reduced proportionally to {share_percent} % because priority group {tier} asked for more than "
        "the funds could cover: {amount}.",
    },
    "at_funding_line": {
        "nb": "Tiltaket ligger på finansieringsgrensen og får det som var igjen: {amount}.",
        "nn": "Tiltaket ligg på finansieringsgrensa og får det som var att: {amount}.",
        "en": "The line is at the funding line and gets what was left: {amount}.",
    },
    "below_funding_line": {
        "nb": "Midlene rakk ikke til dette tiltaket i prioriteringsgruppe {tier}: 0 kr.",
        "nn": "Midlane rakk ikkje til dette tiltaket i prioriteringsgruppe {tier}: 0 kr.",
        "en": "The funds did not reach this line in priority group {tier}: 0 kr.",
    },
    "below_minimum": {
        "nb": "Beløpet ville blitt lavere enn minstebeløpet på {minimum}, og tiltaket får derfor 0 kr.",
        "nn": "Beløpet ville vorte lågare enn minstebeløpet på {minimum}, og tiltaket får difor 0 kr.",
        "en": "The amount would have been below the minimum of {minimum}, so the line gets 0 kr.",
    },
    "capped_applicant": {
        "nb": "Søkeren har nådd taket på {cap} per søker: {amount}.",
        "nn": "Søkjaren har nådd taket på {cap} per søkjar: {amount}.",
        "en": "The applicant has reached the cap of {cap} per applicant: {amount}.",
    },
    "capped_kind": {
        "nb": "Taket på {cap} for {kind} er nådd: {amount}.",
        "nn": "Taket på {cap} for {kind} er nådd: {amount}.",
        "en": "The cap of {cap} for {kind} has been reached: {amount}.",
    },
    "override_reduced": {
        "nb": "De fastsatte beløpene er til sammen større enn midlene og er avkortet forholdsmessig "
        "til {share_percent} %: {amount}.",
        "nn": "Dei fastsette beløpa er til saman større enn midlane og er avkorta forholdsmessig "
        "til {share_percent} %: {amount}.",
        "en": "The amounts set by case officers together exceed the funds and are reduced "
        "proportionally to {share_percent} %: {amount}.",
    },
}

# The recipient's wording where it differs from the office's (the rest is shared).
RECIPIENT_TEXTS: dict[str, dict[str, str]] = {
    "ineligible": {
        "nb": "Tiltaket oppfyller ikke vilkårene for tilskudd og får 0 kr.",
        "nn": "Tiltaket oppfyller ikkje vilkåra for tilskot og får 0 kr.",
        "en": "The measure does not meet the conditions for a grant and gets 0 kr.",
    },
    "override": {
        "nb": "Beløpet er fastsatt av Statsforvalteren til {amount}.",
        "nn": "Beløpet er fastsett av Statsforvaltaren til {amount}.",
        "en": "The amount has been set by the County Governor at {amount}.",
    },
    "capped_recommended": {
        "nb": "Beløpet er satt til {amount} etter at Statsforvalteren har vurdert tiltaket.",
        "nn": "Beløpet er sett til {amount} etter at Statsforvaltaren har vurdert tiltaket.",
        "en": "The amount has been set at {amount} after the County Governor's assessment of the measure.",
    },
    "capped_max": {
        "nb": "Høyeste beløp per tiltak er {amount}.",
        "nn": "Høgaste beløp per tiltak er {amount}.",
        "en": "The maximum per measure is {amount}.",
    },
    "from_pool": {
        "nb": "{amount} er dekket av de øremerkede midlene «{pool}».",
        "nn": "{amount} er dekt av dei øyremerkte midlane «{pool}».",
        "en": "{amount} is covered by the earmarked funds “{pool}”.",
    },
    "funded_by_score": {
        "nb": "Nummer {position} i rangeringen etter poengsum og søkerens egen rekkefølge.",
        "nn": "Nummer {position} i rangeringa etter poengsum og søkjaren si eiga rekkjefølgje.",
        "en": "Number {position} in the ranking by score and the applicant's own order.",
    },
    "granted_less": {
        "nb": "Innvilget: {amount}.",
        "nn": "Innvilga: {amount}.",
        "en": "Granted: {amount}.",
    },
    "at_funding_line": {
        "nb": "Tiltaket er det siste midlene rakk til, og får det som var igjen: {amount}.",
        "nn": "Tiltaket er det siste midlane rakk til, og får det som var att: {amount}.",
        "en": "The measure is the last the funds reached, and gets what was left: {amount}.",
    },
    "below_minimum": {
        "nb": "Beløpet ville blitt lavere enn minstebeløpet på {minimum}, og tiltaket får derfor 0 kr.",
        "nn": "Beløpet ville vorte lågare enn minstebeløpet på {minimum}, og tiltaket får difor 0 kr.",
        "en": "The amount would have been below the minimum of {minimum}, so the measure gets 0 kr.",
    },
    "override_reduced": {
        "nb": "Beløpene Statsforvalteren har fastsatt, er til sammen større enn midlene og er avkortet "
        "forholdsmessig til {share_percent} %: {amount}.",
        "nn": "Beløpa Statsforvaltaren har fastsett, er til saman større enn midlane og er avkorta "
        "forholdsmessig til {share_percent} %: {amount}.",
        "en": "The amounts set by the County Governor together exceed the funds and are reduced "
        "proportionally to {share_percent} %: {amount}.",
    },
    "reason": {"nb": "Begrunnelse: {reason}", "nn": "Grunngiving: {reason}", "en": "Reason: {reason}"},
}

_MONEY_PARAMS = ("amount", "cap", "minimum")


def describe_step(step: Step, language: str = "nb", texts: dict[str, dict[str, str]] | None = None) -> str:
    """One step as a plain-language sentence (an unknown code is shown as it is)."""
    texts = (texts or {}).get(step.code) or STEP_TEXTS.get(step.code)
    if texts is None:
        return step.code
    values = dict(step.params)
    for name in _MONEY_PARAMS:
        if isinstance(values.get(name), int):
            values[name] = format_kroner(values[name], language)
    if "kind" in values:
        labels = KIND_LABELS.get(values["kind"], {})
        values["kind"] = labels.get(language, labels.get("nb", values["kind"]))
    return texts.get(language, texts["nb"]).format(**values)


def _join(steps, language: str, texts=None) -> str:
    text = ""
    joining = False
    for step in steps:
        sentence = describe_step(step, language, texts)
        if joining:
            text += ", " + sentence[:1].lower() + sentence[1:]
        else:
            text += (" " if text else "") + sentence
        joining = step.code == "applied"
    if joining:
        text += "."
    return text


def explain(result: LineResult, language: str = "nb") -> str:
    """How the line's amount was reached, in bokmål ("nb"), nynorsk ("nn") or English ("en").

    E.g. "Prioriteringsgruppe 1. Søkt 400 000 kr, avkortet forholdsmessig til 63 % fordi det ble
    søkt om mer i prioriteringsgruppe 1 enn midlene rakk til: 252 000 kr."
    """
    return _join(result.steps, language)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text[-1] in ".!?…" else text + "."


def explain_for_recipient(
    result: LineResult, language: str = "nb", *, override_reason: str = "", ineligible_reason: str = ""
) -> str:
    """The explanation the applicant reads in the decision and its letter.

    As ``explain``, but in the recipient's words: the office rather than the case officer,
    "Innvilget" rather than "Innvilget fullt" where less than applied was granted, and the
    reason a person gave for setting the amount by hand or for finding the line ineligible.
    """
    applied = next((s.params["amount"] for s in result.steps if s.code == "applied"), None)
    steps = []
    for step in result.steps:
        if step.code == "fully_funded" and applied is not None and step.params["amount"] < applied:
            step = Step("granted_less", step.params)
        steps.append(step)
        reason = {"override": override_reason, "ineligible": ineligible_reason}.get(step.code, "")
        if reason.strip():
            steps.append(Step("reason", {"reason": _sentence(reason)}))
    return _join(steps, language, RECIPIENT_TEXTS)
