"""A member asks the team with a file, the team routes to an expert, the expert answers, the member
accepts, and the anonymised article is found by search in the knowledge base: at phone width."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from meute.questions.models import Article, Question
from tests.browser.helpers import log_in
from tests.browser.test_accessibility_journey import serious_violations
from tests.factories import (
    CompanyFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    UserFactory,
)
from tests.files.samples import pdf_bytes

SHOTS = os.environ.get("MEUTE_SHOTS")
PHONE = {"width": 390, "height": 844}


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size(PHONE)


def _person(browser, live_server, email):
    page = browser.new_context(locale="fr-FR", viewport=PHONE, bypass_csp=True).new_page()  # axe is injected
    errors = []
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    log_in(page, live_server, email)
    return page, errors


@pytest.mark.django_db(transaction=True)
def test_a_question_from_asking_to_the_knowledge_base(live_server, browser):
    """Ask with a file → route → answer → accept and consent → publish → found by search, with no name."""
    network = NetworkFactory(name="Club des Dirigeants")
    NetworkRoleFactory(network=network, user=UserFactory(email="equipe@example.org"))
    author = MembershipFactory(network=network, leader=LeaderFactory(
        user=UserFactory(email="asker@example.org", first_name="Armelle", last_name="Kerbrat"),
        company=CompanyFactory(name="Kerbrat Menuiserie"))).leader
    MembershipFactory(network=network, leader=LeaderFactory(
        user=UserFactory(email="expert@example.org"), expertise="droit social, recrutement, contrat de travail"))

    member, member_errors = _person(browser, live_server, "asker@example.org")
    member.goto(f"{live_server.url}/networks/{network.slug}/questions/ask/")
    member.fill("#id_title", "Recrutement : quel contrat de travail pour un premier salarié ?")
    member.fill("#id_body", "Chez Kerbrat Menuiserie nous hésitons entre **CDD** et CDI pour un menuisier.")
    member.fill("#id_tags", "recrutement")
    member.set_input_files("#id_attachment", files=[{"name": "fiche de poste.pdf", "mimeType": "application/pdf",
                                                     "buffer": pdf_bytes("Fiche de poste")}])
    member.get_by_role("button", name="Envoyer ma question", exact=True).click()
    expect(member.get_by_role("heading", level=1)).to_contain_text("quel contrat de travail")
    expect(member.get_by_role("link", name="fiche de poste.pdf", exact=True)).to_be_visible()
    question = Question.objects.get()
    assert question.attachments.count() == 1 and question.scope == "team"

    team, team_errors = _person(browser, live_server, "equipe@example.org")
    team.goto(f"{live_server.url}/questions/{question.pk}/")
    assert serious_violations(team) == []
    shot(team, "question-team")
    team.get_by_role("checkbox").first.check()
    team.get_by_role("button", name="Les solliciter", exact=True).click()
    expect(team.locator(".msg, [role=status], .messages").first).to_contain_text("sollicités")

    expert, expert_errors = _person(browser, live_server, "expert@example.org")
    expert.goto(f"{live_server.url}/questions/{question.pk}/")
    expert.fill("#answer_body", "Un **CDI** avec période d'essai : plus simple qu'un CDD, qui demande un motif.")
    expert.get_by_role("button", name="Publier ma réponse", exact=True).click()
    expect(expert.locator("article.answer")).to_contain_text("période d'essai")

    member.reload()
    member.get_by_role("button", name="Accepter cette réponse", exact=True).click()
    expect(member.locator("article.answer .badge-accepted").first).to_be_visible()
    member.get_by_role("button", name="J’accepte", exact=True).click()
    expect(member.locator("#consent")).to_contain_text("Vous avez accepté")
    shot(member, "question-member")

    team.reload()
    team.get_by_role("link", name="Publier dans la base de connaissances", exact=True).click()
    assert "Kerbrat" not in team.locator("#id_body").input_value()
    team.fill("#id_title", "Quel contrat pour un premier salarié ?")
    team.get_by_role("button", name="Publier", exact=True).click()
    expect(team.get_by_role("heading", level=1)).to_have_text("Quel contrat pour un premier salarié ?")
    assert Article.objects.count() == 1

    member.goto(f"{live_server.url}/knowledge/")
    member.fill("#kb-q", "periode d'essai")
    member.get_by_role("button", name="Rechercher", exact=True).click()
    member.get_by_role("link", name="Quel contrat pour un premier salarié ?", exact=True).click()
    expect(member.locator("article")).to_contain_text("période d'essai")
    text = member.locator("main").inner_text()  # the header names the person logged in: the page itself does not
    assert "Kerbrat" not in text and "Armelle" not in text
    assert serious_violations(member) == []
    shot(member, "knowledge-article")
    assert member_errors == team_errors == expert_errors == []
    assert author.user.questions.count() == 1
