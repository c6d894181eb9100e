"""Answers, comments, knowledge-base articles and library documents sent twice (a double click, a reload):
one object, one stored file, and the second sending lands where the first did."""

import datetime
import re

import pytest
from django.urls import reverse

from meute.documents.models import Document, DocumentVersion
from meute.files.storage import private_storage
from meute.questions.models import Answer, Article, Attachment, Comment
from tests.documents.factories import staff_of
from tests.factories import NetworkFactory
from tests.files.samples import pdf_bytes, upload
from tests.questions.factories import ask, member_of, shareable, team_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def notices_at_once(monkeypatch):
    from meute.questions import notices

    monkeypatch.setattr(notices.transaction, "on_commit", lambda fn, *a, **k: fn())


def form_key(client, url, prefix="id_"):
    """The one-time key the page put in its form (the one whose field id starts with ``prefix``)."""
    page = client.get(url).content.decode()
    keys = re.findall(rf'name="submission" value="([0-9a-f]+)" id="{prefix}submission"', page)
    assert len(keys) == 1, keys
    return keys[0]


def stored_files(folder):
    """The names of the private files under ``folder``."""
    storage = private_storage()
    return set(storage.listdir(folder)[1]) if storage.exists(folder) else set()


def test_the_answer_form_sent_twice_with_its_file_stores_one_answer_and_one_file(client):
    """Both sendings of an answer with its PDF land on the question, which has one answer and one stored file."""
    network = NetworkFactory()
    team_of(network)
    question = ask(network, scope="network")
    client.force_login(member_of(network))
    page = reverse("web:question", args=[question.pk])
    url = reverse("web:question_answer", args=[question.pk])
    key, before = form_key(client, page, "answer_"), stored_files("questions")
    first, second = [client.post(url, {"body": "Un CDI.", "submission": key,
                                       "attachment": upload("devis.pdf", pdf_bytes())}) for _ in range(2)]
    answer, joined = Answer.objects.get(), Attachment.objects.get()
    assert (joined.answer_id, stored_files("questions") - before, first["Location"], second["Location"]) == (
        answer.pk, {joined.file.name.split("/")[-1]}, page, page)


def test_the_comment_form_sent_twice_adds_one_comment_and_goes_back_to_the_question_both_times(client):
    """Both sendings of the comment form land on the question's page, which has one comment."""
    network = NetworkFactory()
    team_of(network)
    question = ask(network, scope="network")
    client.force_login(member_of(network))
    page = reverse("web:question", args=[question.pk])
    url = reverse("web:question_comment", args=[question.pk])
    data = {"body": "Quelle convention collective ?", "submission": form_key(client, page, "comment_")}
    first, second = client.post(url, data), client.post(url, data)
    assert (Comment.objects.filter(question=question).count(), first["Location"], second["Location"]) == (
        1, page, page)


def test_the_publishing_form_sent_twice_makes_one_article_and_shows_it_both_times(client):
    """Both sendings of the publishing form land on the same, single article (no "already published" error)."""
    network = NetworkFactory()
    staff = team_of(network)
    question = shareable(network)
    client.force_login(staff)
    url = reverse("web:question_publish", args=[question.pk])
    data = {"title": "Recruter", "body": "Un CDI.", "tags": "recrutement",
            "valid_on": datetime.date.today().isoformat(), "submission": form_key(client, url)}
    first, second = client.post(url, data), client.post(url, data)
    article = Article.objects.get()
    shown = reverse("web:article", args=[article.pk])
    assert (first["Location"], second["Location"]) == (shown, shown)


def test_the_new_document_form_sent_twice_with_its_file_adds_one_document_and_one_file(client):
    """Both sendings of the new-document form land on the same document, with one version and one stored file."""
    network = NetworkFactory()
    client.force_login(staff_of(network))
    url = reverse("web:document_create", args=[network.slug])
    key, folder = form_key(client, url), f"documents/{network.pk}"
    before = stored_files(folder)
    first, second = [client.post(url, {"title": "Guide du DUERP", "scope": "network", "submission": key,
                                       "file": upload("guide.pdf", pdf_bytes())}) for _ in range(2)]
    document, version = Document.objects.get(), DocumentVersion.objects.get()
    shown = reverse("web:document", args=[document.pk])
    assert (version.document_id, stored_files(folder) - before, first["Location"], second["Location"]) == (
        document.pk, {version.file.name.split("/")[-1]}, shown, shown)
