"""The staff back office and the member's own edit pages, through the web."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from meute.core.models import AuditEntry
from meute.members.models import FeeStatus, Membership, MembershipStatus, NetworkRole, Role
from tests.factories import LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory, valid_siret

pytestmark = pytest.mark.django_db


@pytest.fixture
def b(client):
    network = NetworkFactory(name="B")
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    client.force_login(staff)
    return network


def test_staff_of_another_network_get_404_on_every_back_office_page(client, b):
    """Staff of A asking for B's member list, bulk action, member page or roles get "not found"."""
    membership = MembershipFactory(network=b)
    grant = NetworkRole.objects.get(network=b)
    client.force_login(NetworkRoleFactory(role=Role.STAFF).user)
    urls = [
        ("get", reverse("web:network_members", args=[b.slug])),
        ("get", reverse("web:network_members_export", args=[b.slug, "csv"])),
        ("post", reverse("web:network_members_bulk", args=[b.slug])),
        ("get", reverse("web:network_member", args=[b.slug, membership.pk])),
        ("post", reverse("web:network_member", args=[b.slug, membership.pk])),
        ("get", reverse("web:network_roles", args=[b.slug])),
        ("post", reverse("web:network_role_remove", args=[b.slug, grant.pk])),
    ]
    assert [getattr(client, method)(url).status_code for method, url in urls] == [404] * len(urls)


def test_a_membership_of_another_network_is_not_found_through_bs_url(client, b):
    """A's membership id under B's address is "not found" for B's staff."""
    other = MembershipFactory(network=NetworkFactory(name="A"))
    assert client.get(reverse("web:network_member", args=[b.slug, other.pk])).status_code == 404


def test_member_list_filters_by_status_fee_and_text(client, b):
    """The list shows only the memberships matching status, fee and the searched name."""
    MembershipFactory(network=b, leader=LeaderFactory(user__last_name="Zorro"), fee_status=FeeStatus.PAID)
    MembershipFactory(network=b, leader=LeaderFactory(user__last_name="Zorro"), fee_status=FeeStatus.DUE)
    MembershipFactory(network=b, leader=LeaderFactory(user__last_name="Dupond"), fee_status=FeeStatus.PAID)
    page = client.get(reverse("web:network_members", args=[b.slug]),
                      {"q": "zorro", "fee_status": "paid", "status": "active"}).context["page"]
    assert [m.leader.user.last_name for m in page] == ["Zorro"]


def test_bulk_change_on_selected_members(client, b):
    """A bulk status change applies to the ticked members only, and is audited."""
    ticked, untouched = MembershipFactory(network=b), MembershipFactory(network=b)
    client.post(reverse("web:network_members_bulk", args=[b.slug]),
                {"action": "status:alumni", "scope": "selected", "selected": [ticked.pk]})
    ticked.refresh_from_db()
    untouched.refresh_from_db()
    assert (ticked.status, untouched.status) == ("alumni", "active")
    assert AuditEntry.objects.filter(action="members.membership.updated", object_id=str(ticked.pk)).exists()


def test_bulk_change_on_every_filtered_member_spares_other_networks(client, b):
    """"Every member matching the filters" changes B's due fees, and no membership of another network."""
    due = [MembershipFactory(network=b, fee_status=FeeStatus.DUE) for _ in range(3)]
    exempt = MembershipFactory(network=b, fee_status=FeeStatus.EXEMPT)
    elsewhere = MembershipFactory(network=NetworkFactory(name="A"), fee_status=FeeStatus.DUE)
    client.post(reverse("web:network_members_bulk", args=[b.slug]),
                {"action": "fee:paid", "scope": "filtered", "fee_status": "due", "selected": [elsewhere.pk]})
    assert set(Membership.objects.filter(pk__in=[m.pk for m in due]).values_list("fee_status", flat=True)) == {"paid"}
    exempt.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (exempt.fee_status, elsewhere.fee_status) == ("exempt", "due")


def test_bulk_export_of_the_selection_as_xlsx(client, b):
    """Exporting the selection gives an XLSX with exactly the selected members."""
    chosen = MembershipFactory(network=b, leader=LeaderFactory(user__last_name="Choisi"))
    MembershipFactory(network=b, leader=LeaderFactory(user__last_name="Autre"))
    response = client.post(reverse("web:network_members_bulk", args=[b.slug]),
                           {"action": "export:xlsx", "scope": "selected", "selected": [chosen.pk]})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Choisi"]


def test_bulk_without_selection_says_so_and_changes_nothing(client, b):
    """A bulk action on "the selected members" with none ticked is refused with a message."""
    membership = MembershipFactory(network=b)
    response = client.post(reverse("web:network_members_bulk", args=[b.slug]),
                           {"action": "status:left", "scope": "selected"}, follow=True)
    membership.refresh_from_db()
    assert membership.status == "active"
    assert any("Sélectionnez" in str(m) or "Select" in str(m) for m in response.context["messages"])


def test_member_page_edits_the_membership_and_shows_date_errors(client, b):
    """The membership form saves a status change and shows a date error on its field."""
    membership = MembershipFactory(network=b)
    url = reverse("web:network_member", args=[b.slug, membership.pk])
    response = client.post(url, {"form": "membership", "membership-status": "active", "membership-fee_status": "due",
                                  "membership-joined_on": "2099-01-01"})
    assert response.status_code == 200 and response.context["forms"]["membership"].errors["joined_on"]
    client.post(url, {"form": "membership", "membership-status": "candidate", "membership-fee_status": "exempt",
                      "membership-joined_on": "2025-01-01"})
    membership.refresh_from_db()
    assert (membership.status, membership.fee_status) == (MembershipStatus.CANDIDATE, FeeStatus.EXEMPT)


