"""Two-step login: a code from an authenticator app (TOTP), with single-use recovery codes.

django-otp keeps the devices: one confirmed ``TOTPDevice`` (the app) and one ``StaticDevice``
holding RECOVERY_CODES single-use codes. Its throttling slows wrong codes per device (the
wait doubles with each wrong code: OTP_TOTP_THROTTLE_FACTOR, OTP_STATIC_THROTTLE_FACTOR) and
a TOTP code is accepted one step either side of the server's clock, never twice.

Every change is a keyword-only function here that locks the person's row and records the act
in the case log with the person as its subject: setting up (``set_up``), new recovery codes
(``new_recovery_codes``), turning off (``turn_off``) and logging in with a recovery code
(``verify``, which also takes app codes and records nothing for them: that is a login, not a
change). Who must have two-step login is ``access.second_factor_required``; what a strong login
is, is ``accounts.strong``.
"""

import re
import time
from base64 import b32encode
from binascii import unhexlify
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from tilskudd.accounts import events
from tilskudd.accounts.access import SecondFactorRequired, second_factor_required
from tilskudd.accounts.models import User
from tilskudd.caselog.log import record

RECOVERY_CODES = 10
KEY_BYTES = 20  # 160 bits, as RFC 4226 recommends
APP_DEVICE_NAME = "app"
RECOVERY_DEVICE_NAME = "recovery"

_APP_CODE = re.compile(r"[0-9]{6}")
_RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")
_KEY = re.compile(r"[0-9a-f]{40}")


class WrongCode(Exception):
    """The code matches neither the app nor an unused recovery code."""


class Throttled(Exception):
    """Too many wrong codes: the next try is allowed at ``until``."""

    def __init__(self, until: datetime):
        super().__init__(f"wait until {until.isoformat()}")
        self.until = until

    def seconds(self, now: datetime | None = None) -> int:
        return max(1, int((self.until - (now or timezone.now())).total_seconds() + 0.999))


class Required(Exception):
    """The person must keep two-step login (an approver, an office administrator)."""


class NotSetUp(Exception):
    """The person has no two-step login to act on."""


# --- Reads ------------------------------------------------------------------------------------


def new_secret() -> str:
    """A fresh secret for the set-up page, hex-encoded as django-otp stores it."""
    return random_hex(KEY_BYTES)


def is_secret(key) -> bool:
    return isinstance(key, str) and bool(_KEY.fullmatch(key))


