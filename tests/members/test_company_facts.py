"""The company's département and NAF section copied on the leader stay true wherever a company or a
leader's company changes (the directory filters on the copy)."""

import pytest

from meute.members.backoffice import do_update_company
from meute.members.importing import import_table
from meute.members.models import Leader
from meute.members.queries import DirectoryFilters, list_directory
from meute.territory.models import Commune
from tests.factories import CompanyFactory, LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory
from tests.members.test_spreadsheet import HEADER, table

pytestmark = pytest.mark.django_db


def _facts(leader: Leader) -> tuple:
    leader.refresh_from_db()
    return leader.department_id, leader.naf_section


def test_a_company_moved_and_reclassified_moves_every_leader_of_it():
    """A company's commune and NAF code changed: both its leaders are found under the new département and section."""
    company = CompanyFactory()
    first = MembershipFactory(leader=LeaderFactory(company=company)).leader
    second = MembershipFactory(leader=LeaderFactory(company=company)).leader
    me = MembershipFactory()
    do_update_company(first, acting_user=None, commune=Commune.objects.get(pk="33063"), naf_code="43.22A")
    assert _facts(first) == _facts(second) == ("33", "F")
    found = list_directory(me.leader.user, DirectoryFilters(naf="F", department="33"))
    assert set(found) == {first, second}
    assert not list_directory(me.leader.user, DirectoryFilters(department="86")).filter(pk=first.pk).exists()


def test_an_import_copies_the_company_facts_on_new_and_updated_leaders():
    """Rows imported in bulk (no save signal) still carry their company's département and section."""
    staff = NetworkRoleFactory(network=NetworkFactory())
    rows = [["33000", "Charpente Girondine", "gironde@example.org", "Nom", "Prénom", "73282932000074", "4391A",
             "Bordeaux", "", "Gérant", "3", ""]]
    report = import_table(table(rows, HEADER), network=staff.network, acting_user=staff.user)
    assert report.errors == []
    assert _facts(Leader.objects.get(user__email="gironde@example.org")) == ("33", "F")
