"""What each kind of notification defaults to when the person has chosen nothing.

The weekly digest is the default. Seven kinds default to an e-mail at once, because a person
waits for them: a seat freed up on a waiting list (the event may be days away), introductions
asked or answered, a question routed to an expert, an answer to one's question, referrals
(one given to me, or news of one I gave: accepted, won, thanks) and a change in one's peer group
(a new place or slot for the next meeting). The first three and the last were already e-mailed
at once before notifications existed, so a person who changes nothing keeps receiving them as
before.
"""

from __future__ import annotations

from meute.notifications.models import Channel, Kind

AT_ONCE_BY_DEFAULT = frozenset({Kind.PROMOTED, Kind.INTRODUCTION_ASKED, Kind.INTRODUCTION_ANSWERED,
                                Kind.QUESTION_ROUTED, Kind.QUESTION_ANSWERED, Kind.REFERRAL, Kind.GROUP_CHANGED})


def default_channel(kind: str) -> str:
    return Channel.EMAIL if kind in AT_ONCE_BY_DEFAULT else Channel.DIGEST
