import pytest

from meute.core.exceptions import NotFound
from meute.members.models import MembershipStatus, Visibility
from meute.members.queries import DirectoryFilters, access_leader, list_directory, visible_contact
from tests.factories import (
    CompanyFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_outsider_sees_an_empty_directory():
    """Someone with no membership and no role sees nobody in the directory."""
    MembershipFactory()
    assert list(list_directory(UserFactory())) == []


def test_member_sees_active_listed_members():
    """A member sees every listed, active member of the platform."""
    me, other = MembershipFactory(), MembershipFactory()
    assert set(list_directory(me.leader.user)) == {me.leader, other.leader}


def test_unlisted_and_left_members_are_hidden():
    """Members who opted out or left do not appear."""
    me = MembershipFactory()
    hidden = MembershipFactory(leader=LeaderFactory(listed=False))
    gone = MembershipFactory(status=MembershipStatus.LEFT)
    assert not {hidden.leader, gone.leader} & set(list_directory(me.leader.user))


def test_search_ignores_case_and_accents():
    """Typing “helene” finds Hélène."""
    me = MembershipFactory()
    helene = MembershipFactory(leader=LeaderFactory(user=UserFactory(first_name="Hélène", last_name="Zoé"),
                                                    search_text="helene zoe gerante"))
    assert list(list_directory(me.leader.user, DirectoryFilters(q="HELENE"))) == [helene.leader]


def test_filter_by_naf_section_and_department():
    """Filtering by NAF section and département keeps only matching companies."""
    me = MembershipFactory()
    builder = MembershipFactory(leader=LeaderFactory(company=CompanyFactory(naf_code="43.22A", naf_section="F")))
    found = list_directory(me.leader.user, DirectoryFilters(naf="F", department="86"))
    assert list(found) == [builder.leader]


def test_filter_by_network():
    """Filtering by network keeps only its active members."""
    me = MembershipFactory()
    other = MembershipFactory()
    assert list(list_directory(me.leader.user, DirectoryFilters(network=other.network_id))) == [other.leader]


def test_contact_hidden_from_members_of_other_networks():
    """An e-mail shared with “my networks” is hidden from a member of another network."""
    me, other = MembershipFactory(), MembershipFactory(leader=LeaderFactory(email_visibility=Visibility.NETWORK))
    assert "email" not in visible_contact(me.leader.user, other.leader)


def test_contact_shown_to_members_of_the_same_network():
    """An e-mail shared with “my networks” is shown to a member of the same network."""
    network = NetworkFactory()
    me = MembershipFactory(network=network)
    other = MembershipFactory(network=network, leader=LeaderFactory(email_visibility=Visibility.NETWORK))
    assert visible_contact(me.leader.user, other.leader)["email"] == other.leader.user.email


def test_private_contact_is_shown_to_network_staff_only():
    """A private phone is shown to the staff of the member's network, not to a fellow member."""
    network = NetworkFactory()
    fellow = MembershipFactory(network=network)
    private = MembershipFactory(network=network, leader=LeaderFactory(phone_visibility=Visibility.PRIVATE))
    staff = NetworkRoleFactory(network=network).user
    assert ("phone" in visible_contact(staff, private.leader), "phone" in visible_contact(fellow.leader.user,
                                                                                          private.leader)) == (True,
                                                                                                               False)


def test_outsider_cannot_open_a_profile():
    """A profile is not found for someone outside every network."""
    member = MembershipFactory()
    with pytest.raises(NotFound):
        access_leader(UserFactory(), member.leader_id)


def test_staff_opens_unlisted_member_of_their_network():
    """Network staff open the profile of their unlisted member."""
    network = NetworkFactory()
    hidden = MembershipFactory(network=network, leader=LeaderFactory(listed=False))
    staff = NetworkRoleFactory(network=network).user
    assert access_leader(staff, hidden.leader_id) == hidden.leader


def test_staff_of_another_network_cannot_open_unlisted_member():
    """Staff of network B do not see an unlisted member of network A."""
    hidden = MembershipFactory(leader=LeaderFactory(listed=False))
    staff_b = NetworkRoleFactory().user
    with pytest.raises(NotFound):
        access_leader(staff_b, hidden.leader_id)


def test_filter_by_expertise_ignores_accents():
    """Searching the expertise “fiscalite” finds a member whose expertise is “Fiscalité”."""
    me = MembershipFactory()
    expert = MembershipFactory(leader=LeaderFactory(expertise="Fiscalité, export"))
    assert list(list_directory(me.leader.user, DirectoryFilters(expertise="fiscalite"))) == [expert.leader]
