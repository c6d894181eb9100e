"""On a phone: staff add a document to the network's library and link it to an event; a member
finds it on the event's page and downloads it; an outsider gets 404."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from meute.documents.models import Document
from tests.browser.helpers import log_in
from tests.browser.test_accessibility_journey import serious_violations
from tests.factories import (
    EventFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    UserFactory,
)
from tests.files import samples

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("MEUTE_SHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        size = page.viewport_size
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size(size)


def test_staff_upload_link_to_an_event_and_a_member_downloads(live_server, browser, tmp_path):
    """Upload on a phone, link to the event, the member downloads the same bytes; an outsider gets 404."""
    network = NetworkFactory(name="Offensiv’PME")
    NetworkRoleFactory(network=network, user=UserFactory(email="staff@example.org"))
    MembershipFactory(network=network, leader=LeaderFactory(user=UserFactory(email="membre@example.org")))
    MembershipFactory(network=NetworkFactory(), leader=LeaderFactory(user=UserFactory(email="autre@example.org")))
    event = EventFactory(network=network, title="Atelier DUERP")
    slides = tmp_path / "duerp.pdf"
    slides.write_bytes(samples.pdf_bytes("DUERP"))
    errors = []

    def watch(page):
        page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
                if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)

    staff = browser.new_context(locale="fr-FR", viewport=PHONE, bypass_csp=True)
    page = staff.new_page()
    watch(page)
    log_in(page, live_server, "staff@example.org")
    page.goto(f"{live_server.url}/documents/")
    page.get_by_role("link", name="Ajouter un document à Offensiv’PME", exact=True).click()
    page.set_input_files("#id_file", str(slides))
    page.fill("#id_title", "Le DUERP en dix points")
    page.fill("#id_tags", "DUERP, prévention")
    page.get_by_role("button", name="Ajouter à la bibliothèque", exact=True).click()
    expect(page.locator("h1")).to_have_text("Le DUERP en dix points")
    page.select_option("#id_target", label=f"Atelier DUERP — {event.starts_at.astimezone().strftime('%d/%m/%Y')}")
    page.get_by_role("button", name="Lier", exact=True).click()
    expect(page.locator(".msg")).to_have_text("Le document est lié.")
    assert serious_violations(page) == []
    shot(page, "document-staff")
    staff.close()
    document = Document.objects.get()

    member = browser.new_context(locale="fr-FR", viewport=PHONE, bypass_csp=True)
    page = member.new_page()
    watch(page)
    log_in(page, live_server, "membre@example.org")
    page.goto(f"{live_server.url}/events/{event.pk}/")
    linked = page.locator("#linked-documents")
    expect(linked.get_by_role("link", name="Le DUERP en dix points", exact=True)).to_be_visible()
    with page.expect_download() as download:
        linked.get_by_role("link", name="télécharger", exact=True).click()
    assert download.value.suggested_filename == "duerp.pdf"
    assert Path(download.value.path()).read_bytes() == samples.pdf_bytes("DUERP")
    page.goto(f"{live_server.url}/documents/")
    expect(page.get_by_role("link", name="Le DUERP en dix points", exact=True)).to_be_visible()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "document-library-member")
    member.close()
    assert errors == []

    outsider = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = outsider.new_page()
    log_in(page, live_server, "autre@example.org")
    for path in (f"/documents/{document.pk}/", f"/documents/{document.pk}/download/"):
        assert page.goto(live_server.url + path).status == 404
    outsider.close()
