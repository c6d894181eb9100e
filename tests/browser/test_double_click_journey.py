"""A double click on a form's button sends the form once (meute.js), at phone width."""

import pytest
from playwright.sync_api import expect

from meute.questions.models import Question
from tests.browser.helpers import log_in
from tests.factories import MembershipFactory, NetworkFactory, NetworkRoleFactory, UserFactory

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def asking(live_server, browser):
    """A member on the asking page of their network."""
    network = NetworkFactory()
    NetworkRoleFactory(network=network)
    MembershipFactory(network=network, leader__user=UserFactory(email="asker@example.org"))
    page = browser.new_context(locale="fr-FR", viewport=PHONE).new_page()
    log_in(page, live_server, "asker@example.org")
    page.goto(f"{live_server.url}/networks/{network.slug}/questions/ask/")
    return page


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_send_makes_one_request(asking):
    """Two quick clicks on « Envoyer ma question »: the browser sends one request, one question is asked."""
    page, url = asking, asking.url
    held = []  # the first sending waits on its way, as on a slow network, while the second click comes
    page.route(url, lambda route: held.append(route) if route.request.method == "POST" else route.continue_())
    page.fill("#id_title", "Quel contrat pour un premier salarié ?")
    page.fill("#id_body", "CDD ou CDI ?")
    send = page.get_by_role("button", name="Envoyer ma question", exact=True)
    send.scroll_into_view_if_needed()
    box = send.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    sent = len(held)
    for route in held:
        route.continue_()
    expect(page.get_by_role("heading", level=1)).to_contain_text("premier salarié")
    assert (sent, Question.objects.count()) == (1, 1)


def _ask(page, live_server, title):
    """Fill the asking form and send it; wait for the question's page."""
    page.fill("#id_title", title)
    page.fill("#id_body", "CDD ou CDI ?")
    page.get_by_role("button", name="Envoyer ma question", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)



@pytest.mark.django_db(transaction=True)
def test_back_and_send_again_the_same_form_asks_once(live_server, asking):
    """Sent, then « Back » and sent again as it was: one question, and the page says it was already sent."""
    _ask(asking, live_server, "Quel contrat pour un premier salarié ?")
    asking.go_back()
    _ask(asking, live_server, "Quel contrat pour un premier salarié ?")
    expect(asking.get_by_text("Ce formulaire était déjà envoyé")).to_be_visible()
    assert Question.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_back_and_send_a_changed_form_asks_a_second_question(live_server, asking):
    """Sent, then « Back », changed and sent: that is a new question, and it is asked."""
    _ask(asking, live_server, "Quel contrat pour un premier salarié ?")
    asking.go_back()
    _ask(asking, live_server, "Quelle mutuelle pour un premier salarié ?")
    assert Question.objects.count() == 2
