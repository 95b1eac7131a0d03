"""Login, logout and password reset pages: Django's views with our forms, throttles and templates."""

import axes.utils
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from tilskudd.accounts import panels, roles, throttle
from tilskudd.accounts.forms import LoginForm
from tilskudd.accounts.models import Membership
from tilskudd.accounts.passwords import PasswordResetForm, SetPasswordForm, send_password_reset
from tilskudd.logins import services as logins
from tilskudd.ui.access import post_action

# Set by a login through an identity provider: where logging out sends the browser so that the
# provider's session ends too (tilskudd.identity.session.PROVIDER_LOGOUT_URL).
PROVIDER_LOGOUT_URL = "provider_logout_url"


class LoginView(auth_views.LoginView):
    """The login page: other ways to log in (the ``LOGIN`` slot: ID-porten or Ansattporten when
    configured) and, unless ``PASSWORD_LOGIN`` is off, username and password.

    With password login off the form is not shown and a posted one is refused (403), whatever
    it holds; ``PasswordBackend`` refuses every other password form too.
    """

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            return self.render_to_response(self.get_context_data(password_refused=True), status=403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["password_login"] = settings.PASSWORD_LOGIN
        context["login_options"] = panels.LOGIN.render(self.request, context.get("next") or "")
        return context


@login_required
@require_GET
def account(request):
    """The person's own page: their roles in force (and where they act), and their earlier and coming ones."""
    today = timezone.localdate()
    history = [
        membership
        for membership in Membership.objects.filter(user=request.user)
        .select_related("organisation", "office")
        .order_by("-granted_at")
        if not membership.in_force_on(today)
    ]
    return render(
        request,
        "accounts/account.html",
        {"places": request.user.places, "current": roles.key_of(request.user), "history": history},
    )


def _account_page(request) -> str:
    return reverse("accounts:account")


@login_required
@post_action(_account_page)
def act_for(request):
    """Choose which of one's places to act for in this session (nothing is written but the session)."""
    key = request.POST.get("place", "")
    if key not in {place.key for place in request.user.places}:
        return HttpResponseBadRequest()
    request.session[roles.ACTING] = key
    request.session.pop(roles.ACTING_ORGNR, None)
    return redirect("home:home")


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link by e-mail; the answer never tells whether the address has an account.

    Too many requests from one address get a "too many requests" page (that says
    nothing about the address typed). Too many for one e-mail address are answered
    as usual but no e-mail is sent.
    """

    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if not throttle.reset_allowed_from(throttle.client_ip(self.request)):
            return render(self.request, "registration/password_reset_throttled.html", status=429)
        email = form.cleaned_data["email"]
        if throttle.reset_allowed_to(email):
            send_password_reset.enqueue(
                email=email,
                domain=self.request.get_host(),
                use_https=self.request.is_secure(),
                language=translation.get_language(),
            )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the link in the e-mail.

    A link that does not work (used, too old, made up) answers 404 with a page saying
    so. A new password lifts the login locks on the username: whoever set it reads the
    account's e-mail.
    """

    form_class = SetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        username = self.user.get_username()
        throttle.lift_username_lock(username)
        axes.utils.reset(username=username)
        # Whoever knew the old password is logged out everywhere (Django would refuse those
        # sessions at their next request anyway; this also takes them off the person's list).
        logins.end_other_logins(user=self.user, by=self.user, reason=gettext("new password"))
        return response

    def render_to_response(self, context, **response_kwargs):
        if not context.get("validlink"):
            response_kwargs["status"] = 404
        return super().render_to_response(context, **response_kwargs)


class LogoutView(auth_views.LogoutView):
    """Logging out is a POST; a GET (a bookmark, a reload) asks to confirm instead of answering 405.

    After a login through an identity provider, the browser goes on to the provider's logout,
    which ends its session too and sends the browser back to the start page.
    """

    http_method_names = ["get", "head", "post", "options"]

    def post(self, request, *args, **kwargs):
        provider_logout = request.session.get(PROVIDER_LOGOUT_URL) if request.user.is_authenticated else None
        response = super().post(request, *args, **kwargs)
        if provider_logout:
            return HttpResponseRedirect(provider_logout)
        return response

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return HttpResponseRedirect(reverse_lazy("home:home"))
        return render(request, "registration/logout_confirm.html")
