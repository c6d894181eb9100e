"""The main menu is rendered once per language and role, and still says what each person may open."""

import pytest
from django.urls import reverse

from tests.factories import LeaderFactory, UserFactory

pytestmark = pytest.mark.django_db
AUDIT = reverse("web:audit_log")


def test_only_the_site_administrator_sees_the_audit_log_link(client):
    """After the administrator's page, a member's page still has no audit-log link (and the reverse)."""
    client.force_login(UserFactory(is_superuser=True))
    admin_page = client.get(reverse("web:events")).content.decode()
    client.force_login(LeaderFactory().user)
    member_page = client.get(reverse("web:events")).content.decode()
    assert f'href="{AUDIT}"' in admin_page and f'href="{AUDIT}"' not in member_page


def test_the_menu_speaks_each_readers_language(client):
    """A French page's menu says « Annuaire », an English one's « Directory », whichever came first."""
    client.force_login(LeaderFactory().user)
    english = client.get(reverse("web:events"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get(reverse("web:events"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    directory = f'<a href="{reverse("web:directory")}">'
    assert f"{directory}Directory</a>" in english and f"{directory}Annuaire</a>" in french


def test_only_people_with_a_leader_profile_are_offered_the_referrals(client):
    """A staff account without a leader profile is not sent to a referrals page it cannot open;
    a member, rendered after it, still is."""
    referrals = f'href="{reverse("web:referrals")}"'
    client.force_login(UserFactory())
    staff_page = client.get(reverse("web:events")).content.decode()
    client.force_login(LeaderFactory().user)
    member_page = client.get(reverse("web:events")).content.decode()
    assert referrals not in staff_page and referrals in member_page
