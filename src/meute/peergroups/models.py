"""Formation runs, peer groups and their two-year cycle, monthly meetings, plenaries.

A group's topics, minutes, action items and attendance are confidential: they are read
only through :mod:`meute.peergroups.queries`, which checks who asks.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meute.core import bounds
from meute.core.jobs import BackgroundJob
from meute.core.submissions import submission_field
from meute.members.models import FeeStatus


class RunStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("ready for review")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")
    PUBLISHED = "published", _("published")


class FormationRun(BackgroundJob):
    """One run of the formation engine over a network's candidates, then its review (a background job)."""

    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="formation_runs")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    seed = models.PositiveIntegerField()
    params = models.JSONField(default=dict)  # size, groups, department, seconds, radius_km, competitor_km
    locks = models.JSONField(default=dict, blank=True)  # leader id (str) -> group index
    progress = models.PositiveSmallIntegerField(default=0)
    # proposal: {"groups": [[leader ids]], "sponsors": [[user ids]], "places": [commune insee or null]}
    proposal = models.JSONField(default=dict, blank=True)
    objective = models.FloatField(null=True, blank=True)
    message = models.TextField(blank=True)
    edited = models.BooleanField(default=False)
    publish_reason = models.TextField(blank=True, validators=bounds.text(bounds.MESSAGE_MAX))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("formation run")
        verbose_name_plural = _("formation runs")

    def __str__(self) -> str:
        return f"{self.network} run #{self.pk}"


class VenueKind(models.TextChoices):
    CCI = "cci", _("CCI or chamber office")
    PREMISES = "premises", _("a member's premises")
    HOTEL = "hotel", _("hotel or meeting rooms")
    OTHER = "other", _("other")


class Venue(models.Model):
    """A place where the programme's groups can meet (kept by the programme's staff)."""

    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=VenueKind.choices, default=VenueKind.OTHER)
    commune = models.ForeignKey("territory.Commune", verbose_name=_("commune"), on_delete=models.PROTECT,
                                related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return f"{self.name}, {self.commune.name}"


class PeerGroup(models.Model):
    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="peer_groups")
    name = models.CharField(_("name"), max_length=120)
    cycle_start = models.DateField(_("cycle start"), validators=bounds.dates())
    cycle_end = models.DateField(_("cycle end"), validators=bounds.dates())
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("facilitator"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="facilitated_groups")
    sponsors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("sponsors"), blank=True,
                                      related_name="sponsored_groups")
    meeting_place = models.CharField(_("meeting place"), max_length=200, blank=True)
    commune = models.ForeignKey("territory.Commune", verbose_name=_("commune"), null=True, blank=True,
                                on_delete=models.SET_NULL)
    visio_url = models.URLField(_("visio link"), blank=True)
    meeting_slot = models.CharField(_("monthly slot"), max_length=8, blank=True)  # "tue-1": weekday, week
    venue = models.ForeignKey(Venue, verbose_name=_("venue"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="groups")
    formation_run = models.ForeignKey(FormationRun, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="groups")
    ended = models.BooleanField(_("cycle ended"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("peer group")
        verbose_name_plural = _("peer groups")

    def __str__(self) -> str:
        return self.name


class FacilitatorOffer(models.Model):
    """How many groups a facilitator leads in a programme and the monthly slots they offer."""

    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="facilitator_offers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="facilitator_offers")
    capacity = models.PositiveSmallIntegerField(_("groups at most"), default=2)
    slots = models.CharField(_("monthly slots offered"), max_length=100, blank=True)  # "tue-1;thu-3"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "user"], name="peergroups_offer_unique")]
        verbose_name = _("facilitator offer")
        verbose_name_plural = _("facilitator offers")

    def __str__(self) -> str:
        return f"{self.user} in {self.network}: {self.capacity} × {self.slots}"

    @property
    def slot_list(self) -> list[str]:
        return [s for s in self.slots.split(";") if s]


class ConflictKind(models.TextChoices):
    COMPETITOR = "competitor", _("direct competitor (another NAF code)")
    CLIENT = "client", _("client or supplier")
    FAMILY = "family", _("family")
    PARTNER = "partner", _("partner")
    ASSOCIATE = "associate", _("former associate")


class DeclaredConflict(models.Model):
    """Two leaders who must not sit in the same group, declared privately (only staff see it).

    A member declares about themselves; staff may declare any pair and confirm. Only
    confirmed conflicts are hard conflicts of the formation engine."""

    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="declared_conflicts")
    leader = models.ForeignKey("members.Leader", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("members.Leader", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=ConflictKind.choices)
    note = models.CharField(_("note (staff only)"), max_length=300, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "leader", "other"], name="peergroups_conflict_unique"),
        ]
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")

    def __str__(self) -> str:
        return f"{self.leader} / {self.other}: {self.kind}"


class GroupMemberStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    ALUMNI = "alumni", _("alumni")
    LEFT = "left", _("left")


class GroupMember(models.Model):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="members")
    leader = models.ForeignKey("members.Leader", on_delete=models.CASCADE, related_name="peer_groups")
    status = models.CharField(_("status"), max_length=10, choices=GroupMemberStatus.choices,
                              default=GroupMemberStatus.ACTIVE)
    fee_status = models.CharField(_("fee"), max_length=8, choices=FeeStatus.choices, default=FeeStatus.DUE)
    fee_paid_on = models.DateField(_("fee paid on"), null=True, blank=True, validators=bounds.dates())
    left_reason = models.CharField(_("reason for leaving"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "leader"], name="peergroups_member_unique")]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self) -> str:
        return f"{self.leader} in {self.group}"


