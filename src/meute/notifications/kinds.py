"""What each kind of notification defaults to when the person has chosen nothing.

The weekly digest is the default. Three kinds default to an e-mail at once: a seat freed up
on a waiting list (the event may be days away) and introductions asked or answered (a person
waits for the answer). These were already e-mailed at once before notifications existed, so
a person who changes nothing keeps receiving them as before. Referrals too: a referral given
to me, or news of one I gave (accepted, won, thanks), is business someone waits for.
"""

from __future__ import annotations

from meute.notifications.models import Channel, Kind

AT_ONCE_BY_DEFAULT = frozenset({Kind.PROMOTED, Kind.INTRODUCTION_ASKED, Kind.INTRODUCTION_ANSWERED, Kind.REFERRAL})


def default_channel(kind: str) -> str:
    return Channel.EMAIL if kind in AT_ONCE_BY_DEFAULT else Channel.DIGEST
