import os
from pathlib import Path

import pytest

from tests.browser.helpers import log_in
from tests.factories import NetworkRoleFactory, UserFactory

SHOTS = os.environ.get("MEUTE_SHOTS_DIR")  # set it to keep screenshots of the pages (1280 and 390 px wide)


def _shoot(page, name: str) -> None:
    if SHOTS:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_staff_see_a_character_counter_and_a_named_error(live_server, page):
    """Typing in a long text shows a live counter; a capacity too large is refused on its field, in French."""
    staff = NetworkRoleFactory(user=UserFactory(email="equipe@example.org"))
    log_in(page, live_server, "equipe@example.org")
    page.goto(f"{live_server.url}/networks/{staff.network.slug}/edit/")
    page.fill("#id_goals", "Rompre l'isolement du dirigeant")
    counter = page.locator("#id_goals + .char-counter")
    assert counter.inner_text().replace("\u202f", " ").replace("\xa0", " ") == "31 / 5 000"
    _shoot(page, "counter")
    page.goto(f"{live_server.url}/events/new/{staff.network.slug}/")
    page.fill("#id_title", "Atelier RH")
    page.fill("#id_starts_at", "2030-03-01T09:00")
    page.fill("#id_ends_at", "2030-03-01T11:00")
    page.evaluate("document.querySelector('#id_capacity').removeAttribute('max')")  # as a script would post
    page.fill("#id_capacity", "99999999999999999999")
    page.click("main button[type=submit]")
    error = page.locator(".field.has-error .errors").inner_text().replace("\xa0", " ")
    assert error == "« Capacité » : au maximum 100 000."
    _shoot(page, "field-error")


@pytest.mark.django_db(transaction=True)
def test_an_unknown_page_is_a_french_404_with_a_way_home(live_server, page):
    """A wrong address shows the French 404 page in the site's layout, with a link home."""
    UserFactory(email="membre@example.org")
    log_in(page, live_server, "membre@example.org")
    response = page.goto(f"{live_server.url}/events/99999999999999999999/")
    assert response.status == 404 and page.locator("h1").inner_text() == "Page introuvable"
    _shoot(page, "404")
    page.get_by_role("link", name="Retour à l’accueil").click()
    page.wait_for_url(f"{live_server.url}/")
