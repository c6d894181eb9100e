"""What each facilitator offers a programme: how many groups at most, and the monthly slots.

Formation runs read these offers (:mod:`meute.peergroups.formation`): a facilitator leads at
most ``capacity`` groups, only in the slots they offer, and never two groups in one slot.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meute.core.audit import log_action
from meute.core.permissions import not_found
from meute.members.models import Network, NetworkRole, Role
from meute.peergroups import permissions
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.formation import WEEKDAYS, parse_slot
from meute.peergroups.models import FacilitatorOffer

CAPACITY_MAX = 12  # groups one person could lead in a month: more would be a data error
ALL_SLOTS = tuple(f"{day}-{nth}" for nth in (1, 2, 3, 4) for day in WEEKDAYS)


def list_facilitator_offers(user: Any, network: Network) -> list[tuple[Any, FacilitatorOffer | None]]:
    """Each facilitator of the programme with their offer (None when staff set none yet), for its staff."""
    if not permissions.runs_programme(user, network):
        raise not_found()
    roles = NetworkRole.objects.filter(network=network, role=Role.FACILITATOR).select_related("user")
    offers = {o.user_id: o for o in FacilitatorOffer.objects.filter(network=network)}
    people = sorted((r.user for r in roles), key=lambda u: (u.last_name, u.first_name, u.email))
    return [(user, offers.get(user.pk)) for user in people]


def check_set_facilitator_offer(
    network: Network, user_id: int, *, capacity: int, slots: list[str], acting_user: Any,
) -> FacilitatorOffer:
    """Staff of the programme set a facilitator's capacity and offered slots."""
    if not permissions.runs_programme(acting_user, network):
        raise PeerGroupError(_("Only the programme's staff may set what facilitators offer."))
    if not NetworkRole.objects.filter(network=network, role=Role.FACILITATOR, user_id=user_id).exists():
        raise PeerGroupError(_("This person is not a facilitator of the programme."), field="facilitator")
    if not 1 <= capacity <= CAPACITY_MAX:
        raise PeerGroupError(_("A facilitator leads between 1 and %(n)s groups.") % {"n": CAPACITY_MAX},
                             field="capacity")
    chosen = list(dict.fromkeys(slots))
    bad = [s for s in chosen if parse_slot(s) is None]
    if bad:
        raise PeerGroupError(_("Unknown slot: %(s)s.") % {"s": ", ".join(bad)}, field="slots")
    if not chosen:
        raise PeerGroupError(_("Choose at least one monthly slot."), field="slots")
    if len(chosen) < capacity:
        raise PeerGroupError(
            _("%(n)s groups need at least %(n)s different slots: their meetings may never clash.") % {"n": capacity},
            field="slots",
        )
    return do_set_facilitator_offer(network, user_id, capacity=capacity, slots=chosen, acting_user=acting_user)


@transaction.atomic
def do_set_facilitator_offer(
    network: Network, user_id: int, *, capacity: int, slots: list[str], acting_user: Any,
) -> FacilitatorOffer:
    Network.objects.select_for_update().filter(pk=network.pk).first()  # one change at a time per programme
    offer = FacilitatorOffer.objects.filter(network=network, user_id=user_id).first()
    before = (offer.capacity, offer.slots) if offer else (None, None)
    joined = ";".join(s for s in ALL_SLOTS if s in slots)
    if offer is None:
        offer = FacilitatorOffer.objects.create(network=network, user_id=user_id, capacity=capacity, slots=joined)
    else:
        offer.capacity, offer.slots = capacity, joined
        offer.save(update_fields=["capacity", "slots"])
    changes = {k: [old, new] for k, old, new in (("capacity", before[0], capacity), ("slots", before[1], joined))
               if old != new}
    log_action("peergroups.facilitator_offer.set", actor=acting_user, obj=offer, network=network, changes=changes)
    return offer
