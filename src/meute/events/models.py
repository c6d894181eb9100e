"""Events of a network, registrations with a waiting list, speed-meeting plans and follow-ups.

State changes go through :mod:`meute.events.services`; protected reads through
:mod:`meute.events.queries`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from meute.core import bounds
from meute.core.jobs import BackgroundJob
from meute.core.submissions import submission_field


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("workshop")
    TRAINING = "training", _("training")
    CONFERENCE = "conference", _("conference")
    PLENARY = "plenary", _("plenary")
    SPEED_MEETING = "speed_meeting", _("speed meeting")
    NETWORKING = "networking", _("networking evening")


class Audience(models.TextChoices):
    PUBLIC = "public", _("open to all")
    MEMBERS = "members", _("members only")


class Event(models.Model):
    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="events")
    submission = submission_field()  # the creating form's one-time key: sent twice, created once
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, validators=bounds.text())
    themes = models.CharField(_("themes"), max_length=200, blank=True)
    speakers = models.CharField(_("speakers"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True, validators=bounds.dates())
    ends_at = models.DateTimeField(_("ends at"), validators=bounds.dates())
    place = models.CharField(_("place"), max_length=200, blank=True)
    commune = models.ForeignKey("territory.Commune", verbose_name=_("commune"), null=True, blank=True,
                                on_delete=models.SET_NULL)
    visio_url = models.URLField(_("visio link"), blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True,
                                           validators=bounds.int_range(1, bounds.CAPACITY_MAX),
                                           help_text=_("empty: no limit"))
    price_member = models.DecimalField(_("price for members (€)"), max_digits=8, decimal_places=2, default=0,
                                       validators=bounds.money())
    price_public = models.DecimalField(_("price for non-members (€)"), max_digits=8, decimal_places=2, default=0,
                                       validators=bounds.money())
    table_size = models.PositiveSmallIntegerField(_("people per table"), default=6,
                                                  validators=bounds.int_range(2, bounds.TABLE_MAX))
    rounds = models.PositiveSmallIntegerField(_("rounds"), default=8, validators=bounds.int_range(1, bounds.ROUNDS_MAX))
    round_minutes = models.PositiveSmallIntegerField(_("minutes per round"), default=10,
                                                     validators=bounds.int_range(1, 120))
    cancelled = models.BooleanField(_("cancelled"), default=False)
    # The room screen: the round being played (0 before the first) and when it started.
    current_round = models.PositiveSmallIntegerField(default=0)
    round_started_at = models.DateTimeField(null=True, blank=True)
    # Incremented under the event's row lock: the order in which registrations were taken.
    registration_seq = models.PositiveIntegerField(default=0, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    @property
    def is_speed_meeting(self) -> bool:
        return self.kind == EventKind.SPEED_MEETING


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    seq = models.PositiveIntegerField(_("order of registration"))
    offers = models.TextField(_("what I offer"), blank=True, validators=bounds.text())
    needs = models.TextField(_("what I look for"), blank=True, validators=bounds.text())
    wishes = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                    verbose_name=_("people I want to meet"))
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    absent = models.BooleanField(_("absent"), default=False)
    promoted_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="events_registration_unique")]
        indexes = [models.Index(fields=["event", "status", "seq"], name="events_reg_event_status_idx")]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.user} → {self.event} ({self.status})"


class PlanStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the planner")
    RUNNING = "running", _("being computed")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class RotationPlan(BackgroundJob):
    """One computed seating plan of a speed meeting (the newest ready one is used); a background job."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="plans")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.PENDING)
    seed = models.PositiveIntegerField()
    seconds = models.FloatField(default=5.0, validators=[MinValueValidator(0.1), MaxValueValidator(bounds.SECONDS_MAX)])
    from_round = models.PositiveSmallIntegerField(default=0, validators=bounds.int_range(0, bounds.ROUNDS_MAX))
    # rounds[r][t] = user ids at table t of round r (rounds before from_round are copied from the previous plan)
    rounds = models.JSONField(default=list, blank=True)
    repeats = models.PositiveIntegerField(default=0)
    wished_met = models.PositiveIntegerField(default=0)
    wished_total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    runtime = models.FloatField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("speed-meeting plan")
        verbose_name_plural = _("speed-meeting plans")

    def __str__(self) -> str:
        return f"{self.event} plan #{self.pk} ({self.status})"


class FollowUp(models.Model):
    """A participant's note about someone they met at an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="follow_ups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_ups")
    other = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    done = models.BooleanField(_("done"), default=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user", "other"], name="events_followup_unique")]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.user} → {self.other}"


class ReminderLog(models.Model):
    """A reminder e-mail sent for a registration (sent once)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="reminder")
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"reminder for {self.registration}"


class Mailing(models.Model):
    """A message the event's staff sent to its participants (the e-mails go out in the background)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="mailings")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submission = submission_field()  # the mailing form's one-time key: sent twice, sent once
    subject = models.CharField(max_length=150)  # events.mail.MAX_SUBJECT
    recipients = models.PositiveIntegerField()  # how many people it was sent to
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} — {self.subject}"
