"""Simultaneous clicks on a question, on PostgreSQL only (SQLite serialises every write)."""

import datetime

import pytest
from django.db import connection

from meute.questions import knowledge, services
from meute.questions.exceptions import QuestionError
from meute.questions.models import Article, HelpfulMark, Question, Status
from tests.concurrency.helpers import race
from tests.factories import NetworkFactory
from tests.questions.factories import ask, member_of, team_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _resolved():
    network = NetworkFactory()
    staff, other_staff = team_of(network), team_of(network)
    question = ask(network, scope="network")
    answer = services.check_answer(question, acting_user=member_of(network), body="Réponse")
    services.check_accept(answer, acting_user=question.author)
    services.check_consent(question, acting_user=question.author)
    return question, answer, staff, other_staff


def test_two_staff_publishing_at_once_make_one_article():
    """Two team members publish the same question at once: one article, the other told it is there."""
    question, _answer, staff, other = _resolved()
    fields = {"title": "Recruter", "body": "Un CDI.", "tags": "recrutement", "valid_on": datetime.date.today()}
    results = race(lambda: knowledge.check_publish(question, acting_user=staff, **fields),
                   lambda: knowledge.check_publish(question, acting_user=other, **fields))
    assert Article.objects.filter(question=question).count() == 1
    assert sum(isinstance(r, QuestionError) for r in results) == 1


def test_a_double_click_on_helpful_leaves_one_mark():
    """Two 'helpful' clicks at once by one person leave one mark and no error."""
    question, answer, _staff, _other = _resolved()
    reader = member_of(question.network)
    results = race(*[lambda: services.check_helpful(answer, acting_user=reader) for _ in range(4)])
    assert results == [True] * 4 and HelpfulMark.objects.filter(answer=answer).count() == 1


def test_closing_while_answering_leaves_no_answer_after_the_close():
    """The team closes while an expert answers: the answer is either in before the close or refused."""
    network = NetworkFactory()
    staff = team_of(network)
    for _ in range(5):
        question = ask(network, scope="network")
        expert = member_of(network)
        results = race(lambda q=question: services.check_close(q, acting_user=staff),
                       lambda q=question, e=expert: services.check_answer(q, acting_user=e, body="Réponse"))
        question.refresh_from_db()
        assert question.status == Status.CLOSED
        answered = question.answers.count()
        assert answered == (0 if isinstance(results[1], QuestionError) else 1)


def test_accepting_two_answers_at_once_keeps_the_status_true():
    """The author and the team accept two answers at once: both accepted, the question resolved."""
    network = NetworkFactory()
    staff = team_of(network)
    question = ask(network, scope="network")
    first = services.check_answer(question, acting_user=member_of(network), body="Un")
    second = services.check_answer(question, acting_user=member_of(network), body="Deux")
    race(lambda: services.check_accept(first, acting_user=question.author),
         lambda: services.check_accept(second, acting_user=staff))
    assert Question.objects.get(pk=question.pk).status == Status.RESOLVED
    assert question.answers.filter(accepted_at__isnull=False).count() == 2
