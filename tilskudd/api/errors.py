"""Refusals as data: each error the services raise becomes a status, a code and the web's own message.

Every handler answers in the request's language (``middleware.ApiLanguageMiddleware``: nb unless
the client asks for nn or en). Nothing here ever answers 500 for a refusal.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as RequestInvalid

from tilskudd.accounts.access import SecondFactorRequired
from tilskudd.applications import services
from tilskudd.applications.messages import describe_all
from tilskudd.domain.deadlines import format_local
from tilskudd.rounds.models import LineKindChoices


class Refused(Exception):
    """A refusal with its status, code and message, raised by an endpoint."""

    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


class ReadOnlyToken(Exception):
    """A read-only token was used to write."""


def strong_login_message() -> str:
    return _(
        "Approving needs a strong login: two-step login, or ID-porten or Ansattporten at a substantial or "
        "high level. An API token is never a strong login: approve in the browser, or from its session."
    )


def body(code: str, message, **extra) -> dict:
    return {"code": code, "message": str(message), **{k: v for k, v in extra.items() if v is not None}}


def field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            name: [str(m) for m in DjangoValidationError(items).messages]
            for name, items in error.error_dict.items()
        }
    return {"__all__": [str(m) for m in error.messages]}


def invalid(form) -> Refused:
    """A bound form's errors as a 422, each field with the web form's own messages."""
    errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    return Refused(422, "invalid", _("Some fields are not valid."), fields=errors)


def problems_as_data(problems, application) -> list[dict]:
    described = describe_all(problems, application, get_language() or "nb")
    return [
        {
            "code": problem.code,
            "rule": problem.rule,
            "message": str(words["text"]),
            "line_id": problem.line_ref,
            "fields": list(problem.fields),
        }
        for problem, words in zip(problems, described, strict=True)
    ]


def install(api) -> None:
    """Register the handlers on ``api`` (a NinjaAPI)."""

    def respond(request, status, payload, headers=None):
        response = api.create_response(request, payload, status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(Refused)
    def refused(request, exc: Refused):
        return respond(request, exc.status, body(exc.code, exc.message, **exc.extra))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, body("not_found", _("Not found.")))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        if isinstance(exc, services.DeadlinePassed):
            message = _(
                "The deadline was %(deadline)s. Applications can no longer be submitted in this round."
            ) % {"deadline": format_local(exc.deadline, get_language() or "nb")}
            return respond(request, 409, body("deadline_passed", message))
        return respond(request, 403, body("forbidden", _("You may not do this.")))

    @api.exception_handler(SecondFactorRequired)
    def not_strong(request, exc):
        return respond(request, 403, body("strong_login_required", strong_login_message()))

    @api.exception_handler(ReadOnlyToken)
    def read_only(request, exc):
        return respond(
            request, 403, body("token_read_only", _("This token may only read. Make a token that may write."))
        )

    @api.exception_handler(AuthenticationError)
    def unauthorised(request, exc):
        message = _("Log in, or send a valid API token: Authorization: Bearer <token>.")
        return respond(request, 401, body("unauthorised", message), {"WWW-Authenticate": "Bearer"})

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        wait = max(1, int(exc.wait or 1))
        message = _("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": wait}
        return respond(request, 429, body("rate_limited", message), {"Retry-After": str(wait)})

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 403:  # ninja's failed CSRF check for session authentication
            return respond(
                request, 403, body("csrf_failed", _("The CSRF check failed. Reload the page and try again."))
            )
        return respond(request, exc.status_code, body("error", str(exc)))

    @api.exception_handler(RequestInvalid)
    def invalid_request(request, exc: RequestInvalid):
        detail = [
            {
                "loc": [str(part) for part in error.get("loc", ())],
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
            for error in exc.errors
        ]
        message = _("The request does not match the API's description. See detail.")
        return respond(request, 422, body("invalid_request", message, detail=detail))

    @api.exception_handler(DjangoValidationError)
    def invalid(request, exc: DjangoValidationError):
        return respond(
            request, 422, body("invalid", _("Some fields are not valid."), fields=field_errors(exc))
        )

    @api.exception_handler(services.NotEditable)
    def not_editable(request, exc):
        return respond(
            request,
            409,
            body("not_editable", _("The application has been submitted and can no longer be changed.")),
        )

    @api.exception_handler(services.StaleEdit)
    def stale(request, exc):
        message = _(
            "Someone else saved this application after you opened it. Your changes are shown below but "
            "not saved: copy what you need, reload the page and save again."
        )
        return respond(request, 409, body("stale_version", message))

    @api.exception_handler(services.LineKindNotAllowed)
    def kind_not_allowed(request, exc: services.LineKindNotAllowed):
        organisation = getattr(request, "api_organisation_name", "")
        label = LineKindChoices(exc.kind).label if exc.kind in LineKindChoices.values else exc.kind
        message = _("%(organisation)s may not apply for %(kind)s in this round.") % {
            "organisation": organisation,
            "kind": label,
        }
        return respond(request, 409, body("line_kind_not_allowed", message))
