"""The forms where a company is created or edited store an empty headcount as unknown, and pages say so."""

import pytest
from django.urls import reverse

from meute.members.models import Company, Role
from tests.factories import LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory, valid_siret

pytestmark = pytest.mark.django_db


def company_data(headcount: str, prefix: str = "") -> dict:
    data = {
        "name": "Roux SARL",
        "siret": valid_siret(931),
        "naf_code": "62.01Z",
        "postal_code": "86000",
        "city": "Poitiers",
        "headcount": headcount,
        "website": "",
    }
    return {f"{prefix}{k}": v for k, v in data.items()}


def test_my_company_saved_with_an_empty_headcount_is_unknown(client):
    """A member saving their company with « Effectif » left empty stores a blank band."""
    leader = MembershipFactory(leader__company__headcount="1-2").leader
    client.force_login(leader.user)
    response = client.post(reverse("web:my_company"), company_data(""))
    assert response.status_code == 302
    leader.company.refresh_from_db()
    assert leader.company.headcount == ""


def test_my_company_saved_with_a_band_keeps_it(client):
    """A chosen band is stored as chosen."""
    leader = MembershipFactory().leader
    client.force_login(leader.user)
    client.post(reverse("web:my_company"), company_data("20-49"))
    leader.company.refresh_from_db()
    assert leader.company.headcount == "20-49"


def test_a_company_created_by_staff_with_an_empty_headcount_is_unknown(client):
    """Staff giving a member their first company, « Effectif » empty, create it with a blank band."""
    network = NetworkFactory()
    client.force_login(NetworkRoleFactory(network=network, role=Role.STAFF).user)
    membership = MembershipFactory(network=network, leader=LeaderFactory(company=None, search_text=""))
    data = {"form": "company", **company_data("", prefix="company-")}
    response = client.post(reverse("web:network_member", args=[network.slug, membership.pk]), data)
    assert response.status_code == 302
    assert Company.objects.get(siret=valid_siret(931)).headcount == ""


def test_the_profile_form_with_an_empty_headcount_stores_unknown(client):
    """The profile form, « Effectif » empty, makes the company's band blank."""
    leader = MembershipFactory(leader__company__headcount="3-5").leader
    client.force_login(leader.user)
    client.post(
        reverse("web:my_profile"),
        {"form": "profile", "email_visibility": "members", "phone_visibility": "private", "headcount": ""},
    )
    leader.company.refresh_from_db()
    assert leader.company.headcount == ""


def test_a_member_added_by_hand_has_an_unknown_headcount(client):
    """Adding one member (the form asks no headcount) creates their company with a blank band."""
    grant = NetworkRoleFactory()
    client.force_login(grant.user)
    data = {
        "email": "main@example.org",
        "first_name": "Léa",
        "last_name": "Main",
        "company": "Main SARL",
        "siret": valid_siret(932),
        "naf": "62.01Z",
        "commune": "Poitiers",
        "postal_code": "86000",
        "phone": "",
        "function": "",
        "status": "active",
        "fee": "due",
    }
    client.post(reverse("web:network_member_add", args=[grant.network.slug]), data)
    assert Company.objects.get(siret=valid_siret(932)).headcount == ""


def test_the_profile_page_says_not_given_for_an_unknown_headcount(client):
    """A company with no band shows « non renseigné » on the profile, not a band."""
    leader = MembershipFactory(leader__company__headcount="").leader
    client.force_login(leader.user)
    page = client.get(reverse("web:profile", args=[leader.pk])).content.decode()
    assert "<dt>Effectif</dt><dd>non renseigné</dd>" in page
