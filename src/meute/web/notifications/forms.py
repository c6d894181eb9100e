"""Forms of the notification centre: preferences per kind, and an announcement to a segment."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meute.core.bounds import TEXT_MAX
from meute.members.models import FeeStatus, MembershipStatus
from meute.notifications import permissions
from meute.notifications.announcements import SUBJECT_MAX, MemberList, Segment
from meute.notifications.models import Channel, Kind
from meute.web.bounded import BoundedForm


class PreferencesForm(BoundedForm):
    """One choice per kind of notification."""

    def __init__(self, current: dict[str, str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(label=label, choices=Channel.choices, initial=current[kind],
                                                  widget=forms.RadioSelect)


class AnnouncementForm(BoundedForm):
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    body = forms.CharField(label=_("Message"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8}))
    networks = forms.TypedMultipleChoiceField(label=_("Every active member of these networks"), coerce=int,
                                              required=False, widget=forms.CheckboxSelectMultiple)
    groups = forms.TypedMultipleChoiceField(label=_("The members of these peer groups"), coerce=int, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    events = forms.TypedMultipleChoiceField(label=_("The confirmed participants of these events"), coerce=int,
                                            required=False, widget=forms.CheckboxSelectMultiple)
    member_network = forms.TypedChoiceField(label=_("Network"), coerce=int, required=False,
                                            empty_value=None)
    member_q = forms.CharField(label=_("Name, company or e-mail"), required=False, max_length=100)
    member_status = forms.ChoiceField(label=_("Status"), required=False,
                                      choices=[("", _("all statuses")), *MembershipStatus.choices])
    member_fee_status = forms.ChoiceField(label=_("Fee"), required=False, choices=[("", _("all")), *FeeStatus.choices])
    token = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        networks = [(n.pk, n.name) for n in permissions.announceable_networks(user).order_by("name")]
        self.fields["networks"].choices = networks
        self.fields["member_network"].choices = [("", pgettext_lazy("segment", "none")), *networks]
        self.fields["groups"].choices = [(g.pk, f"{g.name} — {g.network.name}") for g in
                                         permissions.announceable_groups(user).select_related("network")
                                         .order_by("network__name", "name")]
        recent = timezone.now() - datetime.timedelta(days=90)
        self.fields["events"].choices = [
            (e.pk, f"{e.title} — {date_format(timezone.localtime(e.starts_at), 'SHORT_DATE_FORMAT')}") for e in
            permissions.announceable_events(user).filter(ends_at__gte=recent).order_by("starts_at")[:200]]
        self.fields["token"].initial = secrets.token_urlsafe(24)
        for name in ("networks", "member_network", "member_q", "member_status", "member_fee_status"):
            if not networks:
                del self.fields[name]

    def segment(self) -> Segment:
        data = self.cleaned_data
        members = None
        if data.get("member_network"):
            members = MemberList(network=data["member_network"], q=data.get("member_q", "").strip(),
                                 status=data.get("member_status", ""), fee_status=data.get("member_fee_status", ""))
        return Segment(networks=tuple(data.get("networks") or ()), groups=tuple(data.get("groups") or ()),
                       events=tuple(data.get("events") or ()), members=members)
