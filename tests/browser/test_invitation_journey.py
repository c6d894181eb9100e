import re

import pytest
from django.core import mail
from django.test import override_settings

from meute.members.invitations import do_invite
from meute.members.models import InvitationKind, Leader, Visibility
from tests.browser.helpers import log_in
from tests.factories import LeaderFactory, MembershipFactory, NetworkRoleFactory, UserFactory


def _link(pattern: str) -> str:
    return re.search(pattern, mail.outbox[-1].body).group(0)


@pytest.mark.django_db(transaction=True)
def test_invited_member_activates_the_account_and_chooses_visibility(live_server, page, browser):
    """Staff send an invitation; the person opens the e-mailed link, sets a password, logs in, chooses visibility."""
    with override_settings(SITE_URL=live_server.url):
        staff = NetworkRoleFactory(user=UserFactory(email="equipe@example.org"))
        person = MembershipFactory(network=staff.network, leader=LeaderFactory(
            user=UserFactory(email="nouvelle@example.org", first_name="Claire", last_name="Fontaine"),
            listed=False, directory_consent_at=None,
            email_visibility=Visibility.PRIVATE, phone_visibility=Visibility.PRIVATE)).leader
        person.user.set_unusable_password()
        person.user.save()
        do_invite(person.user, staff.network, kind=InvitationKind.NEW_ACCOUNT, acting_user=staff.user)

        log_in(page, live_server, "equipe@example.org")
        page.goto(f"{live_server.url}/networks/{staff.network.slug}/invitations/")
        page.get_by_role("button", name="Envoyer", exact=True).click()
        page.wait_for_selector("text=Invitation envoyée à nouvelle@example.org")
        assert mail.outbox[-1].to == ["nouvelle@example.org"]
        link = _link(re.escape(live_server.url) + r"/invitation/[^/\s]+/")

        invited = browser.new_context(locale="fr-FR").new_page()
        invited.goto(link)
        assert "Rejoindre" in invited.locator("h1").inner_text()
        invited.fill("#id_new_password1", "Fontaine-Passe-2026")
        invited.fill("#id_new_password2", "Fontaine-Passe-2026")
        invited.check("#id_terms")
        invited.click("main button[type=submit]")
        invited.wait_for_url(f"{live_server.url}/welcome/visibility/")
        invited.check("#id_listed")
        invited.check("input[name=email_visibility][value=network]")
        invited.check("input[name=phone_visibility][value=private]")
        invited.click("main button[type=submit]")
        invited.wait_for_url(f"{live_server.url}/")

        invited.context.clear_cookies()
        log_in(invited, live_server, "nouvelle@example.org", "Fontaine-Passe-2026")
        leader = Leader.objects.get(pk=person.pk)
        assert leader.in_directory and leader.email_visibility == "network" and leader.phone_visibility == "private"
        page.goto(f"{live_server.url}/networks/{staff.network.slug}/invitations/")
        assert page.locator("table.list .badge-accepted").count() == 1


@pytest.mark.django_db(transaction=True)
def test_member_resets_a_forgotten_password(live_server, page):
    """From the login page, a member asks for a reset link, opens it, chooses a new password and logs in."""
    with override_settings(SITE_URL=live_server.url):
        MembershipFactory(leader=LeaderFactory(user=UserFactory(email="oubli@example.org")))
        page.goto(f"{live_server.url}/login/")
        page.get_by_role("link", name="Mot de passe oublié ?").click()
        page.fill("#id_email", "oubli@example.org")
        page.click("main button[type=submit]")
        page.wait_for_selector("text=Consultez vos e-mails")
        link = _link(re.escape(live_server.url) + r"/password/reset/\S+/")
        page.goto(link)
        page.fill("#id_new_password1", "Nouveau-Passe-2026")
        page.fill("#id_new_password2", "Nouveau-Passe-2026")
        page.click("main button[type=submit]")
        page.wait_for_selector("text=Mot de passe enregistré")
        log_in(page, live_server, "oubli@example.org", "Nouveau-Passe-2026")
