"""A proposal against the groups already running: its facilitators and sponsors may have been
given other groups since the run was computed (another run published meanwhile, a staff edit).

The review lists, group by group, who would meet two groups in one monthly slot and who would
go above their capacity; the engine avoided both when it ran, this is what changed since.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from meute.members.models import Network
from meute.peergroups.models import FacilitatorOffer, PeerGroup


def clashes_with_running(network: Network, facilitators: list[int | None], slots: list[str],
                         sponsors: list[list[int]], users: dict[int, Any]) -> list[list[str]]:
    """For each proposed group, the sentences naming a facilitator or sponsor who clashes with a running group."""
    from meute.peergroups.formation import FACILITATOR_CAPACITY, SPONSOR_CAPACITY, slot_label

    running = list(PeerGroup.objects.filter(network=network, ended=False).prefetch_related("sponsors")
                   .order_by("pk"))
    offers = dict(FacilitatorOffer.objects.filter(network=network).values_list("user_id", "capacity"))
    led = {x.pk: x.facilitator_id for x in running}
    sponsored = {x.pk: {s.pk for s in x.sponsors.all()} for x in running}
    out: list[list[str]] = []
    for g, slot in enumerate(slots):
        found = []
        people = [(facilitators[g], True)] if facilitators[g] else []
        people += [(s, False) for s in sponsors[g]]
        for user_id, leads in people:
            theirs = [x for x in running if (led[x.pk] == user_id if leads else user_id in sponsored[x.pk])]
            if not theirs:
                continue
            values = {"p": _display(users.get(user_id)), "s": slot_label(slot) if slot else "—"}
            same = [x.name for x in theirs if slot and x.meeting_slot == slot]
            if same:
                text = (_("The facilitator %(p)s already leads %(g)s in this slot (%(s)s).") if leads
                        else _("The sponsor %(p)s already meets %(g)s in this slot (%(s)s)."))
                found.append(text % {**values, "g": ", ".join(same)})
            planned = sum(1 for h in range(len(slots)) if (facilitators[h] == user_id if leads
                                                           else user_id in sponsors[h]))
            capacity = offers.get(user_id, FACILITATOR_CAPACITY) if leads else SPONSOR_CAPACITY
            if len(theirs) + planned > capacity:
                found.append(_("%(p)s would have %(n)s groups, above their capacity of %(c)s (already: %(g)s).")
                             % {**values, "n": len(theirs) + planned, "c": capacity,
                                "g": ", ".join(x.name for x in theirs)})
        out.append(found)
    return out


def _display(user: Any) -> str:
    if user is None:
        return "?"
    return user.get_full_name() or user.email
