"""Pages of questions and the knowledge base: French, bad input with a clear message, the team's
triage from the page, the cockpit's themes and the workshop they prefill."""

import datetime

import pytest
from django.urls import reverse

from meute.members.models import Role
from meute.questions import knowledge, services
from meute.questions.models import Attachment, Question
from tests.factories import NetworkFactory, NetworkRoleFactory
from tests.files.samples import HTML_PAGE, pdf_bytes, upload
from tests.questions.factories import ask, member_of, team_of
from tests.web.french import english_left

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    network = NetworkFactory()
    team_of(network)
    return network


def _ask(client, network, **data):
    fields = {"title": "Quel contrat ?", "body": "CDD ou CDI ?", "tags": "recrutement", "scope": "team", **data}
    return client.post(reverse("web:question_ask", args=[network.slug]), fields)


def test_asking_with_a_file_from_the_page(client, network):
    """A member asks with a PDF: the question and its file are stored, the file served to the author."""
    author = member_of(network)
    client.force_login(author)
    response = _ask(client, network, attachment=upload("devis.pdf", pdf_bytes()))
    question = Question.objects.get()
    assert response.status_code == 302 and question.attachments.count() == 1
    file = client.get(reverse("web:question_file", args=[question.pk, question.attachments.get().pk]))
    assert file.status_code == 200 and file["X-Content-Type-Options"] == "nosniff"


