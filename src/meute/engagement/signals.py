"""Signals of the engagement app.

``member_at_risk`` is sent once per occurrence, after the commit of the daily check
(``meute engagement-check``, :func:`meute.engagement.services.do_check_engagement`), when

* a member missed the last two meetings of their group without excuse (``reason="missed_twice"``,
  once per pair of meetings), or
* a member's light turned red (``reason="red"``, once until the light leaves red).

Arguments: ``sender`` (the :class:`~meute.engagement.models.RiskSignal` class), ``leader``
(:class:`~meute.members.models.Leader`), ``network`` (:class:`~meute.members.models.Network`),
``group`` (the member's :class:`~meute.peergroups.models.PeerGroup` in that network, or ``None``
when they belong to no running group: then the network's staff are the ones to tell), ``reason``
(``"missed_twice"`` or ``"red"``) and ``signal_id`` (the stored row). A receiver turns it into a
notification to the group's facilitator.
"""

from django.dispatch import Signal

member_at_risk = Signal()
