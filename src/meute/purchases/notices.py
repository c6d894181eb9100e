"""Who is told what when a pooled purchase closes, is extended or is cancelled (after commit)."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def concerned_user_ids(campaign: Any) -> list[int]:
    """Everyone who committed, and the staff of the organising network."""
    from meute.members.models import NetworkRole, Role
    from meute.purchases.models import Commitment

    committed = Commitment.objects.filter(item__campaign=campaign, committed_by__isnull=False)
    staff = NetworkRole.objects.filter(network_id=campaign.network_id, role=Role.STAFF)
    people = set(committed.values_list("committed_by_id", flat=True))
    return sorted(people | set(staff.values_list("user_id", flat=True)))


def tell_closing(campaign: Any, decision: str) -> None:
    """Queue the notices of a closing once the transaction commits."""
    ids = concerned_user_ids(campaign)
    transaction.on_commit(lambda: _send(campaign.pk, decision, ids))


def _send(campaign_id: int, decision: str, user_ids: list[int]) -> None:
    from meute.purchases.tasks import send_closing_notices

    send_closing_notices.enqueue(campaign_id, decision, user_ids)


def deliver_closing_notices(campaign_id: int, decision: str, user_ids: list[int]) -> int:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from meute.notifications.models import Kind
    from meute.notifications.services import Text, When, notify
    from meute.purchases.models import Campaign

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    titles = {
        "order": _("Pooled purchase « %(title)s »: ordered"),
        "cancel": _("Pooled purchase « %(title)s »: cancelled, the minimum was not reached"),
        "extend": _("Pooled purchase « %(title)s »: extended until %(date)s"),
    }
    bodies = {
        "order": _("The order goes to the supplier: your quantities and prices are on the campaign's page."),
        "cancel": _("Nothing is ordered and nothing is due."),
        "extend": _("The minimum is not reached yet: commitments stay open until the new deadline."),
    }
    date = When(campaign.closes_at, time=False)
    return notify(user_ids, Kind.PURCHASE, obj=campaign, url=reverse("web:purchase", args=[campaign.pk]),
                  title=Text(titles[decision], title=campaign.title, date=date), body=bodies[decision])
