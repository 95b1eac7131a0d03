"""The versioned REST API (django-ninja): /api/v1/, its OpenAPI document at /api/v1/openapi.json."""

from ninja import NinjaAPI

from tilskudd.api import cases, errors, office, public, reports
from tilskudd.api.security import AUTH, THROTTLES

api = NinjaAPI(
    title="Kompetanse- og innovasjonstilskudd API",
    version="1",
    description=(
        "Public rounds, awards and statistics; an organisation's applications, decisions, letters and "
        "reports; an office's rounds. Authenticate with a personal access token (`Authorization: Bearer "
        "kkit_…`, made on /api/tokens/) or the browser's session. Money is integer kroner, times are "
        "ISO 8601 with offset, refusals are JSON with a `code` and a `message` (Accept-Language: nb, nn, en)."
    ),
    auth=AUTH,
    throttle=THROTTLES,
    docs_url=None,
    urls_namespace="api-v1",
)
errors.install(api)
api.add_router("/", public.router)
api.add_router("/", cases.router)
api.add_router("/", reports.router)
api.add_router("/", office.router)
