"""What the daily engagement check has already signalled, so each occurrence is signalled once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskReason(models.TextChoices):
    MISSED_TWICE = "missed_twice", _("missed two meetings in a row")
    RED = "red", _("engagement light turned red")


class RiskSignal(models.Model):
    """One occurrence of a member at risk. ``occurrence`` names it: ``meeting:<id>`` (the second
    missed meeting) or ``red:<timestamp>`` (the start of a red episode, closed by ``resolved_at``
    when the light leaves red)."""

    leader = models.ForeignKey("members.Leader", on_delete=models.CASCADE, related_name="risk_signals")
    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="risk_signals")
    group = models.ForeignKey("peergroups.PeerGroup", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    reason = models.CharField(_("reason"), max_length=14, choices=RiskReason.choices)
    occurrence = models.CharField(max_length=40)
    created = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["leader", "network", "reason", "occurrence"],
                                    name="engagement_signal_once"),
            models.UniqueConstraint(fields=["leader", "network"], condition=models.Q(reason="red",
                                                                                     resolved_at__isnull=True),
                                    name="engagement_one_open_red"),
        ]
        verbose_name = _("risk signal")
        verbose_name_plural = _("risk signals")

    def __str__(self) -> str:
        return f"{self.leader} @ {self.network}: {self.reason} ({self.occurrence})"


class LightBook(models.Model):
    """A network's stored lights (:class:`StoredLight`) exist: ``built_at`` is when they were last
    all recomputed (``None`` while the first build has not run)."""

    network = models.OneToOneField("members.Network", primary_key=True, on_delete=models.CASCADE, related_name="+")
    built_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.network_id}: {self.built_at}"


class StoredLight(models.Model):
    """A member's light in a network as last computed, true until ``valid_until``: the first moment its
    tallies change with time alone, or the moment a write touched them (:mod:`meute.engagement.stored`)."""

    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="+")
    leader = models.ForeignKey("members.Leader", on_delete=models.CASCADE, related_name="+")
    expected = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    excused = models.PositiveIntegerField(default=0)
    colour = models.CharField(max_length=5, default="grey")
    parts = models.JSONField(default=dict)  # component name -> [expected, attended, excused]
    valid_until = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "leader"], name="engagement_stored_light_once")]
        indexes = [models.Index(fields=["network", "colour"], name="engagement_light_colour"),
                   models.Index(fields=["network", "valid_until"], name="engagement_light_valid")]

    def __str__(self) -> str:
        return f"{self.leader_id} @ {self.network_id}: {self.colour}"
