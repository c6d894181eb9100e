"""Give to receive: business referrals between members, one-to-ones, and the yearly figure a
network publishes of the business its members closed between them.

State changes go through :mod:`meute.referrals.services` (referrals, figures) and
:mod:`meute.referrals.onetoones`; protected reads through :mod:`meute.referrals.queries`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meute.core import bounds
from meute.core.submissions import submission_field

AMOUNT_MAX = bounds.MONEY_MAX  # one deal won through a referral: up to 999 999,99 €


class Warmth(models.TextChoices):
    """How warm the referral is, BNI's scale from the coldest to the warmest."""

    CONTACT = "contact", _("contact details given")
    CALL = "call", _("expects your call")
    VOUCHED = "vouched", _("I vouched for you")
    INTRODUCED = "introduced", _("introduced in person")


class Status(models.TextChoices):
    GIVEN = "given", pgettext_lazy("referral", "given")
    ACCEPTED = "accepted", pgettext_lazy("referral", "accepted")
    DECLINED = "declined", pgettext_lazy("referral", "declined")
    CONTACTED = "contacted", pgettext_lazy("referral", "contacted")
    WON = "won", pgettext_lazy("referral", "won")
    LOST = "lost", pgettext_lazy("referral", "lost")
    EXPIRED = "expired", pgettext_lazy("referral", "expired")


OPEN_STATUSES = (Status.GIVEN, Status.ACCEPTED, Status.CONTACTED)


class Business(models.TextChoices):
    NEW = "new", _("new business")
    REPEAT = "repeat", _("repeat business")


class Referral(models.Model):
    """A member (``giver``) recommends business to another (``receiver``): a prospect and a need.

    Without the prospect's agreement to be contacted it is only a lead. The amount won is the
    receiver's: the giver sees it only when ``amount_shared``; staff only ever see sums.
    """

    giver = models.ForeignKey("members.Leader", on_delete=models.CASCADE, related_name="referrals_given")
    receiver = models.ForeignKey("members.Leader", on_delete=models.CASCADE, related_name="referrals_received")
    prospect_name = models.CharField(_("prospect's name"), max_length=200)
    prospect_company = models.CharField(_("prospect's company"), max_length=200, blank=True)
    prospect_email = models.EmailField(_("prospect's e-mail"), blank=True)
    prospect_phone = models.CharField(_("prospect's phone"), max_length=30, blank=True)
    prospect_agreed = models.BooleanField(_("the prospect agreed to be contacted"), default=False)
    need = models.TextField(_("what is needed"), validators=bounds.text(bounds.MESSAGE_MAX))
    warmth = models.CharField(_("how warm"), max_length=12, choices=Warmth.choices, default=Warmth.CONTACT)
    meeting = models.ForeignKey("peergroups.Meeting", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="referrals", verbose_name=_("given at the meeting"))
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="referrals", verbose_name=_("given at the event"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.GIVEN,
                              db_index=True)
    reason = models.TextField(_("reason"), blank=True, validators=bounds.text(bounds.MESSAGE_MAX))
    amount = models.DecimalField(_("amount won (€)"), max_digits=8, decimal_places=2, null=True, blank=True,
                                 validators=bounds.money())
    business = models.CharField(_("business"), max_length=8, choices=Business.choices, blank=True)
    amount_shared = models.BooleanField(_("show the amount to the giver"), default=False)
    networks = models.ManyToManyField("members.Network", through="ReferralNetwork", related_name="+")
    submission = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    moved_at = models.DateTimeField(_("last news"), db_index=True)  # the last change of status
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "moved_at"], name="referral_open_by_news")]
        constraints = [
            models.CheckConstraint(condition=~Q(giver=models.F("receiver")), name="referral_not_to_oneself"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="referral_amount_not_negative"),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"#{self.pk}"  # the audit log names it; the prospect stays between the two members

    @property
    def is_lead(self) -> bool:
        return not self.prospect_agreed

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReferralNetwork(models.Model):
    """A network the referral counts for: every network the giver or the receiver belonged to when
    it was given (kept when either leaves, so the history stays)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="counted_in")
    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="referral_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["referral", "network"], name="referral_once_per_network")]

    def __str__(self) -> str:
        return f"{self.referral_id} @ {self.network_id}"


class OneToOneStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("one-to-one", "scheduled")
    HELD = "held", pgettext_lazy("one-to-one", "held")
    CANCELLED = "cancelled", pgettext_lazy("one-to-one", "cancelled")


class OneToOne(models.Model):
    """Two members meet to know each other's business; it counts once both say it happened."""

    requester = models.ForeignKey("members.Leader", on_delete=models.CASCADE, related_name="one_to_ones_asked")
    other = models.ForeignKey("members.Leader", on_delete=models.CASCADE, related_name="one_to_ones_received")
    submission = submission_field()  # the scheduling form's one-time key: sent twice, scheduled once
    starts_at = models.DateTimeField(_("date and time"), validators=bounds.dates())
    place = models.CharField(_("place"), max_length=200, blank=True)
    visio = models.BooleanField(_("by video"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=OneToOneStatus.choices,
                              default=OneToOneStatus.SCHEDULED, db_index=True)
    requester_confirmed = models.BooleanField(default=False)
    other_confirmed = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(requester=models.F("other")),
                                              name="one_to_one_not_with_oneself")]
        verbose_name = _("one-to-one")

    def __str__(self) -> str:
        return f"{self.requester_id} × {self.other_id} {self.starts_at:%Y-%m-%d}"


class PublishedFigure(models.Model):
    """A network's yearly "business generated between members", published by its staff; with
    ``advisor_consent`` the advisor may quote it as evidence."""

    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="published_figures")
    year = models.PositiveSmallIntegerField(_("year"), validators=bounds.int_range(bounds.YEAR_MIN, bounds.YEAR_MAX))
    amount = models.DecimalField(_("business closed between members (€)"), max_digits=12, decimal_places=2)
    referrals_won = models.PositiveIntegerField(_("referrals won"))
    advisor_consent = models.BooleanField(_("the advisor may quote it"), default=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["network", "year"], name="one_figure_per_network_year")]

    def __str__(self) -> str:
        return f"{self.network_id} {self.year}: {self.amount} €"
