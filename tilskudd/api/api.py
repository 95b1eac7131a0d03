"""The versioned REST API (django-ninja): /api/v1/, its OpenAPI document at /api/v1/openapi.json."""

from ninja import NinjaAPI

from tilskudd.api import cases, errors, office, public, reports
from tilskudd.api.security import AUTH, THROTTLES

TAGS = [
    {
        "name": "public",
        "description": "No token: published rounds, approved awards (the open data), statistics.",
    },
    {
        "name": "cases",
        "description": "The organisation's applications, lines, attachments, decisions and letters (applicant, "
        "signer); the office reads its rounds' submitted applications here too.",
    },
    {
        "name": "reports",
        "description": "Reports (R11): the organisation fills in its report and attaches files, its signer "
        "submits; the office and the organisation's auditor read.",
    },
    {
        "name": "office",
        "description": "The office's case work (case officer, approver): its rounds, assessments, the allocation "
        "proposal with explanations, decisions (prepare; approve from a strong browser login, never a token), "
        "payments.",
    },
]

api = NinjaAPI(
    title="Kompetanse- og innovasjonstilskudd API",
    version="1",
    description=(
        "Public rounds, awards and statistics; an organisation's applications, attachments, decisions, letters "
        "and reports; an office's rounds, proposal and decisions. Authenticate with a personal access token "
        "(`Authorization: Bearer kkit_…`, made on /api/tokens/) or the browser's session. Money is integer "
        "kroner, times are ISO 8601 with offset, refusals are JSON with a `code` and a `message` "
        "(Accept-Language: nb, nn, en). Approving a decision needs a strong login (two-step or ID-porten), "
        "which a token never is: 403 `strong_login_required`."
    ),
    auth=AUTH,
    throttle=THROTTLES,
    docs_url=None,
    urls_namespace="api-v1",
    openapi_extra={"tags": TAGS},
)
errors.install(api)
api.add_router("/", public.router)
api.add_router("/", cases.router)
api.add_router("/", reports.router)
api.add_router("/", office.router)
