"""Forms of the peer-group programme pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.core import bounds
from meute.peergroups.models import AttendanceStatus, PlenaryLevel, VenueKind
from meute.web.bounded import BoundedForm
from meute.web.forms_events import DateTimeInput
from meute.web.lookups.fields import CommuneField
from meute.web.once import SentOnce


class FormationForm(BoundedForm):
    size_min = forms.IntegerField(label=_("Minimum group size"), min_value=2, max_value=30, initial=10)
    size_max = forms.IntegerField(label=_("Maximum group size"), min_value=2, max_value=30, initial=12)
    groups = forms.IntegerField(label=_("Number of groups (optional)"), min_value=1, max_value=bounds.GROUPS_MAX,
                                required=False)
    department = forms.CharField(label=_("Département (optional)"), max_length=3, required=False)
    seconds = forms.FloatField(label=_("Computing time (seconds)"), min_value=1,
                               max_value=bounds.SECONDS_MAX, initial=5)
    max_km = forms.FloatField(label=_("Maximum distance to the meeting place (km, never exceeded)"), min_value=1,
                              max_value=300, initial=40)
    radius_km = forms.FloatField(label=_("Preferred distance to the meeting place (km)"), min_value=1,
                                 max_value=200, initial=25)
    around = CommuneField(label=_("Or around the commune (optional)"), required=False)
    around_km = forms.FloatField(label=_("Radius around that commune (km)"), min_value=1, max_value=300,
                                 required=False)
    competitor_km = forms.FloatField(label=_("Competitors: same NAF classe within (km)"), min_value=0,
                                     max_value=1000, initial=30)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("size_min") and data.get("size_max") and data["size_max"] < data["size_min"]:
            self.add_error("size_max", _("The maximum must be at least the minimum."))
        if data.get("around") and not data.get("around_km"):
            self.add_error("around_km", _("Give a radius around the commune."))
        return data


class ZoneForm(BoundedForm):
    commune = CommuneField(label=_("Around the commune"), required=False)
    radius = forms.FloatField(label=_("Radius (km)"), min_value=1, max_value=300, initial=30, required=False)


class AddCandidateForm(BoundedForm):
    email = forms.EmailField(label=_("E-mail of the leader"))


class PublishForm(BoundedForm):
    reason = forms.CharField(label=_("Reason (required when a rule is broken)"), required=False,
                             max_length=bounds.MESSAGE_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))


class TopicForm(SentOnce, BoundedForm):
    """A topic proposed for a meeting: sent twice (a double click), it proposes one topic."""

    title = forms.CharField(label=_("Topic"), max_length=200)
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(BoundedForm):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    visio_url = forms.URLField(label=_("Visio link"), required=False, assume_scheme="https")
    speaker = forms.CharField(label=_("Outside speaker"), required=False, max_length=200)


class MinutesForm(BoundedForm):
    minutes = forms.CharField(label=_("Minutes"), max_length=bounds.MINUTES_MAX,
                              widget=forms.Textarea(attrs={"rows": 8}))
    task = forms.CharField(label=_("New action item"), required=False, max_length=300)
    owner = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, members: list[tuple[int, str]] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—"), *members]


class PlenaryForm(SentOnce, BoundedForm):
    """A new plenary: sent twice (a double click), it creates one plenary."""

    level = forms.ChoiceField(label=_("Level"), choices=PlenaryLevel.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    groups = forms.MultipleChoiceField(label=_("Groups"), widget=forms.CheckboxSelectMultiple)
    presented = forms.MultipleChoiceField(label=_("Networks presented"), required=False,
                                          widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args: object, groups=(), networks=(), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = [(g.pk, g.name) for g in groups]
        self.fields["presented"].choices = [(n.pk, n.name) for n in networks]


ATTENDANCE_CHOICES = AttendanceStatus.choices


def slot_choices() -> list[tuple[str, str]]:
    from meute.peergroups.formation import WEEKDAYS, slot_label

    return [(f"{d}-{n}", slot_label(f"{d}-{n}")) for n in (1, 2, 3, 4) for d in WEEKDAYS]


class GroupEditForm(BoundedForm):
    facilitator = forms.TypedChoiceField(label=_("Facilitator"), coerce=int, empty_value=None, required=False)
    slot = forms.ChoiceField(label=_("Monthly slot"))
    venue = forms.TypedChoiceField(label=_("Venue (from the programme's list)"), coerce=int, empty_value=None,
                                   required=False)
    meeting_place = forms.CharField(label=_("Meeting place (when no venue)"), max_length=200, required=False)
    visio_url = forms.URLField(label=_("Visio link"), required=False, assume_scheme="https")

    def __init__(self, *args: object, facilitators: list[tuple[int, str]] = (), venues: list[tuple[int, str]] = (),
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].choices = [("", "—"), *facilitators]
        self.fields["slot"].choices = slot_choices()
        self.fields["venue"].choices = [("", "—"), *venues]


class VenueForm(BoundedForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=VenueKind.choices)
    commune = CommuneField(label=_("Commune"))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)


class SponsorsForm(BoundedForm):
    sponsors = forms.TypedMultipleChoiceField(label=_("Sponsors (2 or 3)"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: object, sponsors: list[tuple[int, str]] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sponsors"].choices = sponsors


class LeaveForm(BoundedForm):
    member = forms.TypedChoiceField(label=_("Member who leaves"), coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: object, members: list[tuple[int, str]] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = members


class FacilitatorOfferForm(BoundedForm):
    facilitator = forms.TypedChoiceField(label=_("Facilitator"), coerce=int)
    capacity = forms.IntegerField(label=_("Groups at most"), min_value=1, max_value=12, initial=2)
    slots = forms.MultipleChoiceField(label=_("Monthly slots offered"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, facilitators: list, **kwargs) -> None:
        from meute.peergroups.facilitators import ALL_SLOTS
        from meute.peergroups.formation import slot_label

        super().__init__(*args, **kwargs)
        self.fields["facilitator"].choices = [(u.pk, u.get_full_name() or u.email) for u in facilitators]
        self.fields["slots"].choices = [(s, slot_label(s)) for s in ALL_SLOTS]
