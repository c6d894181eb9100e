"""An import never touches what the importer does not manage (issue 11, item 1)."""

import csv
import io
import json

import pytest
from django.urls import reverse

from meute.accounts.models import User
from meute.core.models import AuditEntry
from meute.members.importing import import_members
from meute.members.models import (
    Company,
    Invitation,
    InvitationKind,
    InvitationStatus,
    Leader,
    Membership,
    MembershipStatus,
    Visibility,
)
from tests.factories import (
    CompanyFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    UserFactory,
    valid_siret,
)

HEADER = ["Courriel", "Prénom", "Nom", "Raison sociale", "SIRET", "Code NAF", "Ville", "CP", "Téléphone",
          "Fonction", "Statut", "Cotisation"]


def row(email, *, first="Jeanne", last="Importée", company="Nouvelle SAS", siret=None, phone="06 11 22 33 44",
        function="Présidente", status="candidat", fee="payée"):
    return [email, first, last, company, siret or valid_siret(900), "4322A", "Poitiers", "86000", phone, function,
            status, fee]


def as_file(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return io.BytesIO(buffer.getvalue().encode())


@pytest.fixture
def network_b(db):
    return NetworkFactory(slug="reseau-b")


@pytest.fixture
def staff_b(network_b):
    return NetworkRoleFactory(network=network_b).user


@pytest.fixture
def member_of_a(db):
    """A member of network A only, with choices of their own."""
    leader = LeaderFactory(
        user=UserFactory(email="alice@example.org", first_name="Alice", last_name="Martin"),
        company=CompanyFactory(name="Martin Conseil"), phone="05 49 00 00 01", function="Gérante",
        email_visibility=Visibility.MEMBERS, phone_visibility=Visibility.PRIVATE, listed=True,
    )
    MembershipFactory(leader=leader)
    return leader


def snapshot(leader):
    leader = Leader.objects.select_related("user", "company").get(pk=leader.pk)
    user, company = leader.user, leader.company
    return {
        "user": (user.email, user.first_name, user.last_name, user.password),
        "leader": (leader.company_id, leader.phone, leader.function, leader.listed, leader.email_visibility,
                   leader.phone_visibility, leader.in_directory, leader.search_text),
        "company": (company.name, company.siret, company.naf_code, company.commune_id, company.website),
        "memberships": sorted(Membership.objects.filter(leader=leader).values_list("network_id", "status")),
    }


def test_member_of_another_network_is_left_as_is(network_b, staff_b, member_of_a):
    """B's import of A's member changes nothing of their account, profile, company or privacy."""
    before = snapshot(member_of_a)
    rows = [row("alice@example.org", first="Alicia", last="Autre", company="Nom de B", siret=member_of_a.company.siret,
                phone="06 99 99 99 99", function="Stagiaire")]
    report = import_members(as_file(rows), "b.csv", network=network_b, acting_user=staff_b)
    assert report.applied and snapshot(member_of_a) == before


def test_member_of_another_network_gets_a_join_invitation(network_b, staff_b, member_of_a):
    """The row becomes a JOIN invitation carrying the row's status and fee, and no membership in B."""
    report = import_members(as_file([row("alice@example.org")]), "b.csv", network=network_b, acting_user=staff_b)
    invitation = Invitation.objects.get(user=member_of_a.user, network=network_b)
    assert (invitation.kind, invitation.status, invitation.membership_status, invitation.fee_status) == (
        InvitationKind.JOIN, InvitationStatus.PENDING, MembershipStatus.CANDIDATE, "paid")
    assert not Membership.objects.filter(leader=member_of_a, network=network_b).exists()
    assert (report.invited, report.created, report.updated) == (1, 0, 0)
    assert AuditEntry.objects.filter(action="members.invitation.created", object_id=str(invitation.pk)).exists()


def test_the_report_shows_only_what_the_file_said(network_b, staff_b, member_of_a):
    """Nothing held about an unmanaged person (phone, company, name) appears in the report."""
    rows = [row("alice@example.org", first="X", last="Y", company="Z", phone="06 11 22 33 44")]
    report = import_members(as_file(rows), "b.csv", network=network_b, acting_user=staff_b, dry_run=True)
    text = json.dumps(report.as_dict(), ensure_ascii=False)
    assert "Martin" not in text and "Alice" not in text and "05 49 00 00 01" not in text
    assert [n.line for n in report.notes] == [2]


@pytest.mark.parametrize("who", ["admin", "staff_elsewhere", "staff_of_b", "no_membership"])
def test_administrators_staff_and_bare_accounts_are_invited_not_changed(network_b, staff_b, who):
    """A site administrator, a staff member or an account without membership is invited, never changed."""
    if who == "admin":
        user = UserFactory(email="x@example.org", is_superuser=True)
    else:
        user = UserFactory(email="x@example.org")
    if who == "staff_elsewhere":
        NetworkRoleFactory(user=user)
    if who == "staff_of_b":
        NetworkRoleFactory(user=user, network=network_b)
    leader = LeaderFactory(user=user)
    if who != "no_membership":
        MembershipFactory(leader=leader)
    before = snapshot(leader)
    report = import_members(as_file([row("x@example.org", siret=leader.company.siret)]), "b.csv",
                            network=network_b, acting_user=staff_b)
    assert snapshot(leader) == before and report.invited == 1
    assert Invitation.objects.filter(user=user, network=network_b, kind=InvitationKind.JOIN).count() == 1


def test_member_of_both_networks_is_unchanged_but_its_membership_follows(network_b, staff_b, member_of_a):
    """A member of A and B keeps their profile; only the membership in B takes the row's status and fee."""
    MembershipFactory(leader=member_of_a, network=network_b)
    profile = {k: v for k, v in snapshot(member_of_a).items() if k != "memberships"}
    report = import_members(as_file([row("alice@example.org", first="Autre")]), "b.csv",
                            network=network_b, acting_user=staff_b)
    after = snapshot(member_of_a)
    assert {k: v for k, v in after.items() if k != "memberships"} == profile
    membership = Membership.objects.get(leader=member_of_a, network=network_b)
    assert (membership.status, membership.fee_status, report.unchanged) == ("candidate", "paid", 1)
    assert not Invitation.objects.filter(network=network_b).exists()


def test_company_of_another_network_is_never_renamed_or_moved(network_b, staff_b, member_of_a):
    """A new person whose SIRET is A's member's company joins it as it is; the preview says so."""
    company = member_of_a.company
    rows = [row("new@example.org", company="Renommée par B", siret=company.siret)]
    report = import_members(as_file(rows), "b.csv", network=network_b, acting_user=staff_b)
    company.refresh_from_db()
    assert (company.name, company.commune_id) == ("Martin Conseil", "86194")
    assert Leader.objects.get(user__email="new@example.org").company_id == company.pk
    siret = company.siret
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    assert [n.message for n in report.notes] == [f"SIRET {spaced} known as « Martin Conseil », kept."]


def test_company_whose_leaders_are_all_managed_is_updated(network_b, staff_b):
    """A company whose only leader is a member of B alone is renamed by B's import."""
    leader = LeaderFactory(user=UserFactory(email="bob@example.org"))
    MembershipFactory(leader=leader, network=network_b)
    rows = [row("bob@example.org", first="Bob", company="Nouveau nom", siret=leader.company.siret,
                phone="0549000002", function="Gérant")]
    report = import_members(as_file(rows), "b.csv", network=network_b, acting_user=staff_b)
    leader.refresh_from_db()
    leader.company.refresh_from_db()
    assert (report.updated, leader.company.name, leader.phone, leader.user.first_name) == (
        1, "Nouveau nom", "05 49 00 00 02", "Bob")


def test_new_person_is_private_unlisted_and_invited(network_b, staff_b):
    """A new person: unusable password, not listed, contact fields private, member of B, NEW_ACCOUNT invitation."""
    report = import_members(as_file([row("neuf@example.org")]), "b.csv", network=network_b, acting_user=staff_b)
    leader = Leader.objects.select_related("user").get(user__email="neuf@example.org")
    assert report.created == 1 and not leader.user.has_usable_password()
    assert (leader.listed, leader.in_directory, leader.email_visibility, leader.phone_visibility) == (
        False, False, Visibility.PRIVATE, Visibility.PRIVATE)
    assert Membership.objects.get(leader=leader, network=network_b).status == MembershipStatus.CANDIDATE
    invitation = Invitation.objects.get(user=leader.user, network=network_b)
    assert (invitation.kind, invitation.sent_at, invitation.invited_by) == (InvitationKind.NEW_ACCOUNT, None, staff_b)


def test_pending_invitation_is_not_doubled(network_b, staff_b, member_of_a):
    """Importing the same unmanaged person twice leaves one pending invitation."""
    for _ in range(2):
        report = import_members(as_file([row("alice@example.org")]), "b.csv", network=network_b, acting_user=staff_b)
    assert Invitation.objects.filter(network=network_b).count() == 1 and report.unchanged == 1


def test_one_rejected_row_writes_no_invitation(network_b, staff_b, member_of_a):
    """All or nothing: a bad row leaves no invitation, person, company or audit of the import."""
    rows = [row("alice@example.org"), row("neuf@example.org", siret=valid_siret(901)), row("bad", siret="123")]
    report = import_members(as_file(rows), "b.csv", network=network_b, acting_user=staff_b)
    assert not report.applied and {e.line for e in report.errors} == {4}
    assert (Invitation.objects.count(), Company.objects.count()) == (0, 1)
    assert not AuditEntry.objects.filter(action="members.import.completed").exists()


def test_member_who_left_b_is_invited_back(network_b, staff_b):
    """A person whose only membership in B is "left" is invited, not re-enrolled."""
    leader = LeaderFactory(user=UserFactory(email="parti@example.org"))
    MembershipFactory(leader=leader, network=network_b, status=MembershipStatus.LEFT)
    import_members(as_file([row("parti@example.org")]), "b.csv", network=network_b, acting_user=staff_b)
    assert Membership.objects.get(leader=leader).status == MembershipStatus.LEFT
    assert Invitation.objects.get(user=leader.user).kind == InvitationKind.JOIN


def test_staff_of_another_network_may_not_import_into_b(network_b, member_of_a):
    """Staff of A cannot import into B at all."""
    from meute.members.exceptions import MemberError

    with pytest.raises(MemberError):
        import_members(as_file([row("z@example.org")]), "b.csv", network=network_b,
                       acting_user=NetworkRoleFactory().user)
    assert not Leader.objects.filter(user__email="z@example.org").exists()


def test_reimporting_an_unchanged_file_rewrites_no_leader(network_b, staff_b):
    """The same file imported twice: the second time the leaders' rows are not written again."""
    rows = [row("carla@example.org", first="Carla"), row("dan@example.org", first="Dan", siret=valid_siret(901))]
    import_members(as_file(rows), "b.csv", network=network_b, acting_user=staff_b)
    stamps = dict(Leader.objects.filter(user__email__in=["carla@example.org", "dan@example.org"])
                  .values_list("pk", "updated"))
    report = import_members(as_file(rows), "b.csv", network=network_b, acting_user=staff_b)
    again = dict(Leader.objects.filter(pk__in=stamps).values_list("pk", "updated"))
    assert (report.updated, again) == (2, stamps)


def test_an_address_stored_with_capitals_is_still_recognised(client, network_b, staff_b):
    """A person whose address was typed with capitals in the admin is invited, not created a second time."""
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(reverse("admin:accounts_user_add"), {
        "email": "Carole.Dupont@Example.org", "first_name": "Carole", "last_name": "Dupont", "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "10:00", "language": "fr"})
    assert response.status_code == 302
    report = import_members(as_file([row("carole.dupont@example.org")]), "b.csv", network=network_b,
                            acting_user=staff_b)
    assert (report.created, report.invited) == (0, 1)
    assert User.objects.filter(email__iexact="carole.dupont@example.org").count() == 1


def test_the_invitations_an_import_creates_are_in_the_networks_audit_log(network_b, staff_b, member_of_a):
    """Each invitation an import creates is audited like a single one: on B's log, naming the importer."""
    from meute.core.queries import list_audit_entries

    import_members(as_file([row("neuf@example.org"), row("alice@example.org")]), "b.csv", network=network_b,
                   acting_user=staff_b)
    entries = list_audit_entries(staff_b, network=network_b).filter(action="members.invitation.created")
    assert entries.count() == 2
    assert {e.actor_repr for e in entries} == {f"{staff_b.get_full_name()} <{staff_b.email}>"}
