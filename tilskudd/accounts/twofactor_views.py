"""Two-step login's pages: the password login's second step, set-up, recovery codes and turning off.

Logging in with a password: a person who has set up two-step login is not logged in by the
password alone. The password step remembers who they are in the session (for
TWO_STEP_PENDING_SECONDS) and the code step logs them in, with the session verified. A person
who must use two-step login and has not set it up is logged in and sent to set it up; they may
go on browsing, but approving is refused until they have.
"""

import io
import time
import xml.etree.ElementTree as ET

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice

from tilskudd.accounts import twofactor, views
from tilskudd.accounts.access import SecondFactorRequired, second_factor_required
from tilskudd.accounts.forms import TwoStepCodeForm, TwoStepOffForm, TwoStepSetUpForm
from tilskudd.accounts.models import User
from tilskudd.ui.access import post_action, public

PENDING = "two_step_pending"  # {"user": pk, "backend": path, "at": unix time, "next": url}
SETUP_KEY = "two_step_setup_key"


def _next(request, default: str | None = None) -> str:
    """A ``next`` address from the request if it is one of ours, else ``default`` (the start page)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return reverse(name) + ("?" + urlencode({"next": next_url}) if next_url else "")


class LoginView(views.LoginView):
    """The login page (``views.LoginView``); the password is the whole login only for those without two-step."""

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.has_second_factor(user):
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "at": int(time.time()),
                "next": self.get_success_url(),
            }
            return redirect("accounts:two_step_code")
        response = super().form_valid(form)
        if second_factor_required(user):
            messages.info(
                self.request,
                _("To approve, you must log in with two steps. Set it up now: it takes a minute."),
            )
            return redirect(_with_next("accounts:two_step_setup", self.get_success_url()))
        return response


def _pending(request) -> tuple[User | None, dict]:
    """The person a password login is waiting for a code from, if the wait has not run out."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None, {}
    if time.time() - pending.get("at", 0) > settings.TWO_STEP_PENDING_SECONDS:
        return None, {}
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending


def _code_error(form, error, field: str | None = "code") -> None:
    """The refusal next to the field it is about (``field`` for a wrong or throttled code)."""
    if isinstance(error, twofactor.Throttled):
        seconds = error.seconds()
        form.add_error(
            field,
            ngettext(
                "Too many wrong codes. Wait %(seconds)s second and try again.",
                "Too many wrong codes. Wait %(seconds)s seconds and try again.",
                seconds,
            )
            % {"seconds": seconds},
        )
    elif isinstance(error, twofactor.WrongCode):
        form.add_error(
            field,
            _("The code is wrong or already used. Write the code the app shows now, or a recovery code."),
        )
    elif hasattr(error, "error_dict"):
        for name, found in error.message_dict.items():
            form.add_error(name if name in form.fields else None, found)
    else:
        form.add_error(None, error)


@public  # the second step of a login: the person is not logged in yet
@require_http_methods(["GET", "POST"])
def code_step(request):
    """The code after the password, or later, to make a session that skipped it strong."""
    if request.user.is_authenticated:
        if request.user.strong_login:
            return redirect(_next(request))
        if not twofactor.has_second_factor(request.user):
            return redirect(_with_next("accounts:two_step_setup", _next(request, "")))
        user, pending = request.user, {}
    else:
        user, pending = _pending(request)
        if user is None:
            if PENDING in request.session:
                messages.info(request, _("The login took too long. Log in again."))
            return redirect(settings.LOGIN_URL)
    form = TwoStepCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = twofactor.verify(user=user, code=form.cleaned_data["code"])
        except (twofactor.Throttled, twofactor.WrongCode, ValidationError) as error:
            _code_error(form, error)
        else:
            next_url = pending.get("next") or _next(request)
            if pending:
                request.session.pop(PENDING, None)
                auth.login(request, user, backend=pending["backend"])  # a new session key
            else:
                request.session.cycle_key()
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = twofactor.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You logged in with a recovery code. You have %(count)s left: make new ones if you are "
                        "running out.",
                        "You logged in with a recovery code. You have %(count)s left: make new ones if you are "
                        "running out.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
    return render(
        request,
        "twofactor/code.html",
        {"form": form, "next": _next(request, "") if not pending else ""},
        status=400 if form.errors else 200,
    )