def secret_for_typing(key: str) -> str:
    """The secret as an app asks for it when it cannot scan: base32 in groups of four."""
    text = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def setup_url(user: User, key: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code (issuer: OTP_TOTP_ISSUER)."""
    return TOTPDevice(user=user, key=key).config_url


def has_second_factor(user) -> bool:
    """Whether the person has set up two-step login (an app confirmed with a code)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


def clean_code(code) -> str:
    """What the person typed, as compared: no spaces or dashes, lower case ("123 456", "ABCD-EFGH")."""
    return "".join(str(code or "").split()).replace("-", "").lower()


# --- Writes -----------------------------------------------------------------------------------


def _lock(user: User) -> User:
    """The person's row, locked: one change to their two-step login at a time."""
    return User.objects.select_for_update(of=("self",)).get(pk=user.pk)


def _make_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODES:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


def _format_error(field: str = "code") -> ValidationError:
    return ValidationError(
        {
            field: _(
                "Write the six digits from the app, or one of your recovery codes (eight letters and digits)."
            )
        }
    )


@transaction.atomic
def set_up(*, user: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app with a code made from ``key`` and turn two-step login on, with new recovery codes.

    The code may be from one step before or after the server's clock. Someone who already has
    two-step login replaces it only from a strong login (so a password alone cannot move it to
    another phone). Returns the app's device and the recovery codes, shown once.
    """
    if not user.is_authenticated:
        raise PermissionDenied
    locked = _lock(user)
    if has_second_factor(locked) and not getattr(user, "strong_login", False):
        raise SecondFactorRequired
    if not is_secret(key):
        raise ValidationError(_("The set-up had expired. Scan the new code and try again."))
    typed = clean_code(code)
    if not _APP_CODE.fullmatch(typed):
        raise ValidationError({"code": _("Write the six digits the app shows.")})
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    if not totp.verify(int(typed), tolerance=1):
        raise ValidationError(
            {
                "code": _(
                    "The code does not match. Check that the phone's clock is right and write the code "
                    "the app shows now."
                )
            }
        )
    replaced = TOTPDevice.objects.filter(user=locked).exists()
    TOTPDevice.objects.filter(user=locked).delete()
    device = TOTPDevice.objects.create(
        user=locked, name=APP_DEVICE_NAME, key=key, confirmed=True, last_t=totp.t(), drift=totp.drift
    )
    codes = _make_recovery_codes(locked)
    record(
        locked,
        by=locked,
        kind=events.TWO_STEP_ON,
        detail=_("A new authenticator app replaced the old one.") if replaced else "",
    )
    return device, codes


@transaction.atomic
def new_recovery_codes(*, user: User) -> list[str]:
    """New recovery codes in place of the old ones, which stop working. Only from a strong login."""
    if not user.is_authenticated:
        raise PermissionDenied
    locked = _lock(user)
    if not has_second_factor(locked):
        raise NotSetUp
    if not getattr(user, "strong_login", False):
        raise SecondFactorRequired
    codes = _make_recovery_codes(locked)
    record(locked, by=locked, kind=events.RECOVERY_CODES_NEW)
    return codes


def turn_off(*, user: User, password: str = "", code: str = "") -> None:
    """Turn two-step login off, confirmed with a code (app or recovery) or, from a strong login, the password.

    Refused for those who must have it (approvers, office administrators) as long as they must.
    A wrong code or password counts against the app's throttle before the refusal.
    """
    if not user.is_authenticated:
        raise PermissionDenied
    if second_factor_required(user):
        raise Required
    if not has_second_factor(user):
        raise NotSetUp
    if clean_code(code):
        verify(user=user, code=code, log=False)
    else:
        _check_password(user, password)
    with transaction.atomic():
        locked = _lock(user)
        if second_factor_required(locked):
            raise Required
        TOTPDevice.objects.filter(user=locked).delete()
        StaticDevice.objects.filter(user=locked).delete()
        record(locked, by=locked, kind=events.TWO_STEP_OFF)


def _check_password(user: User, password: str) -> None:
    if not getattr(user, "strong_login", False):
        # A session that never passed the second step cannot remove it with the password alone.
        raise ValidationError({"code": _("Write a code from the app or one of your recovery codes.")})
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update(of=("self",)).filter(user=user, confirmed=True).first()
        if device is None:
            raise NotSetUp
        allowed, info = device.verify_is_allowed()
        if allowed and password and user.check_password(password):
            return
        if allowed:
            device.throttle_increment()
    if not allowed:
        raise Throttled(info["locked_until"])
    raise ValidationError({"password": _("The password is wrong.")})


def verify(*, user: User, code: str, log: bool = True):
    """The device that accepts ``code``: the app's (six digits) or the recovery codes (eight characters).

    A recovery code is used up, and using one is recorded in the case log (unless ``log`` is
    False, when the caller records its own act). Raises ValidationError for something that is no
    code at all (not counted), WrongCode for a wrong one (counted: the wait doubles) and
    Throttled while the device is waiting. The count is committed before anything is raised.
    """
    typed = clean_code(code)
    if _APP_CODE.fullmatch(typed):
        devices = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True)
    elif _RECOVERY_CODE.fullmatch(typed):
        devices = StaticDevice.objects.filter(user_id=user.pk, confirmed=True)
    else:
        raise _format_error()
    locked_until = None
    with transaction.atomic():
        device = devices.select_for_update(of=("self",)).first()
        if device is not None:
            allowed, info = device.verify_is_allowed()
            if not allowed:
                locked_until = info["locked_until"]
            elif device.verify_token(typed):  # counts a failure, or resets the count, and saves
                if isinstance(device, StaticDevice) and log:
                    left = device.token_set.count()
                    record(
                        user,
                        by=user,
                        kind=events.RECOVERY_CODE_USED,
                        detail=ngettext(
                            "%(count)s recovery code left.", "%(count)s recovery codes left.", left
                        )
                        % {"count": left},
                    )
                return device
    if locked_until is not None:
        raise Throttled(locked_until)
    raise WrongCode
