"""Factories for the domain models (factory_boy)."""

import datetime

import factory
from django.utils import timezone
from stdnum import luhn

from meute.accounts.models import User
from meute.core.text import fold
from meute.members.models import Company, Leader, Membership, MembershipStatus, Network, NetworkRole, Role
from meute.members.services import refresh_directory_flag
from meute.territory.models import Commune


def valid_siret(n: int) -> str:
    siren_body = f"{31_000_000 + n:08d}"
    siren = siren_body + luhn.calc_check_digit(siren_body)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Entreprise {n}")
    siret = factory.Sequence(valid_siret)
    siren = factory.LazyAttribute(lambda o: o.siret[:9])
    naf_code = "62.01Z"
    headcount = "1-2"  # a known band, as most tests assume; the model's default is blank (not given)
    naf_section = factory.LazyAttribute(lambda o: __import__("meute.naf.reference", fromlist=["x"]).naf_codes()[
        o.naf_code].section)
    commune = factory.LazyFunction(lambda: Commune.objects.get(pk="86194"))
    department_id = factory.LazyAttribute(lambda o: o.commune.department_id)


class LeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leader

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    function = "Gérant"
    phone = "05 49 00 00 00"
    expertise = ""
    directory_consent_at = factory.LazyFunction(timezone.now)
    search_text = factory.LazyAttribute(
        lambda o: fold(f"{o.user.first_name} {o.user.last_name} {o.function} {o.company.name}")
    )
    sort_name = factory.LazyAttribute(lambda o: fold(f"{o.user.last_name} {o.user.first_name}"))
    expertise_search = factory.LazyAttribute(lambda o: fold(o.expertise))
    # the company's département and section, copied on the leader as the services do
    department_id = factory.LazyAttribute(lambda o: o.company.department_id if o.company else None)
    naf_section = factory.LazyAttribute(lambda o: o.company.naf_section if o.company else "")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Réseau {n}")
    slug = factory.Sequence(lambda n: f"reseau-{n}")
    family = "business"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    leader = factory.SubFactory(LeaderFactory)
    network = factory.SubFactory(NetworkFactory)
    status = MembershipStatus.ACTIVE
    joined_on = datetime.date(2025, 1, 1)

    @factory.post_generation
    def directory_flag(obj, create, extracted, **kwargs):
        if create:
            refresh_directory_flag(obj.leader)


class NetworkRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkRole

    user = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)
    role = Role.STAFF


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Event"

    network = factory.SubFactory(NetworkFactory)
    kind = "workshop"
    title = factory.Sequence(lambda n: f"Atelier {n}")
    audience = "members"
    starts_at = factory.LazyFunction(lambda: __import__("django.utils.timezone", fromlist=["x"]).now()
                                     + datetime.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    capacity = 20


def speed_meeting(participants: int, *, table_size: int = 6, rounds: int = 8, **kwargs):
    """A speed meeting of a network with ``participants`` confirmed members."""
    from meute.events.services import do_register
    from meute.naf.reference import naf_codes

    event = EventFactory(kind="speed_meeting", table_size=table_size, rounds=rounds, capacity=None, **kwargs)
    classes = sorted({code[:5]: code for code in naf_codes()}.values())  # one code per NAF classe
    for index in range(participants):
        code = classes[(index * 7) % len(classes)]
        company = CompanyFactory(naf_code=code)
        member = MembershipFactory(network=event.network, leader=LeaderFactory(company=company))
        do_register(event, member.leader.user, offers="", needs="", wishes=[])
    return event


# --- advisor -------------------------------------------------------------------------------

class NetworkProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advisor.NetworkProfile"

    network = factory.SubFactory(NetworkFactory)


class TerritoryAdviserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advisor.TerritoryAdviser"

    user = factory.SubFactory(UserFactory)
    department_id = "86"


class IntroductionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advisor.Introduction"

    requester = factory.SubFactory(LeaderFactory)
    target = factory.SubFactory(LeaderFactory)


def peer_group(members: int = 4, **kwargs):
    """A running peer group of a programme network, with facilitator, sponsor and monthly meetings."""
    from meute.peergroups.meetings import do_create_monthly_meetings
    from meute.peergroups.models import GroupMember, PeerGroup

    network = kwargs.pop("network", None) or NetworkFactory(family="peer", runs_peer_groups=True)
    today = datetime.date.today()
    start = (today.replace(day=1) - datetime.timedelta(days=70)).replace(day=1)
    group = PeerGroup.objects.create(network=network, name=kwargs.pop("name", "Groupe test"), cycle_start=start,
                                     cycle_end=start.replace(year=start.year + 2),
                                     facilitator=NetworkRoleFactory(network=network, role=Role.FACILITATOR).user,
                                     meeting_place="CCI", **kwargs)
    group.sponsors.set([NetworkRoleFactory(network=network, role=Role.SPONSOR).user])
    for _ in range(members):
        membership = MembershipFactory(network=network)
        GroupMember.objects.create(group=group, leader=membership.leader)
    do_create_monthly_meetings(group, acting_user=None)
    return group
