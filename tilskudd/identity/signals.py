"""A password login says so in the session, and drops what an earlier provider login left there."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from tilskudd.identity import session


@receiver(user_logged_in, dispatch_uid="tilskudd.identity.signals.note_password_login")
def note_password_login(sender, request, user, **kwargs):
    store = getattr(request, "session", None)
    if store is None or getattr(user, "backend", "").startswith("tilskudd.identity."):
        return  # a login through the provider: the callback writes its own
    store[session.LOGIN_METHOD] = session.PASSWORD
    for key in (session.LOGIN_ACR, session.ACTING_ORGNR, session.PROVIDER_LOGOUT_URL):
        store.pop(key, None)
