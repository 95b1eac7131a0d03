"""Plain-language explanations of the allocation engine's steps, in bokmål, nynorsk and English (R8).

The engine (``allocation.py``) records *what* happened to a line as ``Step`` codes with
parameters; this module turns them into sentences for the allocation screen and letters.
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
    "tier": {"nb": "Prioritet {tier}.", "nn": "Prioritet {tier}.", "en": "Priority {tier}."},
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
        "nb": "Nummer {position} i rangeringen etter poeng og søkerens egen prioritering.",
        "nn": "Nummer {position} i rangeringa etter poeng og søkjaren si eiga prioritering.",
        "en": "Number {position} in the ranking by score and the applicant's own priority.",
    },
    "fully_funded": {
        "nb": "Innvilget fullt: {amount}.",
        "nn": "Innvilga fullt: {amount}.",
        "en": "Granted in full: {amount}.",
    },
    "reduced_proportionally": {
        "nb": "Avkortet forholdsmessig til {share_percent} % fordi prioritet {tier} ble søkt om mer enn "
        "midlene rakk til: {amount}.",
        "nn": "Avkorta forholdsmessig til {share_percent} % fordi det vart søkt om meir i prioritet {tier} "
        "enn midlane rakk til: {amount}.",
        "en": "Reduced proportionally to {share_percent} % because priority {tier} asked for more than "
        "the funds could cover: {amount}.",
    },
    "at_funding_line": {
        "nb": "Tiltaket ligger på finansieringsgrensen og får det som var igjen: {amount}.",
        "nn": "Tiltaket ligg på finansieringsgrensa og får det som var att: {amount}.",
        "en": "The line is at the funding line and gets what was left: {amount}.",
    },
    "below_funding_line": {
        "nb": "Midlene rakk ikke til dette tiltaket i prioritet {tier}: 0 kr.",
        "nn": "Midlane rakk ikkje til dette tiltaket i prioritet {tier}: 0 kr.",
        "en": "The funds did not reach this line in priority {tier}: 0 kr.",
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

_MONEY_PARAMS = ("amount", "cap", "minimum")


def describe_step(step: Step, language: str = "nb") -> str:
    """One step as a plain-language sentence (an unknown code is shown as it is)."""
    texts = STEP_TEXTS.get(step.code)
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


def explain(result: LineResult, language: str = "nb") -> str:
    """How the line's amount was reached, in bokmål ("nb"), nynorsk ("nn") or English ("en").

    E.g. "Prioritet 1. Søkt 400 000 kr, avkortet forholdsmessig til 63 % fordi prioritet 1 ble
    søkt om mer enn midlene rakk til: 252 000 kr."
    """
    text = ""
    joining = False
    for step in result.steps:
        sentence = describe_step(step, language)
        if joining:
            text += ", " + sentence[:1].lower() + sentence[1:]
        else:
            text += (" " if text else "") + sentence
        joining = step.code == "applied"
    if joining:
        text += "."
    return text
