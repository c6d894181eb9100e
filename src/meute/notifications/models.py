"""Notifications per recipient, each person's choice per kind, weekly digests and announcements."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meute.core import bounds
from meute.core.jobs import BackgroundJob


class Kind(models.TextChoices):
    PROMOTED = "promoted", _("A seat freed up for me (waiting list)")
    TOPIC_ADDED = "topic_added", _("A topic added to my group's agenda")
    MINUTES_PUBLISHED = "minutes_published", _("Minutes of my group's meeting published")
    GROUP_CHANGED = "group_changed", _("A change in my peer group: facilitator, place, slot, sponsors or members")
    INTRODUCTION_ASKED = "introduction_asked", _("Someone asks to be introduced to me")
    INTRODUCTION_ANSWERED = "introduction_answered", _("An answer to my introduction request")
    PLAN_PUBLISHED = "plan_published", _("A speed-meeting plan published")
    INVITATION_ACCEPTED = "invitation_accepted", _("An invitation I sent was accepted")
    ANNOUNCEMENT = "announcement", _("Announcements from my networks and groups")
    MEMBER_AT_RISK = "member_at_risk", _("A member of my group at risk of dropping out")
    PURCHASE = "purchase", _("A pooled purchase I take part in: ordered, extended or cancelled")
    QUESTION_ASKED = "question_asked", _("A question asked to my network's team")
    QUESTION_ROUTED = "question_routed", _("A question the team asks me to answer as an expert")
    QUESTION_ANSWERED = "question_answered", _("An answer, or a request for details, on my question")
    QUESTION_ESCALATED = "question_escalated", _("A question of my network still unanswered")
    OBLIGATION = "obligation", _("A yearly obligation of my company coming up")
    REFERRAL = "referral", _("A business referral given to me, or news of one I gave")
    ONE_TO_ONE = "one_to_one", _("A one-to-one with another member")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app only")
    EMAIL = "email", _("E-mail at once")
    DIGEST = "digest", _("Weekly e-mail digest")


class Notification(models.Model):
    """One thing one person is told; title and body are written in their language when it is created."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.CharField(max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(pgettext_lazy("notification", "text"), blank=True, validators=bounds.text())
    channel = models.CharField(max_length=10, choices=Channel.choices)  # the person's choice when it was created
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)  # sent at once, or in a digest
    digest = models.ForeignKey("Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="items")

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "created"], name="notif_recipient_unread")]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "content_type", "object_id"],
                                    condition=Q(kind="announcement"), name="notif_one_announcement_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Preference(models.Model):
    """A person's channel for one kind; no row means the kind's default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notif_one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.channel}"


class Digest(models.Model):
    """One person's weekly digest: at most one per ISO week (``week`` is that week's Monday)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    created = models.DateTimeField(auto_now_add=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="notif_one_digest_per_week")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.week}"


class UsedUnsubscribeLink(models.Model):
    """The nonce of an unsubscribe link that was used: a link works once."""

    nonce = models.CharField(max_length=40, unique=True)
    used = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.nonce


class AnnouncementStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("announcement", "waiting to be sent")
    RUNNING = "running", pgettext_lazy("announcement", "being sent")
    DONE = "done", pgettext_lazy("announcement", "sent")
    FAILED = "failed", pgettext_lazy("announcement", "failed")
    CANCELLED = "cancelled", pgettext_lazy("announcement", "cancelled")


class Announcement(BackgroundJob):
    """A message staff or a facilitator send to a segment; delivered in the background, once per person."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    networks = models.ManyToManyField("members.Network", related_name="+", blank=True)  # whose log records it
    segment = models.JSONField(default=dict)  # {"networks": [ids], "groups": [...], "events": [...], "members": {...}}
    subject = models.CharField(pgettext_lazy("announcement", "subject"), max_length=150)
    body = models.TextField(_("message"), validators=bounds.text())
    token = models.CharField(max_length=40, unique=True)  # the form's one-time key: a double click sends once
    status = models.CharField(max_length=10, choices=AnnouncementStatus.choices, default=AnnouncementStatus.PENDING)
    message = models.TextField(blank=True)
    expected = models.PositiveIntegerField(default=0)  # recipients counted when it was asked for
    recipients = models.PositiveIntegerField(default=0)  # notifications delivered
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.subject
