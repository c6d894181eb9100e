from decimal import Decimal

import pytest

from meute.advisor.exceptions import AdvisorError, InvalidProfile
from meute.advisor.permissions import can_manage_territory_network, is_territory_staff
from meute.advisor.services import check_save_network_entry
from meute.core.models import AuditEntry
from meute.territory.models import Department
from tests.factories import NetworkFactory, NetworkRoleFactory, TerritoryAdviserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_territory_staff_rule():
    """Administrators and advisers of a network's département manage its entry; others do not."""
    network = NetworkFactory()
    network.departments.set(Department.objects.filter(code="86"))
    adviser_86 = TerritoryAdviserFactory(department_id="86").user
    adviser_17 = TerritoryAdviserFactory(department_id="17").user
    own_staff = NetworkRoleFactory(network=network).user
    admin = UserFactory(is_superuser=True)
    assert [can_manage_territory_network(u, network) for u in (adviser_86, adviser_17, own_staff, admin,
                                                                UserFactory())] == [True, False, True, True, False]
    assert is_territory_staff(adviser_17) and not is_territory_staff(own_staff)


def test_adviser_adds_an_unmanaged_network_with_audit():
    """An adviser adds a network not run in meute; it is saved with its profile and audited."""
    adviser = TerritoryAdviserFactory(department_id="79").user
    network = check_save_network_entry(
        None, acting_user=adviser, name="Club des Halles", family="geographic", scope="local",
        fee_amount=Decimal(100), fee_period="year", departments=list(Department.objects.filter(code="79")),
        home_commune="79191", audience_tags=["createur"], goals_served=["business"])
    assert not network.managed and network.slug == "club-des-halles"
    assert network.advisor_profile.audience_tags == "createur"
    assert AuditEntry.objects.filter(action="advisor.network.created", object_id=str(network.pk)).exists()


def test_adviser_of_another_department_may_not_add_there():
    """An adviser of 17 cannot add a network in 79."""
    adviser = TerritoryAdviserFactory(department_id="17").user
    with pytest.raises(AdvisorError):
        check_save_network_entry(None, acting_user=adviser, name="X", family="business",
                                 departments=list(Department.objects.filter(code="79")))


def test_bad_entry_values_name_the_field():
    """An unknown goal or a negative fee is refused with the field named."""
    admin = UserFactory(is_superuser=True)
    with pytest.raises(InvalidProfile) as info:
        check_save_network_entry(None, acting_user=admin, name="X", family="business", goals_served=["fortune"])
    assert info.value.field == "goals_served"
    with pytest.raises(InvalidProfile) as info:
        check_save_network_entry(None, acting_user=admin, name="X", family="business", fee_amount=Decimal(-5))
    assert info.value.field == "fee_amount"
