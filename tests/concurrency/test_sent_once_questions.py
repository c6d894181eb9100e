"""Answers, comments, knowledge-base articles and library documents: one form sent four times at the same
instant, on PostgreSQL only: one object, one stored file, one audit entry, one notice, and the other
sendings are shown the first object."""

import datetime

import pytest
from django.db import connection

from meute.core.models import AuditEntry
from meute.core.submissions import new_key
from meute.documents.models import Document, DocumentVersion
from meute.documents.services import check_add_document
from meute.files.storage import atomic_with_files, private_storage
from meute.notifications.models import Kind, Notification
from meute.questions import knowledge, services
from meute.questions.models import Answer, Article, Attachment, Comment
from tests.concurrency.helpers import outcomes_of, race, sent_once
from tests.documents.factories import staff_of
from tests.factories import NetworkFactory
from tests.files.samples import pdf_bytes, upload
from tests.questions.factories import ask, member_of, shareable, team_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]
SENDINGS = 4


def stored_files(folder):
    """The names of the private files under ``folder``."""
    storage = private_storage()
    return set(storage.listdir(folder)[1]) if storage.exists(folder) else set()


def test_an_answer_form_sent_four_times_at_once_with_its_file_answers_once():
    """Four sendings of one answer with its file at the same instant: one answer, one file, one audit entry,
    the author told once."""
    network = NetworkFactory()
    team_of(network)
    question = ask(network, scope="network")
    expert, key, before = member_of(network), new_key(), stored_files("questions")

    def send():  # what the answer page does: the answer, then its file, in one block
        with atomic_with_files():
            posted = services.check_answer(question, acting_user=expert, body="Un CDI.", submission=key)
            services.check_attach(question, upload("devis.pdf", pdf_bytes()), acting_user=expert, answer=posted)
        return posted

    results = race(*[sent_once(send) for _ in range(SENDINGS)])
    answer, joined = Answer.objects.get(), Attachment.objects.get()
    assert (outcomes_of(results), joined.answer_id, stored_files("questions") - before,
            AuditEntry.objects.filter(action="questions.answer.posted").count(),
            Notification.objects.filter(kind=Kind.QUESTION_ANSWERED, recipient=question.author).count()) == (
        (["created", "repeat", "repeat", "repeat"], {answer.pk}), answer.pk, {joined.file.name.split("/")[-1]},
        1, 1)


def test_a_comment_form_sent_four_times_at_once_comments_once_and_tells_the_team_once():
    """Four sendings of the author's reply to a request for details at the same instant: one comment, one
    audit entry, the team told once that details were given."""
    network = NetworkFactory()
    staff = team_of(network)
    question = ask(network, scope="network")
    services.check_ask_details(question, acting_user=staff, body="Quelle convention ?")
    told_before, key = Notification.objects.filter(recipient=staff).count(), new_key()
    results = race(*[sent_once(lambda: services.check_comment(question, acting_user=question.author,
                                                              body="Syntec.", submission=key))
                     for _ in range(SENDINGS)])
    comment = Comment.objects.get(question=question, author=question.author)
    assert (outcomes_of(results), AuditEntry.objects.filter(action="questions.comment.posted").count(),
            Notification.objects.filter(recipient=staff).count() - told_before) == (
        (["created", "repeat", "repeat", "repeat"], {comment.pk}), 1, 1)


def test_a_publishing_form_sent_four_times_at_once_makes_one_article():
    """Four sendings of one publishing form at the same instant: one article, one audit entry, and no
    "already published" error for the repeats."""
    network = NetworkFactory()
    staff = team_of(network)
    question = shareable(network)
    key = new_key()
    results = race(*[sent_once(lambda: knowledge.check_publish(
        question, acting_user=staff, title="Recruter", body="Un CDI.", tags="recrutement",
        valid_on=datetime.date.today(), submission=key)) for _ in range(SENDINGS)])
    article = Article.objects.get()
    assert (outcomes_of(results), AuditEntry.objects.filter(action="questions.article.published").count()) == (
        (["created", "repeat", "repeat", "repeat"], {article.pk}), 1)


def test_a_new_document_form_sent_four_times_at_once_adds_one_document_and_one_file():
    """Four sendings of one new-document form at the same instant: one document, one version, one stored
    file, one audit entry."""
    network = NetworkFactory()
    staff, key, before = staff_of(network), new_key(), stored_files(f"documents/{network.pk}")
    results = race(*[sent_once(lambda: check_add_document(
        network, acting_user=staff, uploaded=upload("guide.pdf", pdf_bytes()), title="Guide du DUERP",
        scope="network", submission=key)) for _ in range(SENDINGS)])
    document, version = Document.objects.get(), DocumentVersion.objects.get()
    assert (outcomes_of(results), version.document_id, stored_files(f"documents/{network.pk}") - before,
            AuditEntry.objects.filter(action="documents.document.created").count()) == (
        (["created", "repeat", "repeat", "repeat"], {document.pk}), document.pk,
        {version.file.name.split("/")[-1]}, 1)
