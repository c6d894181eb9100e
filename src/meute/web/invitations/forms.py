"""Forms of the invitation pages: they parse and validate; services change state."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from meute.members.models import Visibility
from meute.web.bounded import BoundedForm


class ActivateAccountForm(SetPasswordForm):
    """Choose a password (Django's password validators) and accept the network's terms."""

    terms = forms.BooleanField(label=_("I accept the network's terms"), required=True)


class VisibilityForm(BoundedForm):
    listed = forms.BooleanField(label=_("Show me in the members' directory"), required=False)
    email_visibility = forms.ChoiceField(label=_("Who sees my e-mail"), choices=Visibility.choices,
                                         widget=forms.RadioSelect)
    phone_visibility = forms.ChoiceField(label=_("Who sees my phone"), choices=Visibility.choices,
                                         widget=forms.RadioSelect)
