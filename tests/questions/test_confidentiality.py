"""Outsiders see nothing of a question: every URL, for each scope and every kind of outsider; an
anonymous author's name reaches no page, notification or e-mail seen by a member."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from meute.members.models import Role
from meute.notifications.models import Notification
from meute.questions import knowledge, services
from meute.territory.models import Department
from tests.factories import MembershipFactory, NetworkFactory, NetworkRoleFactory, UserFactory, peer_group
from tests.files.samples import pdf_bytes, upload
from tests.questions.factories import ask, member_of, team_of

pytestmark = pytest.mark.django_db
SECRET = "Mon associé veut partir avec la caisse"


@pytest.fixture
def world():
    vienne, gironde = Department.objects.get(pk="86"), Department.objects.get(pk="33")
    network = NetworkFactory()
    network.departments.add(vienne)
    neighbour = NetworkFactory()
    neighbour.departments.add(vienne)
    far = NetworkFactory()
    far.departments.add(gironde)
    group = peer_group(network=network)
    staff = team_of(network)
    return {"network": network, "neighbour": neighbour, "far": far, "group": group, "staff": staff,
            "author": group.members.first().leader.user}


def asked(world, scope):
    """A question in ``scope`` with an answer, a comment and a file."""
    extra = {"group": world["group"]} if scope == "group" else {}
    question = ask(world["network"], world["author"], title=SECRET, body=SECRET, scope=scope, **extra)
    services.check_attach(question, upload("bilan.pdf", pdf_bytes()), acting_user=world["author"])
    answer = services.check_answer(question, acting_user=world["staff"], body="Réponse de l'équipe")
    return question, answer


def question_urls(question, answer):
    file = question.attachments.get()
    return [reverse("web:question", args=[question.pk]), reverse("web:question_file", args=[question.pk, file.pk]),
            reverse("web:question_publish", args=[question.pk])]


def post_urls(question, answer):
    return [reverse("web:question_answer", args=[question.pk]), reverse("web:question_comment", args=[question.pk]),
            reverse("web:question_triage", args=[question.pk]), reverse("web:question_consent", args=[question.pk]),
            reverse("web:answer_accept", args=[question.pk, answer.pk]),
            reverse("web:answer_helpful", args=[question.pk, answer.pk])]


def outsiders(world, scope):
    """Every kind of outsider of a question in ``scope``."""
    people = {
        "member of another network": member_of(world["far"]),
        "staff of another network": NetworkRoleFactory(network=world["far"], role=Role.STAFF).user,
        "account without network": UserFactory(),
    }
    if scope in ("team", "group"):
        people["member of the network outside the group"] = member_of(world["network"])
    if scope == "team":
        people["member of the group"] = world["group"].members.last().leader.user
    if scope in ("team", "group", "network"):
        people["member of a neighbour network"] = member_of(world["neighbour"])
    return people


@pytest.mark.parametrize("scope", ["team", "group", "network", "territory"])
def test_every_question_url_is_404_to_outsiders(client, world, scope):
    """Each question, answer and file URL answers 404 to every kind of outsider of its scope."""
    question, answer = asked(world, scope)
    for who, user in outsiders(world, scope).items():
        client.force_login(user)
        for url in question_urls(question, answer):
            assert client.get(url).status_code == 404, (scope, who, url)
        for url in post_urls(question, answer):
            assert client.post(url, {"body": "intrus", "action": "close", "accept": "1"}).status_code == 404, (
                scope, who, url)
        assert SECRET not in client.get(reverse("web:questions")).content.decode()
    question.refresh_from_db()
    assert question.status == "open" and question.answers.count() == 1


def test_anonymous_visitors_are_sent_to_login(client, world):
    """Without a session every question URL asks to log in, and shows nothing."""
    question, answer = asked(world, "network")
    for url in question_urls(question, answer):
        response = client.get(url)
        assert response.status_code == 302 and SECRET not in response.content.decode()


@pytest.mark.parametrize("scope,insider", [("group", "member of the group"), ("network", "member of the network"),
                                           ("territory", "member of a neighbour network")])
def test_readers_of_the_scope_see_it(client, world, scope, insider):
    """Whoever the scope names reads the question and its file."""
    question, _answer = asked(world, scope)
    user = {"member of the group": world["group"].members.last().leader.user,
            "member of the network": member_of(world["network"]),
            "member of a neighbour network": member_of(world["neighbour"])}[insider]
    client.force_login(user)
    assert SECRET in client.get(reverse("web:question", args=[question.pk])).content.decode()
    file_url = reverse("web:question_file", args=[question.pk, question.attachments.get().pk])
    assert client.get(file_url).status_code == 200


def test_a_routed_expert_reads_a_team_only_question(client, world):
    """The team shares a team-only question with the expert it routes it to, and with nobody else."""
    question, _answer = asked(world, "team")
    expert = member_of(world["network"])
    client.force_login(expert)
    assert client.get(reverse("web:question", args=[question.pk])).status_code == 404
    services.check_route(question, [expert], acting_user=world["staff"])
    assert client.get(reverse("web:question", args=[question.pk])).status_code == 200


def test_an_anonymous_authors_name_appears_nowhere_a_member_looks(client, world):
    """Pages, lists, the 'asked by' filter, notifications and e-mails of members never name the anonymous author."""
    author = world["author"]
    author.first_name, author.last_name = "Théodora", "Quintanilla"
    author.save()
    question = ask(world["network"], author, title="Question délicate", body="Texte", scope="network",
                   anonymous=True)
    expert = member_of(world["network"])
    services.check_route(question, [expert], acting_user=world["staff"])
    answer = services.check_answer(question, acting_user=expert, body="Réponse")
    services.check_accept(answer, acting_user=author)
    services.check_consent(question, acting_user=author)
    knowledge.check_publish(question, acting_user=world["staff"], valid_on=datetime.date.today(),
                            **knowledge.draft(question))
    reader = member_of(world["network"])
    for user in (expert, reader):
        client.force_login(user)
        pages = [client.get(url).content.decode() for url in (
            reverse("web:question", args=[question.pk]), reverse("web:questions"),
            reverse("web:questions") + f"?by={author.leader.pk}", reverse("web:knowledge") + "?q=delicate",
            reverse("web:article", args=[question.article.pk]), reverse("web:notifications"),
            reverse("web:profile", args=[author.leader.pk]))]
        assert not any("Quintanilla" in page and "Question délicate" in page for page in pages)
        assert "Quintanilla" not in pages[0] and "Quintanilla" not in pages[4]
        assert "Question délicate" not in pages[2]
    seen = Notification.objects.exclude(recipient__in=[world["staff"], author])
    assert not any("Quintanilla" in n.title + n.body for n in seen) and not seen.filter(actor=author).exists()
    assert not any("Quintanilla" in m.body and m.to != [author.email] for m in mail.outbox
                   if world["staff"].email not in m.to)
    client.force_login(world["staff"])
    assert "Quintanilla" in client.get(reverse("web:question", args=[question.pk])).content.decode()


def test_knowledge_base_is_404_outside_the_network(client, world):
    """An article is read by the network's people only."""
    question, answer = asked(world, "team")
    services.check_accept(answer, acting_user=world["author"])
    services.check_consent(question, acting_user=world["author"])
    article = knowledge.check_publish(question, acting_user=world["staff"], title="Associé sortant",
                                      body="Que faire quand un associé part.", tags="associes",
                                      valid_on=datetime.date.today())
    for user in (member_of(world["far"]), NetworkRoleFactory(network=world["far"], role=Role.STAFF).user):
        client.force_login(user)
        assert client.get(reverse("web:article", args=[article.pk])).status_code == 404
        assert client.get(reverse("web:article_edit", args=[article.pk])).status_code == 404
        assert "Associé sortant" not in client.get(reverse("web:knowledge") + "?q=associe").content.decode()
    client.force_login(MembershipFactory(network=world["network"]).leader.user)
    assert "Associé sortant" in client.get(reverse("web:knowledge") + "?q=associe").content.decode()
    assert client.get(reverse("web:article_edit", args=[article.pk])).status_code == 404
