"""The person's API tokens page, and the API's readable documentation."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tilskudd.api import services
from tilskudd.api.api import api
from tilskudd.api.models import ApiToken, Scope
from tilskudd.ui.access import post_action, public
from tilskudd.ui.forms import Form


class TokenForm(Form):
    name = forms.CharField(label=gettext_lazy("What the token is for"), max_length=100)
    scope = forms.ChoiceField(label=gettext_lazy("Access"), choices=Scope.choices, initial=Scope.READ)
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=services.MAX_DAYS, initial=90
    )


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """Make a token (shown once, on this response only) and see and revoke one's own."""
    shown = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, shown = services.create_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
            )
            form = TokenForm()
        except ValidationError as error:
            form.add_error(None, error)
    mine = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "shown": shown, "tokens": mine, "now": timezone.now()},
    )
    if shown:
        response["Cache-Control"] = "no-store"
    return response


def _own_token(request, token_id: int) -> ApiToken:
    return get_object_or_404(ApiToken, pk=token_id, user=request.user)


def _tokens_page(request, token_id: int) -> str:
    _own_token(request, token_id)  # a stranger gets 404 on GET too
    return reverse("api:tokens")


@login_required
@post_action(_tokens_page)
def revoke(request, token_id: int):
    token = _own_token(request, token_id)
    services.revoke_token(token=token, by=request.user)
    messages.success(request, _("The token is revoked. Programs using it are refused from now on."))
    return redirect("api:tokens")


@public
@require_GET
def docs(request):
    """Swagger UI from the app's own static files (no CDN), reading /api/v1/openapi.json."""
    return api.docs.render_page(request, api)
