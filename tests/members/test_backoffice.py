"""The back office's services: staff change a member's person, company, membership and roles."""

import datetime

import pytest
from django.utils import timezone, translation

from meute.core.audit import entries_for
from meute.core.models import AuditEntry
from meute.members.backoffice import (
    check_bulk_update_memberships,
    check_end_membership,
    check_grant_role_by_email,
    check_revoke_role,
    check_update_company,
    check_update_membership,
    check_update_person,
)
from meute.members.exceptions import InvalidMemberData, MemberError
from meute.members.models import FeeStatus, Membership, MembershipStatus, NetworkRole, Role
from meute.members.services import check_update_profile
from meute.members.validation import clean_phone
from meute.territory.models import Commune
from tests.factories import (
    CompanyFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    UserFactory,
    valid_siret,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def network_b():
    return NetworkFactory(name="B")


@pytest.fixture
def staff_b(network_b):
    return NetworkRoleFactory(network=network_b, role=Role.STAFF).user


def member_of(network, **kwargs):
    return MembershipFactory(network=network, **kwargs)


# --- person ----------------------------------------------------------------------------------

def test_staff_edit_the_person_of_their_own_member_with_old_and_new_values(network_b, staff_b):
    """Staff managing every network of a member change their name and function; the audit keeps both values."""
    membership = member_of(network_b, leader=LeaderFactory(function="Gérant", user__last_name="Martin"))
    check_update_person(membership.leader, acting_user=staff_b, last_name="Martineau", function="Présidente")
    membership.leader.refresh_from_db()
    membership.leader.user.refresh_from_db()
    entry = entries_for(membership.leader).get(action="members.leader.person_updated")
    assert (membership.leader.user.last_name, membership.leader.function, entry.data["changed"]) == (
        "Martineau", "Présidente",
        {"last_name": ["Martin", "Martineau"], "function": ["Gérant", "Présidente"]},
    )
    assert entry.actor == staff_b


def test_staff_cannot_edit_a_person_who_is_also_in_another_network(network_b, staff_b):
    """A member of A and B keeps their profile when B's staff try to change it; nothing is audited."""
    membership = member_of(network_b, leader=LeaderFactory(function="Gérant"))
    member_of(NetworkFactory(name="A"), leader=membership.leader)
    with pytest.raises(MemberError, match="networks you do not manage"):
        check_update_person(membership.leader, acting_user=staff_b, function="Stagiaire")
    membership.leader.refresh_from_db()
    assert membership.leader.function == "Gérant"
    assert not AuditEntry.objects.filter(action="members.leader.person_updated").exists()


def test_staff_cannot_edit_a_site_administrator_or_another_networks_staff(network_b, staff_b):
    """A site administrator, or staff of another network, who is a member of B is read-only to B's staff."""
    admin_member = member_of(network_b, leader=LeaderFactory(user__is_superuser=True, function="Admin"))
    other_staff = member_of(network_b, leader=LeaderFactory(function="Délégué"))
    NetworkRoleFactory(user=other_staff.leader.user, role=Role.STAFF)
    for membership in (admin_member, other_staff):
        with pytest.raises(MemberError):
            check_update_person(membership.leader, acting_user=staff_b, function="x")
        membership.leader.refresh_from_db()
    assert (admin_member.leader.function, other_staff.leader.function) == ("Admin", "Délégué")


def test_a_member_edits_their_own_name_and_function_but_not_a_blank_last_name():
    """A member changes their own name; a blank last name is refused and changes nothing."""
    leader = member_of(NetworkFactory()).leader
    check_update_person(leader, acting_user=leader.user, first_name="Anne", last_name="Roux")
    with pytest.raises(InvalidMemberData) as error:
        check_update_person(leader, acting_user=leader.user, last_name="  ")
    leader.user.refresh_from_db()
    assert (leader.user.first_name, leader.user.last_name, error.value.field) == ("Anne", "Roux", "last_name")


def test_a_phone_made_of_letters_is_refused(network_b, staff_b):
    """A phone that is not a phone number is refused on the phone field."""
    leader = member_of(network_b).leader
    with pytest.raises(InvalidMemberData) as error:
        check_update_person(leader, acting_user=staff_b, phone="appelez-moi")
    leader.refresh_from_db()
    assert (error.value.field, leader.phone) == ("phone", "05 49 00 00 00")



@pytest.mark.parametrize("typed", ["+33 6 12 34 56 78", "0612345678", "06.12.34.56.78", "+33612345678"])
def test_a_french_phone_is_kept_in_the_form_the_import_writes(network_b, staff_b, typed):
    """Staff type a French number however they like; it is stored as a spreadsheet import stores it."""
    leader = member_of(network_b).leader
    check_update_person(leader, acting_user=staff_b, phone=typed)
    leader.refresh_from_db()
    assert leader.phone == clean_phone(typed) == "06 12 34 56 78"


def test_a_blank_phone_removes_the_number(network_b, staff_b):
    """Emptying the phone field removes the number instead of being refused."""
    leader = member_of(network_b).leader
    check_update_person(leader, acting_user=staff_b, phone="  ")
    leader.refresh_from_db()
    assert leader.phone == ""


def test_the_profile_form_cannot_change_the_phone_unchecked(network_b):
    """The phone is a person field: the profile's service refuses it rather than store it unchecked."""
    leader = member_of(network_b).leader
    with pytest.raises(InvalidMemberData):
        check_update_profile(leader, acting_user=leader.user, phone="appelez-moi")
    leader.refresh_from_db()
    assert leader.phone == "05 49 00 00 00"

# --- company ---------------------------------------------------------------------------------

def test_staff_change_the_company_of_their_member_with_siret_check(network_b, staff_b):
    """A company used only by B's members is renamed by B's staff; the audit keeps old and new name."""
    company = CompanyFactory(name="Ancienne")
    leader = member_of(network_b, leader=LeaderFactory(company=company)).leader
    check_update_company(leader, acting_user=staff_b, name="Nouvelle", naf_code="4322a")
    company.refresh_from_db()
    entry = entries_for(company).get(action="members.company.updated")
    assert (company.name, company.naf_code, company.naf_section) == ("Nouvelle", "43.22A", "F")
    assert entry.data["changed"]["name"] == ["Ancienne", "Nouvelle"]


def test_a_bad_siret_is_refused_and_changes_nothing(network_b, staff_b):
    """A SIRET with a wrong check digit is refused on the SIRET field."""
    company = CompanyFactory()
    leader = member_of(network_b, leader=LeaderFactory(company=company)).leader
    before = company.siret
    with pytest.raises(InvalidMemberData) as error:
        check_update_company(leader, acting_user=staff_b, siret="12345678901234")
    company.refresh_from_db()
    assert (error.value.field, company.siret) == ("siret", before)


def test_a_siret_of_another_company_is_refused(network_b, staff_b):
    """Two companies cannot share a SIRET: the change is refused, both stay as they were."""
    other = CompanyFactory(name="Autre")
    company = CompanyFactory(name="Mienne")
    leader = member_of(network_b, leader=LeaderFactory(company=company)).leader
    with pytest.raises(InvalidMemberData, match="another company"):
        check_update_company(leader, acting_user=staff_b, siret=other.siret)
    company.refresh_from_db()
    assert company.siret != other.siret


def test_a_company_shared_with_another_networks_member_is_not_changed_by_staff(network_b, staff_b):
    """B's staff cannot rename a company that a member of network A only also works for."""
    company = CompanyFactory(name="Partagée")
    mine = member_of(network_b, leader=LeaderFactory(company=company)).leader
    member_of(NetworkFactory(name="A"), leader=LeaderFactory(company=company))
    with pytest.raises(MemberError, match="networks you do not manage"):
        check_update_company(mine, acting_user=staff_b, name="Renommée")
    company.refresh_from_db()
    assert company.name == "Partagée"
    assert not entries_for(company).exists()


def test_a_member_changes_their_shared_company(network_b):
    """A member of a company shared with a member of another network may change it themselves."""
    company = CompanyFactory(name="Partagée")
    mine = member_of(network_b, leader=LeaderFactory(company=company)).leader
    member_of(NetworkFactory(name="A"), leader=LeaderFactory(company=company))
    check_update_company(mine, acting_user=mine.user, name="Renommée", commune=Commune.objects.get(pk="35238"))
    company.refresh_from_db()
    assert (company.name, company.department_id) == ("Renommée", "35")


def test_a_company_name_of_300_characters_is_refused(network_b, staff_b):
    """A company name longer than 200 characters is refused on the name field."""
    leader = member_of(network_b).leader
    with pytest.raises(InvalidMemberData) as error:
        check_update_company(leader, acting_user=staff_b, name="x" * 300)
    assert error.value.field == "name"


def test_a_member_without_company_gets_one(network_b, staff_b):
    """Staff give a company to a member who had none; it is created and audited."""
    leader = member_of(network_b).leader
    leader.company = None
    leader.save()
    check_update_company(leader, acting_user=staff_b, name="Neuve", siret=valid_siret(9001), naf_code="62.01Z",
                         commune=Commune.objects.get(pk="86194"))
    leader.refresh_from_db()
    assert (leader.company.name, leader.company.siren) == ("Neuve", valid_siret(9001)[:9])
    assert entries_for(leader.company).filter(action="members.company.created").exists()


# --- membership ------------------------------------------------------------------------------

def test_staff_change_a_membership_and_the_audit_keeps_old_and_new(network_b, staff_b):
    """Status, fee and payment date change together; the audit entry lists each field's old and new value."""
    membership = member_of(network_b, fee_status=FeeStatus.DUE)
    paid = timezone.localdate() - datetime.timedelta(days=3)
    check_update_membership(membership, acting_user=staff_b, fee_status=FeeStatus.PAID, fee_paid_on=paid)
    membership.refresh_from_db()
    changed = entries_for(membership).get(action="members.membership.updated").data["changed"]
    assert (membership.fee_status, membership.fee_paid_on) == (FeeStatus.PAID, paid)
    assert changed == {"fee_status": ["due", "paid"], "fee_paid_on": ["", paid.isoformat()]}


@pytest.mark.parametrize(("changes", "field"), [
    ({"joined_on": datetime.date(2030, 1, 1)}, "joined_on"),
    ({"status": "left", "left_on": datetime.date(2024, 1, 1)}, "left_on"),  # before joining (2025-01-01)
    ({"left_on": datetime.date(2025, 6, 1)}, "left_on"),  # an active membership has no leaving date
    ({"fee_paid_on": datetime.date(2025, 6, 1)}, "fee_paid_on"),  # fee still due
])
def test_membership_dates_that_make_no_sense_are_refused(network_b, staff_b, changes, field):
    """A future joining date, a leaving date before joining or on an active membership, a payment of a due fee."""
    membership = member_of(network_b)
    with pytest.raises(InvalidMemberData) as error:
        check_update_membership(membership, acting_user=staff_b, **changes)
    membership.refresh_from_db()
    assert (error.value.field, membership.status, membership.left_on) == (field, "active", None)
    assert not entries_for(membership).exists()


def test_staff_of_another_network_cannot_change_a_membership(staff_b):
    """B's staff cannot touch a membership of network A."""
    membership = member_of(NetworkFactory(name="A"))
    with pytest.raises(MemberError):
        check_update_membership(membership, acting_user=staff_b, status=MembershipStatus.LEFT)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_ending_a_membership_sets_left_and_the_date_and_leaves_the_directory(network_b, staff_b):
    """Ending a membership records status left and the date; the member leaves the directory."""
    membership = member_of(network_b)
    when = timezone.localdate() - datetime.timedelta(days=1)
    check_end_membership(membership, acting_user=staff_b, left_on=when)
    membership.refresh_from_db()
    membership.leader.refresh_from_db()
    assert (membership.status, membership.left_on, membership.leader.in_directory) == ("left", when, False)
    with pytest.raises(MemberError):
        check_end_membership(membership, acting_user=staff_b)


# --- bulk ------------------------------------------------------------------------------------

def test_bulk_status_change_touches_only_the_actors_network(network_b, staff_b):
    """Ids of another network's memberships given to a bulk action are ignored; B's change and are audited."""
    mine = [member_of(network_b) for _ in range(3)]
    theirs = member_of(NetworkFactory(name="A"))
    count = check_bulk_update_memberships(network_b, [m.pk for m in mine] + [theirs.pk], acting_user=staff_b,
                                          status=MembershipStatus.ALUMNI)
    theirs.refresh_from_db()
    statuses = set(Membership.objects.filter(network=network_b).values_list("status", flat=True))
    assert (count, statuses, theirs.status) == (3, {"alumni"}, "active")
    assert AuditEntry.objects.filter(action="members.membership.updated", object_id=str(theirs.pk)).count() == 0
    assert AuditEntry.objects.filter(action="members.membership.updated").count() == 3


def test_bulk_fee_change_records_payment_date_and_skips_unchanged(network_b, staff_b):
    """Marking fees paid in bulk sets the payment date; a member already paid is not counted nor audited."""
    due = member_of(network_b, fee_status=FeeStatus.DUE)
    paid = member_of(network_b, fee_status=FeeStatus.PAID, fee_paid_on=datetime.date(2025, 2, 1))
    count = check_bulk_update_memberships(network_b, [due.pk, paid.pk], acting_user=staff_b,
                                          fee_status=FeeStatus.PAID)
    due.refresh_from_db()
    paid.refresh_from_db()
    assert (count, due.fee_paid_on, paid.fee_paid_on) == (1, timezone.localdate(), datetime.date(2025, 2, 1))
    assert not entries_for(paid).exists()


def test_bulk_action_by_another_networks_staff_is_refused(network_b):
    """Staff of A cannot run a bulk action on B; nothing changes."""
    membership = member_of(network_b)
    staff_a = NetworkRoleFactory(role=Role.STAFF).user
    with pytest.raises(MemberError):
        check_bulk_update_memberships(network_b, [membership.pk], acting_user=staff_a, status="left")
    membership.refresh_from_db()
    assert membership.status == "active"


def test_bulk_status_back_to_active_clears_the_leaving_date(network_b, staff_b):
    """Bringing ended memberships back to active in bulk clears their leaving date."""
    ended = member_of(network_b, status=MembershipStatus.LEFT, left_on=datetime.date(2025, 3, 1))
    check_bulk_update_memberships(network_b, [ended.pk], acting_user=staff_b, status=MembershipStatus.ACTIVE)
    ended.refresh_from_db()
    assert (ended.status, ended.left_on) == ("active", None)


# --- roles -----------------------------------------------------------------------------------

def test_staff_give_a_role_to_a_member_of_a_network_they_manage(network_b, staff_b):
    """A member of a network the actor manages can be given a role by e-mail; it is audited."""
    member = member_of(network_b).leader.user
    check_grant_role_by_email(network_b, member.email.upper(), Role.SPONSOR, acting_user=staff_b)
    role = NetworkRole.objects.get(user=member, network=network_b, role=Role.SPONSOR)
    assert entries_for(role).filter(action="members.role.granted", networks=network_b).exists()


def test_a_role_for_another_networks_member_gets_the_same_answer_as_an_unknown_email(network_b, staff_b):
    """A member of A only, and an unknown e-mail, get the very same refusal; no role is created."""
    outsider = member_of(NetworkFactory(name="A")).leader.user
    messages = []
    for email in (outsider.email, "nobody@example.org"):
        with pytest.raises(MemberError) as error:
            check_grant_role_by_email(network_b, email, Role.STAFF, acting_user=staff_b)
        messages.append(str(error.value))
    assert messages[0] == messages[1]
    assert not NetworkRole.objects.filter(user=outsider).exists()


def test_the_last_staff_role_of_a_network_is_not_removed(network_b, staff_b):
    """Removing the only staff role is refused; with a second staff member it goes, with an audit entry."""
    grant = NetworkRole.objects.get(user=staff_b, network=network_b)
    with pytest.raises(MemberError, match="no staff left"):
        check_revoke_role(grant, acting_user=staff_b)
    assert NetworkRole.objects.filter(pk=grant.pk).exists()
    NetworkRoleFactory(network=network_b, role=Role.STAFF)
    check_revoke_role(grant, acting_user=staff_b)
    assert not NetworkRole.objects.filter(pk=grant.pk).exists()
    assert entries_for(network_b).get(action="members.role.revoked").data == {"user": staff_b.email, "role": "staff"}


def test_staff_of_another_network_cannot_remove_a_role(network_b):
    """Staff of A cannot remove B's facilitator."""
    grant = NetworkRoleFactory(network=network_b, role=Role.FACILITATOR)
    with pytest.raises(MemberError):
        check_revoke_role(grant, acting_user=NetworkRoleFactory(role=Role.STAFF).user)
    assert NetworkRole.objects.filter(pk=grant.pk).exists()


def test_a_site_administrator_names_anybody(network_b):
    """The site administrator may give a role to a person of any network."""
    outsider = member_of(NetworkFactory(name="A")).leader.user
    admin = UserFactory(is_superuser=True)
    check_grant_role_by_email(network_b, outsider.email, Role.FACILITATOR, acting_user=admin)
    assert NetworkRole.objects.filter(user=outsider, network=network_b).exists()


def test_staff_cannot_change_the_privacy_choices_of_a_person_also_in_another_network(network_b, staff_b):
    """The directory and privacy part of a profile follows the same rule as the name."""
    from meute.members.services import check_update_profile

    leader = member_of(network_b, leader=LeaderFactory(email_visibility="private")).leader
    member_of(NetworkFactory(name="A"), leader=leader)
    with pytest.raises(MemberError):
        check_update_profile(leader, acting_user=staff_b, email_visibility="members")
    leader.refresh_from_db()
    assert leader.email_visibility == "private"


def test_a_network_maximum_below_its_active_members_is_refused(network_b, staff_b):
    """With three active members, a maximum size of 2 is refused on that field; the network is unchanged."""
    from meute.members.services import check_update_network

    for _ in range(3):
        member_of(network_b)
    with pytest.raises(InvalidMemberData) as error:
        check_update_network(network_b, acting_user=staff_b, max_size=2)
    network_b.refresh_from_db()
    assert (error.value.field, network_b.max_size) == ("max_size", None)


def test_a_network_maximum_equal_to_its_active_members_is_taken(network_b, staff_b):
    """A maximum size equal to the active members is accepted."""
    from meute.members.services import check_update_network

    for _ in range(3):
        member_of(network_b)
    check_update_network(network_b, acting_user=staff_b, max_size=3)
    network_b.refresh_from_db()
    assert network_b.max_size == 3
