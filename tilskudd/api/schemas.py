"""What the API sends and takes: typed, so the OpenAPI document says exactly what to expect.

Money is integer kroner; times are ISO 8601 with the Oslo offset; ids are the database's, stable.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema

MAX_ID = 2**63 - 1  # BigAutoField: a larger number is no id, and must never reach the database
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=1900, le=2200)]


class Error(Schema):
    """Every refusal: a code for machines, a message in the language asked for (nb by default)."""

    code: str
    message: str
    fields: dict[str, list[str]] | None = None
    problems: list["Problem"] | None = None
    detail: list[dict[str, Any]] | None = None


class Problem(Schema):
    """One reason a submission is refused, as the web's submit page says it."""

    code: str
    rule: str
    message: str
    line_id: int | None = None
    fields: list[str] = []


Error.model_rebuild()


class OfficeRef(Schema):
    id: int
    name: str


class OrganisationRef(Schema):
    id: int
    name: str
    kind: str
    organisasjonsnummer: str


class RoundOut(Schema):
    id: int
    title: str
    year: int
    office: OfficeRef
    application_deadline: datetime
    report_deadline: datetime | None
    change_window_opens: date | None
    change_window_closes: date | None
    fresh_funds: int
    carried_over_funds: int
    total_funds: int
    call_text: str
    is_open: bool
    published_at: datetime | None = Field(description="Null for a round the office has not published yet.")


class GrantOrganisation(Schema):
    id: str
    name: str


class GrantProgramme(Schema):
    code: str
    title: str


class GrantLocation(Schema):
    name: str
    geoCode: str | None = None  # noqa: N815 (360Giving field names)
    geoCodeType: str | None = None  # noqa: N815


class GrantDates(Schema):
    startDate: str  # noqa: N815
    endDate: str  # noqa: N815


class GrantOut(Schema):
    """One award in the 360Giving Data Standard, exactly as in the open data files."""

    id: str
    title: str
    description: str
    currency: str
    amountAwarded: int  # noqa: N815
    awardDate: str  # noqa: N815
    recipientOrganization: list[GrantOrganisation]  # noqa: N815
    fundingOrganization: list[GrantOrganisation]  # noqa: N815
    grantProgramme: list[GrantProgramme]  # noqa: N815
    beneficiaryLocation: list[GrantLocation]  # noqa: N815
    plannedDates: list[GrantDates]  # noqa: N815
    dateModified: str  # noqa: N815
    dataSource: str  # noqa: N815


class AwardPage(Schema):
    items: list[GrantOut]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class Column(Schema):
    title: str
    money: bool


class Row(Schema):
    label: str
    values: list[int | None]


class TableOut(Schema):
    title: str
    columns: list[Column]
    rows: list[Row]


class Statistics(Schema):
    tables: list[TableOut]


class BudgetItem(Schema):
    description: str
    amount: int


class LineOut(Schema):
    id: int
    kind: str
    rank: int
    title: str
    amount: int = Field(description="Amount applied for, kr (BPA: per person × persons).")
    amount_applied: int | None
    education_type: str
    subject_field: str
    mental_health: bool
    target_group: str
    target_agency: str
    employees_count: int | None
    bpa_training_type: str
    amount_per_person: int | None
    persons_count: int | None
    persons_untrained: int | None
    purpose: str
    description: str
    themes: list[str]
    own_financing: int | None
    collaborators: str
    dissemination: str
    criteria_answers: dict[str, str]
    budget_items: list[BudgetItem]


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    uploaded_at: datetime


class ApplicationSummary(Schema):
    id: int
    case_number: str
    round_id: int
    round_title: str
    organisation: OrganisationRef
    status: str
    submitted_at: datetime | None
    total: int


class ApplicationOut(ApplicationSummary):
    contact_name: str
    contact_email: str
    contact_phone: str
    leader_name: str
    leader_title: str
    partners: str
    version: int
    created_at: datetime
    updated_at: datetime
    lines: list[LineOut]
    attachments: list[AttachmentOut]


class ApplicationStart(Schema):
    round_id: Id


class ApplicationPatch(Schema):
    """Only the fields sent are changed. ``version``: the one read, to be told if a colleague saved since."""

    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    leader_name: str | None = None
    leader_title: str | None = None
    partners: str | None = None
    version: int | None = None


class LineStart(Schema):
    kind: Literal["competence", "bpa", "innovation"]


class LinePatch(Schema):
    """Only the fields sent are changed; the fields of the line's kind apply, others are ignored."""

    title: str | None = None
    education_type: str | None = None
    subject_field: str | None = None
    mental_health: bool | None = None
    target_group: str | None = None
    target_agency: str | None = None
    employees_count: int | None = None
    amount_applied: int | None = None
    bpa_training_type: str | None = None
    amount_per_person: int | None = None
    persons_count: int | None = None
    persons_untrained: int | None = None
    purpose: str | None = None
    description: str | None = None
    themes: list[str] | None = None
    own_financing: int | None = None
    collaborators: str | None = None
    dissemination: str | None = None
    criteria_answers: dict[str, str] | None = None
    budget_items: list[BudgetItem] | None = None


class ProblemList(Schema):
    problems: list[Problem]


class DecisionLineOut(Schema):
    line_id: int
    rank: int
    kind: str
    title: str
    applied: int
    granted: int
    explanation: str