def test_member_page_shows_another_networks_member_read_only(client, b):
    """A member also in A is shown read-only to B's staff, and a forged post changes nothing."""
    membership = MembershipFactory(network=b, leader=LeaderFactory(function="Gérant"))
    MembershipFactory(network=NetworkFactory(name="A"), leader=membership.leader)
    url = reverse("web:network_member", args=[b.slug, membership.pk])
    page = client.get(url)
    assert page.context["may_edit_person"] is False and "person-function" not in page.content.decode()
    client.post(url, {"form": "person", "person-last_name": "X", "person-function": "Stagiaire"})
    membership.leader.refresh_from_db()
    assert membership.leader.function == "Gérant"


def test_member_page_ends_the_membership(client, b):
    """The end form sets the membership to left."""
    membership = MembershipFactory(network=b)
    client.post(reverse("web:network_member", args=[b.slug, membership.pk]), {"form": "end", "end-left_on": ""})
    membership.refresh_from_db()
    assert membership.status == "left"


def test_roles_page_refuses_an_outsider_without_revealing_them(client, b):
    """Giving a role to a member of A only shows the same error as an unknown address."""
    outsider = MembershipFactory(network=NetworkFactory(name="A")).leader.user
    url = reverse("web:network_roles", args=[b.slug])
    errors = [client.post(url, {"email": email, "role": "staff"}).context["form"].errors["email"]
              for email in (outsider.email, "nobody@example.org")]
    assert errors[0] == errors[1]
    assert not NetworkRole.objects.filter(user=outsider).exists()


def test_removing_the_last_staff_role_from_the_page_is_refused(client, b):
    """The only staff role of B stays, with a message."""
    grant = NetworkRole.objects.get(network=b, role=Role.STAFF)
    response = client.post(reverse("web:network_role_remove", args=[b.slug, grant.pk]), follow=True)
    assert NetworkRole.objects.filter(pk=grant.pk).exists()
    assert len(list(response.context["messages"])) == 1


def test_member_edits_their_own_name_and_company(client):
    """A member changes their name on /me/ and their company (SIRET checked) on /me/company/."""
    leader = MembershipFactory().leader
    client.force_login(leader.user)
    client.post(reverse("web:my_profile"), {"form": "person", "person-first_name": "Léa", "person-last_name": "Roux",
                                           "person-function": "Gérante", "person-phone": ""})
    bad = client.post(reverse("web:my_company"), {"name": "Roux SARL", "siret": "123", "naf_code": "62.01Z",
                                                 "postal_code": "86000", "city": "Poitiers", "headcount": "1-2"})
    assert "siret" in bad.context["form"].errors
    client.post(reverse("web:my_company"), {"name": "Roux SARL", "siret": valid_siret(777), "naf_code": "6201z",
                                           "postal_code": "86000", "city": "Poitiers", "headcount": "1-2"})
    leader.refresh_from_db()
    leader.user.refresh_from_db()
    assert (leader.user.last_name, leader.function, leader.company.name, leader.company.siret) == (
        "Roux", "Gérante", "Roux SARL", valid_siret(777))


def test_member_page_shows_the_dates_in_the_date_pickers(client, b):
    """The joining date is given to the browser's date picker in ISO form, so saving keeps it."""
    membership = MembershipFactory(network=b)
    page = client.get(reverse("web:network_member", args=[b.slug, membership.pk])).content.decode()
    assert 'name="membership-joined_on" value="2025-01-01"' in page


def test_the_export_link_follows_the_filters(client, b):
    """The CSV export of a filtered list holds only the members matching the filters."""
    MembershipFactory(network=b, leader=LeaderFactory(user__last_name="Payeur"), fee_status=FeeStatus.PAID)
    MembershipFactory(network=b, leader=LeaderFactory(user__last_name="Retard"), fee_status=FeeStatus.DUE)
    body = client.get(reverse("web:network_members_export", args=[b.slug, "csv"]), {"fee_status": "due"})
    text = body.content.decode("utf-8-sig")
    assert "Retard" in text and "Payeur" not in text


def test_bulk_send_invitations_mails_the_selected_members_only(client, b, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    """"Send their pending invitation" mails each ticked member once, and nobody else."""
    from meute.members.invitations import do_invite
    from meute.members.models import InvitationKind

    ticked, other = MembershipFactory(network=b), MembershipFactory(network=b)
    for membership in (ticked, other):
        do_invite(membership.leader.user, b, kind=InvitationKind.NEW_ACCOUNT, acting_user=None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:network_members_bulk", args=[b.slug]),
                    {"action": "invite:send", "scope": "selected", "selected": [ticked.pk]})
    assert [m.to for m in mailoutbox] == [[ticked.leader.user.email]]


@pytest.mark.parametrize("target", ["99999999999999999999", "web:home", "javascript:alert(1)", "//evil.example/x",
                                    "https://evil.example/"])
def test_removing_a_role_with_a_hostile_next_goes_back_to_the_roles_page(client, b, target):
    """A "next" that is no path of this site (a bare word, another host) leads to the roles page, never a 500."""
    grant = NetworkRoleFactory(network=b, role=Role.FACILITATOR)
    response = client.post(reverse("web:network_role_remove", args=[b.slug, grant.pk]), {"next": target})
    assert response.status_code == 302 and response["Location"] == reverse("web:network_roles", args=[b.slug])
    assert not NetworkRole.objects.filter(pk=grant.pk).exists()
