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
    return sorted(set(committed.values_list("committed_by_id", flat=True)) | set(staff.values_list("user_id", flat=True)))


def tell_closing(campaign: Any, decision: str) -> None:
    """Queue the notices of a closing once the transaction commits."""
    ids = concerned_user_ids(campaign)
    transaction.on_commit(lambda: _send(campaign.pk, decision, ids))


def _send(campaign_id: int, decision: str, user_ids: list[int]) -> None:
    from meute.purchases.tasks import send_closing_notices

    send_closing_notices.enqueue(campaign_id, decision, user_ids)