def _qr_svg(text: str) -> str:
    """The QR code as inline SVG, made here (nothing fetched, no inline style), labelled for screen readers."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    root = ET.fromstring(image.to_string(encoding="unicode"))  # noqa: S314 (our own SVG, not input)
    for attribute in ("width", "height"):
        root.attrib.pop(attribute, None)
    root.set("class", "qr-code")
    root.set("role", "img")
    root.set("aria-label", _("QR code for the authenticator app"))
    ET.register_namespace("", "http://www.w3.org/2000/svg")
    buffer = io.StringIO()
    ET.ElementTree(root).write(buffer, encoding="unicode")
    return mark_safe(buffer.getvalue())  # noqa: S308 (made by qrcode from our own address)


def _codes_page(request, codes: list[str], next_url: str, *, new_setup: bool):
    response = render(
        request,
        "twofactor/recovery_codes.html",
        {"codes": codes, "next": next_url, "new_setup": new_setup},
    )
    response["Cache-Control"] = "no-store"  # the codes are shown once and must not be kept by the browser
    return response


@login_required
@require_http_methods(["GET", "POST"])
def set_up(request):
    """The QR code and the secret to type; a code from the app confirms it and turns two-step login on."""
    user = request.user
    next_url = _next(request, "")
    if twofactor.has_second_factor(user) and not user.strong_login:
        # Replacing the app needs the old one first (or recovery codes): never by the password alone.
        return redirect(_with_next("accounts:two_step_code", request.get_full_path()))
    key = request.session.get(SETUP_KEY)
    if not twofactor.is_secret(key):
        key = twofactor.new_secret()
        request.session[SETUP_KEY] = key  # the session, not the database: a GET writes nothing
    form = TwoStepSetUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = twofactor.set_up(user=user, key=key, code=form.cleaned_data["code"])
        except ValidationError as error:
            _code_error(form, error)
        else:
            request.session.pop(SETUP_KEY, None)
            request.session.cycle_key()
            django_otp.login(request, device)  # the code just proved the app: this session is verified
            return _codes_page(request, codes, next_url, new_setup=True)
    response = render(
        request,
        "twofactor/setup.html",
        {
            "form": form,
            "qr": _qr_svg(twofactor.setup_url(user, key)),
            "secret": twofactor.secret_for_typing(key),
            "issuer": settings.OTP_TOTP_ISSUER,
            "next": next_url,
            "required": second_factor_required(user),
            "replacing": twofactor.has_second_factor(user),
        },
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"  # the secret is on the page
    return response


def _overview(request, off_form=None, status=200):
    user = request.user
    has = twofactor.has_second_factor(user)
    return render(
        request,
        "twofactor/overview.html",
        {
            "has_device": has,
            "required": second_factor_required(user),
            "codes_left": twofactor.recovery_codes_left(user) if has else 0,
            "off_form": off_form or TwoStepOffForm(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def overview(request):
    return _overview(request)


def _overview_page(request, **_kwargs) -> str:
    return reverse("accounts:two_step")


@login_required
@post_action(_overview_page)
def recovery_codes(request):
    """New recovery codes, shown once on this response; the old ones stop working."""
    try:
        codes = twofactor.new_recovery_codes(user=request.user)
    except twofactor.NotSetUp:
        messages.info(request, _("Set up two-step login first."))
        return redirect("accounts:two_step")
    except SecondFactorRequired:
        messages.info(request, _("Log in with two steps first: write a code from the app."))
        return redirect(_with_next("accounts:two_step_code", reverse("accounts:two_step")))
    return _codes_page(request, codes, "", new_setup=False)


@login_required
@post_action(_overview_page)
def turn_off(request):
    form = TwoStepOffForm(request.POST)
    if form.is_valid():
        try:
            twofactor.turn_off(
                user=request.user, password=form.cleaned_data["password"], code=form.cleaned_data["code"]
            )
        except twofactor.Required:
            messages.error(request, _("Your role requires two-step login, so it cannot be turned off."))
            return redirect("accounts:two_step")
        except twofactor.NotSetUp:
            return redirect("accounts:two_step")
        except twofactor.Throttled as error:  # the password or the code: said above both
            _code_error(form, error, field=None)
        except (twofactor.WrongCode, ValidationError) as error:
            _code_error(form, error)
        else:
            messages.success(request, _("Two-step login is turned off."))
            return redirect("accounts:two_step")
    return _overview(request, off_form=form, status=400)
