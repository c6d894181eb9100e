"""The facilitator hears of a member at risk: a receiver of ``member_at_risk`` (see ``signals.py``)
that notifies the group's facilitator, or the network's staff when the member has no running group."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def tell_facilitator(sender: Any, *, leader: Any, network: Any, group: Any, reason: str, signal_id: int,
                     **kwargs: Any) -> int:
    from meute.engagement.models import RiskSignal
    from meute.members.models import NetworkRole, Role
    from meute.notifications.models import Kind
    from meute.notifications.services import Text, notify

    if group is not None and group.facilitator_id:
        recipients = [group.facilitator_id]
        url = reverse("web:group", args=[group.pk])
    else:
        recipients = list(NetworkRole.objects.filter(network=network, role=Role.STAFF)
                          .values_list("user_id", flat=True))
        url = reverse("web:home")
    titles = {
        "missed_twice": _("%(name)s missed the last two meetings without an excuse"),
        "red": _("%(name)s's attendance light turned red"),
    }
    name = leader.user.get_full_name() or leader.user.email
    return notify(recipients, Kind.MEMBER_AT_RISK, obj=RiskSignal.objects.get(pk=signal_id), url=url,
                  title=Text(titles.get(reason, titles["red"]), name=name),
                  body=_("A call from you now can keep them in the group."))
