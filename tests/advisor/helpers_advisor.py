"""Shared builders for the advisor tests (not a test module)."""

from meute.advisor.vectors import rebuild_index, refresh_vectors
from meute.members.models import Leader
from tests.factories import CompanyFactory, LeaderFactory, MembershipFactory, UserFactory


def member(network, *, offers="", needs="", commune="86194", email=None, **user):
    company = CompanyFactory(offers=offers, needs=needs, commune_id=commune, department_id=commune[:2])
    u = UserFactory(email=email, **user) if email else UserFactory(**user)
    return MembershipFactory(network=network, leader=LeaderFactory(user=u, company=company)).leader


def index_vectors():
    refresh_vectors(Leader.objects.select_related("company"), force=True)
    rebuild_index(buckets=4)
