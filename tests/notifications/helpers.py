"""Many members at once, for announcement tests."""

from meute.accounts.models import User
from meute.members.models import Leader, Membership, MembershipStatus


def bulk_members(network, count: int, *, prefix: str = "m") -> list[User]:
    """``count`` active members of ``network``, created with a few bulk inserts."""
    User.objects.bulk_create([User(email=f"{prefix}{i}@bulk.example.org", first_name="Membre", last_name=str(i),
                                   password="!") for i in range(count)], batch_size=1000)
    users = list(User.objects.filter(email__endswith="@bulk.example.org", email__startswith=prefix).order_by("pk"))
    Leader.objects.bulk_create([Leader(user=u, sort_name=f"membre {i}") for i, u in enumerate(users)], batch_size=1000)
    leaders = Leader.objects.filter(user__in=users)
    Membership.objects.bulk_create([Membership(leader=leader, network=network, status=MembershipStatus.ACTIVE)
                                    for leader in leaders], batch_size=1000)
    return users
