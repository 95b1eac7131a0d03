"""Reference data: fylker, Statsforvalter offices, and the organisations that apply.

An organisation's office is derived from its fylke (never stored twice). Kommuner
merge and split, so organisations have a validity period and an optional successor.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tilskudd.domain.identifiers import format_organisasjonsnummer, is_valid_organisasjonsnummer, normalise
from tilskudd.organisations.reference import norwegian_forms


def validate_organisasjonsnummer(value: str) -> None:
    if not is_valid_organisasjonsnummer(value):
        raise ValidationError(
            _("The organisation number must be 9 digits with a valid check digit (MOD11)."),
            code="invalid_orgnr",
        )


def validate_postal_code(value: str) -> None:
    if value and not (len(value) == 4 and value.isdigit()):
        raise ValidationError(_("A postal code is four digits."), code="invalid_postal_code")


class Office(models.Model):
    """A Statsforvalter office (embete). Ten since 2019.

    The letterhead's address and contact fields are configuration, edited in the admin:
    the reference data does not carry them (see tilskudd/data/README.md).
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    organisasjonsnummer = models.CharField(
        _("organisation number"), max_length=9, validators=[validate_organisasjonsnummer]
    )
    postal_address = models.CharField(_("postal address"), max_length=120, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=4, blank=True, validators=[validate_postal_code]
    )
    postal_town = models.CharField(_("postal town"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Statsforvalter office")
        verbose_name_plural = _("Statsforvalter offices")

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return self.name.removeprefix("Statsforvalteren i ")

    @property
    def postal_lines(self) -> list[str]:
        return _postal_lines(self.postal_address, self.postal_code, self.postal_town)


def _postal_lines(address: str, code: str, town: str) -> list[str]:
    last = " ".join(part for part in (code, town.upper()) if part)
    return [line for line in (address, last) if line]


def formal_name(kind: str, name: str) -> str:
    """The name as a Norwegian letter writes it: "Trondheim kommune", "Kautokeino kommune".

    A kommune with parallel Sami or Kven names is named by its Norwegian form
    (``NORWEGIAN_FORMS``, from the reference data), otherwise by the first of its
    names; fylkeskommuner and state recipients keep their names.
    """
    if kind != "kommune":
        return name
    first = norwegian_forms().get(name) or name.split(" - ")[0].strip()
    return first if first.endswith(" kommune") else f"{first} kommune"


class Fylke(models.Model):
    number = models.CharField(_("county number"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=120)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="fylker", verbose_name=_("office")
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


POSTAL_FIELDS = ("postal_address", "postal_code", "postal_town")


class OrganisationKind(models.TextChoices):
    KOMMUNE = "kommune", _("municipality")
    FYLKESKOMMUNE = "fylkeskommune", _("county authority")
    STATE = "state", _("university or university college")


class WrittenLanguage(models.TextChoices):
    BOKMAL = "nb", "Bokmål"
    NYNORSK = "nn", "Nynorsk"


class OrganisationQuerySet(models.QuerySet):
    def in_office(self, office: Office) -> "OrganisationQuerySet":
        return self.filter(fylke__office=office)

    def valid_on(self, day) -> "OrganisationQuerySet":
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )


class Organisation(models.Model):
    """A body that may apply: a kommune, a fylkeskommune or a state recipient (R2)."""

    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    kommunenummer = models.CharField(_("municipality number"), max_length=4, blank=True)
    fylke = models.ForeignKey(
        Fylke, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("county")
    )
    organisasjonsnummer = models.CharField(
        _("organisation number"),
        max_length=9,
        blank=True,
        validators=[validate_organisasjonsnummer],
        help_text=_("Nine digits, as in the Central Coordinating Register for Legal Entities."),
    )
    written_language = models.CharField(
        _("written language"), max_length=2, choices=WrittenLanguage.choices, default=WrittenLanguage.BOKMAL
    )
    postal_address = models.CharField(
        _("postal address"), max_length=120, blank=True, help_text=_("For example Postboks 2300 Torgarden.")
    )
    postal_code = models.CharField(
        _("postal code"), max_length=4, blank=True, validators=[validate_postal_code]
    )
    postal_town = models.CharField(_("postal town"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
        help_text=_("The organisation that took over after a merger or split."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["kommunenummer"],
                condition=models.Q(kind="kommune", valid_to__isnull=True),
                name="one_current_kommune_per_number",
            ),
            models.UniqueConstraint(
                fields=["organisasjonsnummer"],
                condition=~models.Q(organisasjonsnummer=""),
                name="unique_organisasjonsnummer",
                violation_error_message=_("Another organisation already has this organisation number."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="kommune") | models.Q(kommunenummer__regex=r"^[0-9]{4}$"),
                name="kommune_has_kommunenummer",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def office(self) -> Office:
        return self.fylke.office

    @property
    def display_name(self) -> str:
        """The name in letters, pages and e-mails ("Trondheim kommune", not "Trondheim - Tråante")."""
        return formal_name(self.kind, self.name)

    @property
    def postal_lines(self) -> list[str]:
        return _postal_lines(self.postal_address, self.postal_code, self.postal_town)

    @property
    def organisasjonsnummer_display(self) -> str:
        return format_organisasjonsnummer(self.organisasjonsnummer) if self.organisasjonsnummer else ""

    def clean(self) -> None:
        self.organisasjonsnummer = normalise(self.organisasjonsnummer)
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The end date cannot be before the start date.")
        if self.successor_id and self.successor_id == self.pk:
            errors["successor"] = _("An organisation cannot succeed itself.")
        # Letters go to the whole address or to none: half of one is a letter that does not arrive.
        address = {name: (getattr(self, name) or "").strip() for name in POSTAL_FIELDS}
        if any(address.values()) and not all(address.values()):
            for name, value in address.items():
                if not value:
                    errors[name] = _("Fill in the whole postal address, or leave it all empty.")
        if errors:
            raise ValidationError(errors)

    def current(self) -> "Organisation":
        """Follow successors to the organisation that exists now (merged kommuner)."""
        seen = {self.pk}
        org = self
        while org.successor_id and org.successor_id not in seen:
            org = org.successor
            seen.add(org.pk)
        return org
