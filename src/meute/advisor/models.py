"""The advisor's tables: what the advisor knows about each network beyond its page, territory
advisers, saved advice, text vectors, introductions and the monthly café pairing.

State changes go through :mod:`meute.advisor.services`; reads through :mod:`meute.advisor.queries`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meute.core import bounds


class Goal(models.TextChoices):
    ISOLATION = "isolement", _("break isolation")
    LEARN = "apprendre", _("learn")
    BUSINESS = "business", _("find business")
    DEFEND = "defendre", _("defend the trade")
    REBOUND = "rebondir", _("rebound")


class AgeBracket(models.TextChoices):
    UNDER_35 = "moins_35", _("under 35")
    FROM_35 = "35_44", _("35 to 44")
    FROM_45 = "45_54", _("45 to 54")
    FROM_55 = "55_plus", _("55 or more")


# Youngest age of each bracket: a network capped at ``max_age`` refuses brackets starting at or above it.
AGE_BRACKET_FLOOR = {AgeBracket.UNDER_35: 18, AgeBracket.FROM_35: 35, AgeBracket.FROM_45: 45, AgeBracket.FROM_55: 55}


class NetworkProfile(models.Model):
    """Structured audience and admission facts the advisor scores on (one per network).

    Space-separated lists keep the table simple; empty means "no restriction".
    """

    network = models.OneToOneField("members.Network", on_delete=models.CASCADE, related_name="advisor_profile")
    goals_served = models.CharField(_("goals served"), max_length=100, blank=True,
                                    help_text="space-separated Goal values")
    audience_tags = models.CharField(_("reserved to profiles"), max_length=200, blank=True,
                                     help_text="space-separated ProfileTag values; the leader needs one of them")
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True,
                                               validators=bounds.int_range(18, 99))
    naf_prefixes = models.CharField(_("reserved to activities (NAF prefixes)"), max_length=200, blank=True,
                                    help_text="space-separated NAF prefixes, e.g. '41 42 43'")
    max_headcount = models.CharField(_("largest headcount band admitted"), max_length=8, blank=True)
    declared_size = models.PositiveIntegerField(_("number of members (declared)"), null=True, blank=True,
                                                validators=bounds.int_range(0, bounds.CAPACITY_MAX))
    places = models.CharField(_("meeting places"), max_length=300, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("network profile")
        verbose_name_plural = _("network profiles")

    def __str__(self) -> str:
        return f"profile of {self.network_id}"


class TerritoryAdviser(models.Model):
    """A territory adviser (CCI): keeps the directory of networks of one département."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="territory_roles")
    department = models.ForeignKey("territory.Department", on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "department"], name="advisor_adviser_unique")]
        verbose_name = _("territory adviser")
        verbose_name_plural = _("territory advisers")

    def __str__(self) -> str:
        return f"{self.user} — {self.department_id}"


class Advice(models.Model):
    """A questionnaire and its answer, saved by an adviser (and sent to the leader)."""

    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    leader = models.ForeignKey("members.Leader", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="advice")
    email = models.EmailField(_("sent to"), blank=True)
    profile = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    reason = models.CharField(max_length=100, default="questionnaire")  # or "alumni:<network slug>"
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("advice")
        verbose_name_plural = _("advice")

    def __str__(self) -> str:
        return f"advice {self.pk} for {self.email or self.leader_id}"


class TextVectors(models.Model):
    """Sentence vectors of a leader's offers and needs (float16 bytes), and their buckets.

    ``offer_bucket``/``need_bucket`` are the nearest centroids of :class:`Centroid` (an
    inverted-file index): suggestions only score the leaders whose offer or need lies in the
    buckets nearest to the asker's need.
    """

    leader = models.OneToOneField("members.Leader", on_delete=models.CASCADE, related_name="text_vectors")
    model = models.CharField(max_length=40)
    offers = models.BinaryField(null=True)
    needs = models.BinaryField(null=True)
    offer_bucket = models.SmallIntegerField(null=True)
    need_bucket = models.SmallIntegerField(null=True)
    source_hash = models.CharField(max_length=40)

    class Meta:
        indexes = [
            models.Index(fields=["offer_bucket", "leader"], name="advisor_vectors_offer_idx"),
            models.Index(fields=["need_bucket", "leader"], name="advisor_vectors_need_idx"),
        ]

    def __str__(self) -> str:
        return f"vectors of {self.leader_id}"


class Centroid(models.Model):
    """One bucket of the offers' inverted-file index (k-means centroid, float32 bytes)."""

    model = models.CharField(max_length=40)
    number = models.SmallIntegerField()
    vector = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "number"], name="advisor_centroid_unique")]

    def __str__(self) -> str:
        return f"{self.model} #{self.number}"


class IntroductionStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class Introduction(models.Model):
    """A member asks to be introduced to another; the other accepts or declines."""

    requester = models.ForeignKey("members.Leader", on_delete=models.CASCADE, related_name="introductions_asked")
    target = models.ForeignKey("members.Leader", on_delete=models.CASCADE, related_name="introductions_received")
    status = models.CharField(_("status"), max_length=10, choices=IntroductionStatus.choices,
                              default=IntroductionStatus.PENDING)
    message = models.TextField(_("message"), blank=True, validators=bounds.text(bounds.MESSAGE_MAX))
    reason = models.CharField(_("why"), max_length=300, blank=True)
    score = models.FloatField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    answered = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["requester", "target"], name="advisor_introduction_unique"),
            models.CheckConstraint(condition=~models.Q(requester=models.F("target")), name="advisor_intro_not_self"),
        ]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")

    def __str__(self) -> str:
        return f"{self.requester_id} → {self.target_id} ({self.status})"


class CafeSubscription(models.Model):
    """Opt-in to the monthly "café entre dirigeants"."""

    leader = models.OneToOneField("members.Leader", on_delete=models.CASCADE, related_name="cafe")
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"café {self.leader_id} ({'on' if self.active else 'off'})"


class CafePairing(models.Model):
    """Two (rarely three) leaders paired for one month's café."""

    month = models.DateField(db_index=True)  # first day of the month
    leaders = models.ManyToManyField("members.Leader", related_name="cafe_pairings")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "id"]

    def __str__(self) -> str:
        return f"café {self.month:%Y-%m} #{self.pk}"
