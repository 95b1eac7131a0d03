from django import forms
from django.utils.translation import gettext_lazy as _

from tilskudd.publication.services import MAX_TEXT
from tilskudd.ui.forms import Form


def _text(label):
    return forms.CharField(
        label=label, required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )


class SchemeTextForm(Form):
    purpose = _text(_("Purpose"))
    sub_goals = _text(_("Sub-goals"))
    target_groups = _text(_("Target groups"))
    priorities = _text(_("Priorities"))


class RefusalsForm(Form):
    publish_refusals = forms.BooleanField(
        label=_("Publish this round's refusals on the public lists"),
        help_text=_(
            "A refused measure is listed with 0 kr and the status refused. It is never in the open data, "
            "which holds awards only."
        ),
        required=False,
    )
