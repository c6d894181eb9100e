"""Factories for the domain models (factory_boy)."""

import datetime

import factory
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
    search_text = factory.LazyAttribute(
        lambda o: fold(f"{o.user.first_name} {o.user.last_name} {o.function} {o.company.name}")
    )
    sort_name = factory.LazyAttribute(lambda o: fold(f"{o.user.last_name} {o.user.first_name}"))


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