def test_a_file_whose_content_lies_is_refused_and_nothing_is_kept(client, network):
    """An HTML page named .pdf is refused with a message; no question is created."""
    client.force_login(member_of(network))
    response = _ask(client, network, attachment=upload("devis.pdf", HTML_PAGE), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200 and "PDF" in response.content.decode()
    assert not Question.objects.exists() and not Attachment.objects.exists()


def test_a_refusal_after_the_file_is_saved_leaves_neither_question_nor_file(client, network, monkeypatch):
    """The file is saved, then its row is refused: the page says why, no question and no file remain."""
    from meute.files.storage import private_storage
    from meute.questions.exceptions import QuestionError

    def refused(**fields):
        raise QuestionError("refusé après l'enregistrement du fichier", field="attachment")

    storage = private_storage()
    before = set(storage.listdir("questions")[1]) if storage.exists("questions") else set()
    monkeypatch.setattr(Attachment.objects, "create", refused)
    client.force_login(member_of(network))
    response = _ask(client, network, attachment=upload("devis.pdf", pdf_bytes()))
    assert response.status_code == 200 and "refusé après" in response.content.decode()
    assert not Question.objects.exists()
    assert (set(storage.listdir("questions")[1]) if storage.exists("questions") else set()) == before


def test_a_file_too_large_is_refused(client, network, settings):
    """Beyond the upload limit the message names the limit."""
    settings.MEUTE_UPLOAD_MAX_BYTES = 1000
    client.force_login(member_of(network))
    response = _ask(client, network, attachment=upload("devis.pdf", pdf_bytes() + b" " * 2000))
    assert response.status_code == 200 and not Question.objects.exists()
    assert "1000" in response.content.decode() or "1,0" in response.content.decode()


def test_a_scope_the_author_does_not_belong_to_is_refused(client, network):
    """The peer-group scope is not offered to a member without a group: choosing it is an invalid choice."""
    client.force_login(member_of(network))
    response = _ask(client, network, scope="group")
    assert response.status_code == 200 and not Question.objects.exists()


def test_asking_another_network_is_404(client, network):
    """A member cannot open the question form of a network they do not belong to."""
    client.force_login(member_of(NetworkFactory()))
    assert client.get(reverse("web:question_ask", args=[network.slug])).status_code == 404


def test_the_team_routes_details_and_publishes_from_the_page(client, network):
    """Routing, asking for details and publishing go through the page's forms."""
    staff = network.roles.get(role=Role.STAFF).user
    expert = member_of(network, expertise="recrutement, contrat de travail")
    question = ask(network, title="Recrutement : quel contrat de travail ?")
    client.force_login(staff)
    page = client.get(reverse("web:question", args=[question.pk])).content.decode()
    assert expert.leader.full_name in page
    url = reverse("web:question_triage", args=[question.pk])
    client.post(url, {"action": "route", "experts": [expert.pk]})
    assert question.routings.filter(expert=expert).exists()
    client.post(url, {"action": "details", "body": "Quelle convention collective ?"})
    question.refresh_from_db()
    assert question.status == "details"
    answer = services.check_answer(question, acting_user=expert, body="Un CDI.")
    services.check_accept(answer, acting_user=question.author)
    services.check_consent(question, acting_user=question.author)
    response = client.post(reverse("web:question_publish", args=[question.pk]), {
        "title": "Quel contrat pour recruter ?", "body": "Un CDI.", "tags": "recrutement",
        "valid_on": datetime.date.today().isoformat()})
    assert response.status_code == 302 and question.article.title == "Quel contrat pour recruter ?"


def test_pages_are_french(client, network):
    """The question, its list, the knowledge base, an article and the obligations read in French."""
    staff = network.roles.get(role=Role.STAFF).user
    question = ask(network, scope="network")
    answer = services.check_answer(question, acting_user=staff, body="Oui.")
    services.check_accept(answer, acting_user=question.author)
    services.check_consent(question, acting_user=question.author)
    article = knowledge.check_publish(question, acting_user=staff, title="Recruter", body="Un CDI.",
                                      tags="recrutement", valid_on=datetime.date.today())
    pages = {staff: [reverse("web:question", args=[question.pk]), reverse("web:questions"),
                     reverse("web:knowledge"), reverse("web:article", args=[article.pk]),
                     reverse("web:obligations", args=[network.slug]),
                     reverse("web:question_publish", args=[question.pk])],
             question.author: [reverse("web:question", args=[question.pk]), reverse("web:question_ask",
                                                                                      args=[network.slug])]}
    left = {}
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
            assert response.status_code == 200, url
            found = english_left(response.content.decode())
            if found:
                left[url] = found
    assert left == {}


def test_the_cockpit_shows_themes_with_a_workshop_link(client, network):
    """Two members asking about recruitment show on the cockpit; the link prefills a workshop."""
    staff = network.roles.get(role=Role.STAFF).user
    ask(network, tags="recrutement")
    ask(network, tags="recrutement")
    client.force_login(staff)
    page = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "2 questions sur « recrutement » ce trimestre" in page
    form = client.get(reverse("web:event_create", args=[network.slug]) + "?kind=workshop&themes=recrutement"
                      "&title=recrutement").content.decode()
    assert 'value="recrutement"' in form and 'value="workshop" selected' in form


def test_staff_of_another_network_cannot_see_the_obligations(client, network):
    """The obligations page is the network's staff's only."""
    client.force_login(NetworkRoleFactory(role=Role.STAFF).user)
    assert client.get(reverse("web:obligations", args=[network.slug])).status_code == 404


def test_the_experts_home_lists_questions_routed_to_them_and_the_profile_shows_the_badge(client, network):
    """A routed question waits on the expert's home until answered; an accepted answer shows on their profile."""
    staff = network.roles.get(role=Role.STAFF).user
    expert = member_of(network)
    question = ask(network, title="Quelle mutuelle choisir ?")
    services.check_route(question, [expert], acting_user=staff)
    client.force_login(expert)
    assert "Quelle mutuelle choisir ?" in client.get(reverse("web:home")).content.decode()
    answer = services.check_answer(question, acting_user=expert, body="Celle de la branche.")
    assert "Quelle mutuelle choisir ?" not in client.get(reverse("web:home")).content.decode()
    services.check_accept(answer, acting_user=question.author)
    client.force_login(question.author)
    profile = client.get(reverse("web:profile", args=[expert.leader.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert "expert : 1 réponse acceptée" in profile.content.decode()