class Meeting(models.Model):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"), db_index=True, validators=bounds.dates())
    ends_at = models.DateTimeField(_("ends at"), validators=bounds.dates())
    place = models.CharField(_("place"), max_length=200, blank=True)
    visio_url = models.URLField(_("visio link"), blank=True)
    speaker = models.CharField(_("outside speaker"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True, validators=bounds.text(bounds.MINUTES_MAX))
    minutes_updated = models.DateTimeField(null=True, blank=True)
    # attendance rows recorded, and those present: kept by ``meetings.count_attendance`` on every
    # attendance write (the staff cockpit's rate per group adds them up instead of reading the rows)
    attendance_recorded = models.PositiveIntegerField(default=0, editable=False)
    attendance_present = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.group} — {self.starts_at:%Y-%m-%d}"


class Topic(models.Model):
    """A subject a member proposes for a meeting's agenda; members vote, the facilitator orders."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="topics")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    submission = submission_field()  # the proposing form's one-time key: sent twice, proposed once
    title = models.CharField(_("topic"), max_length=200)
    details = models.TextField(_("details"), blank=True, validators=bounds.text())
    urgent = models.BooleanField(_("urgent"), default=False)
    # set by the facilitator
    position = models.PositiveSmallIntegerField(null=True, blank=True, validators=bounds.int_range(0, bounds.SMALL_MAX))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.title


class TopicVote(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="peergroups_vote_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.topic}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    EXCUSED = "excused", _("excused")
    ABSENT = "absent", _("absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    leader = models.ForeignKey("members.Leader", on_delete=models.CASCADE, related_name="meeting_attendance")
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "leader"], name="peergroups_attendance_unique")]
        # The absences alone: "missed the last two meetings" reads these, not the whole attendance of a network.
        indexes = [models.Index(fields=["meeting", "leader"], condition=models.Q(status="absent"),
                                name="peergroups_att_absent_idx")]

    def __str__(self) -> str:
        return f"{self.leader} {self.status}"


class ActionItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey("members.Leader", verbose_name=_("who"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    due_on = models.DateField(_("due on"), null=True, blank=True, validators=bounds.dates())
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class PlenaryLevel(models.TextChoices):
    DEPARTMENT = "department", _("departmental")
    REGION = "region", _("regional")


class Plenary(models.Model):
    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="plenaries")
    submission = submission_field()  # the creating form's one-time key: sent twice, created once
    level = models.CharField(_("level"), max_length=12, choices=PlenaryLevel.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"), validators=bounds.dates())
    ends_at = models.DateTimeField(_("ends at"), validators=bounds.dates())
    place = models.CharField(_("place"), max_length=200, blank=True)
    groups = models.ManyToManyField(PeerGroup, verbose_name=_("groups"), related_name="plenaries")
    presented_networks = models.ManyToManyField("members.Network", verbose_name=_("networks presented"),
                                                blank=True, related_name="+")

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("plenary")
        verbose_name_plural = _("plenaries")

    def __str__(self) -> str:
        return self.title


class ReplyAnswer(models.TextChoices):
    COMING = "coming", _("I'll come")
    NOT_COMING = "not_coming", _("I can't")


class MeetingReply(models.Model):
    """A member's answer before a meeting: "I'll come" or "I can't" (an "I can't" excuses the absence)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="replies")
    leader = models.ForeignKey("members.Leader", on_delete=models.CASCADE, related_name="meeting_replies")
    answer = models.CharField(_("answer"), max_length=10, choices=ReplyAnswer.choices)
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "leader"], name="peergroups_reply_unique")]
        verbose_name = _("meeting reply")
        verbose_name_plural = _("meeting replies")

    def __str__(self) -> str:
        return f"{self.leader} {self.answer} {self.meeting}"
