"""Forms of the events pages."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from meute.core import bounds
from meute.events.models import Audience, EventKind
from meute.web.bounded import BoundedForm
from meute.web.once import SentOnce


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(BoundedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    themes = forms.CharField(label=_("Themes"), required=False, max_length=200)
    speakers = forms.CharField(label=_("Speakers"), required=False, max_length=300)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    visio_url = forms.URLField(label=_("Visio link"), required=False, assume_scheme="https")
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=1, max_value=bounds.CAPACITY_MAX)
    price_member = forms.DecimalField(label=_("Price for members (€)"), min_value=0, max_value=bounds.MONEY_MAX,
                                      initial=0, max_digits=8, decimal_places=2)
    price_public = forms.DecimalField(label=_("Price for non-members (€)"), min_value=0, max_value=bounds.MONEY_MAX,
                                      initial=0, max_digits=8, decimal_places=2)
    table_size = forms.IntegerField(label=_("People per table (speed meeting)"), min_value=2,
                                    max_value=bounds.TABLE_MAX, initial=6)
    rounds = forms.IntegerField(label=_("Rounds (speed meeting)"), min_value=1, max_value=bounds.ROUNDS_MAX, initial=8)
    round_minutes = forms.IntegerField(label=_("Minutes per round"), min_value=1, max_value=120, initial=10)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The event must end after it starts."))
        return data


class EventCreateForm(SentOnce, EventForm):
    """A new event's form: sent twice (a double click), it creates one event."""


class EventFilterForm(BoundedForm):
    q = forms.CharField(label=_("Title or theme"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all kinds")), *EventKind.choices])
    when = forms.ChoiceField(label=_("When"), required=False, choices=[
        ("upcoming", _("upcoming")), ("past", _("past")), ("all", _("all"))])


class RegistrationForm(BoundedForm):
    offers = forms.CharField(label=_("What I offer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    needs = forms.CharField(label=_("What I look for"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    wishes = forms.MultipleChoiceField(label=_("People I want to meet"), required=False,
                                       widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args: object, wish_choices: list[tuple[int, str]] = (), speed: bool = False,
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if speed:  # a speed meeting asks what each participant offers and looks for
            self.fields["wishes"].choices = list(wish_choices)
            self.fields["offers"].required = self.fields["needs"].required = True
        else:
            for name in ("offers", "needs", "wishes"):
                del self.fields[name]


class PlanForm(BoundedForm):
    seconds = forms.FloatField(label=_("Computing time (seconds)"), min_value=0.5, max_value=60, initial=5)
    from_round = forms.IntegerField(label=_("Re-plan after round"), min_value=0, max_value=bounds.ROUNDS_MAX,
                                    initial=0, required=False,
                                    help_text=_("0 plans every round; k keeps rounds 1..k and re-plans the rest "
                                                "with the people present now."))


class ReplanForm(BoundedForm):
    from_round = forms.IntegerField(label=_("Re-plan from round"), min_value=1)
    seconds = forms.FloatField(label=_("Computing time (seconds)"), min_value=0.5, max_value=60, initial=5)

    def __init__(self, *args, rounds: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_round"].max_value = rounds
        self.fields["from_round"].validators.append(MaxValueValidator(rounds))
        self.fields["from_round"].widget.attrs["max"] = rounds


class FollowUpForm(BoundedForm):
    other = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    done = forms.BooleanField(label=_("Done"), required=False)


class StaffRegistrationForm(BoundedForm):
    email = forms.EmailField(label=_("E-mail of the member to register"))


class MailingForm(SentOnce, BoundedForm):
    """Staff write to an event's participants: sent twice (a double click), the message goes out once."""

    audience = forms.MultipleChoiceField(
        label=_("Recipients"), widget=forms.CheckboxSelectMultiple, initial=["confirmed"],
        choices=[("confirmed", _("the confirmed participants")), ("waiting", _("the waiting list")),
                 ("present", _("the people checked in"))])
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