class DecisionOut(Schema):
    id: int
    application_id: int
    outcome: str
    applied: int
    granted: int
    approved: bool
    prepared_at: datetime
    approved_at: datetime | None
    appeal_text: str
    has_letter: bool
    lines: list[DecisionLineOut]


class ObligationOut(Schema):
    id: int
    organisation: OrganisationRef
    round_id: int
    round_title: str
    awarded: int
    due: datetime
    state: str
    submitted_at: datetime | None
    approved_at: datetime | None
    returned_at: datetime | None
    return_reason: str


class Me(Schema):
    username: str
    name: str
    role: str
    organisation: OrganisationRef | None
    office: OfficeRef | None
    token_scope: Literal["read", "write"] | None


class PaymentOut(Schema):
    id: int
    decision_id: int
    application_id: int
    organisation: OrganisationRef
    paid_on: date
    amount: int
    recorded_at: datetime


# Every refusal the API gives, each with the Error body (ninja's codes_4xx leaves out 422).
ERRORS = {frozenset({400, 401, 403, 404, 405, 409, 422, 429}): Error}


class AssessmentOut(Schema):
    line_id: int
    version: int = Field(description="0 when the line has not been assessed yet; send it back when saving.")
    eligible: bool
    ineligible_reason: str
    recommended: int | None
    comment: str
    scores: dict[str, int]
    assessed_at: datetime | None


class AssessmentIn(Schema):
    """The case officer's assessment of one line (the web's assessment form, field for field)."""

    eligible: bool = True
    ineligible_reason: str = ""
    recommended: int | None = None
    comment: str = ""
    scores: dict[str, int] = Field(default_factory=dict, description="Innovation criteria: code -> score.")
    version: int | None = Field(None, description="The version read (0 for a first assessment).")


class ScenarioRef(Schema):
    id: int | None = Field(description="Null for the round's default before anyone has saved a scenario.")
    name: str


class OverrideOut(Schema):
    amount: int
    reason: str
    by: str


class ProposedLineOut(Schema):
    line_id: int
    application_id: int
    organisation: OrganisationRef
    kind: str
    rank: int = Field(description="The applicant's own order of its lines.")
    title: str
    applied: int
    proposed: int = Field(description="The amount the scenario proposes, kr.")
    tier: int = Field(description="Priority group (R7).")
    score: float | None = Field(description="Weighted score of the assessment, if assessed.")
    eligible: bool
    recommended: int | None
    override: OverrideOut | None = Field(description="An amount a case officer set by hand, with the reason.")
    explanation: str = Field(description="How the amount was reached (R8), in the language asked for.")


class ProposalOut(Schema):
    """The allocation page's proposal: every submitted line of the round, in the table's order."""

    round_id: int
    scenario: ScenarioRef
    scenarios: list[ScenarioRef]
    funds: int
    applied: int
    proposed: int
    lines: list[ProposedLineOut]


class OfficeDecisionOut(DecisionOut):
    """A decision as the office sees it: who prepared it from which scenario, and who approved it."""

    case_number: str
    organisation: OrganisationRef
    scenario_name: str
    prepared_by: str
    approved_by: str | None


class PrepareIn(Schema):
    scenario_id: Id | None = Field(
        None, description="The scenario to prepare from; the round's default (saved now) when left out."
    )


class Prepared(Schema):
    prepared: int = Field(description="How many decisions were prepared now (approved ones are kept).")
    scenario: ScenarioRef
    decisions: list[OfficeDecisionOut]
    warnings: list[str] = Field(
        description="R4: applicants whose earlier report the office has not processed."
    )


class ReportLineOut(Schema):
    id: int
    line_id: int
    rank: int
    kind: str
    title: str
    granted: int
    explanation: str = Field(description="The decision's explanation of the line, in the language asked for.")
    completed: int | None
    in_education: int | None
    dropped_out: int | None
    bpa_training_type: str
    work_leaders_trained: int | None
    case_workers_trained: int | None
    assistants_trained: int | None
    innovation_status: str
    results: str
    sharing: str
    used: int | None
    unused: int | None
    unused_choice: str
    carry_over_reason: str


class ReportAttachmentOut(AttachmentOut):
    kind: str = Field(description="auditor (revisoruttalelse) or account: what the page asked for then.")
    confirmed_by_auditor: bool


class ReportOut(ObligationOut):
    """The report's contents: per awarded line the figures, the results and the money."""

    version: int = Field(description="Send it back when saving, to be told if a colleague saved since.")
    editable: bool
    required_attachment: str
    lines: list[ReportLineOut]
    attachments: list[ReportAttachmentOut]


class ReportLineIn(Schema):
    """Only the fields sent are changed; the fields of the line's kind apply (the web's report form)."""

    completed: int | None = None
    in_education: int | None = None
    dropped_out: int | None = None
    bpa_training_type: str | None = None
    work_leaders_trained: int | None = None
    case_workers_trained: int | None = None
    assistants_trained: int | None = None
    innovation_status: str | None = None
    results: str | None = None
    sharing: str | None = None
    used: int | None = None
    unused: int | None = None
    unused_choice: str | None = None
    carry_over_reason: str | None = None


class ReportPatch(Schema):
    lines: dict[str, ReportLineIn] = Field(description="Report line id -> the fields to change.")
    version: int | None = None
