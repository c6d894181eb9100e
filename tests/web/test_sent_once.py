"""Creation pages sent twice (a double click, a reload): one object, and the second sending shows it."""

import re

import pytest
from django.urls import reverse

from meute.events.models import Event
from meute.questions.models import Question
from tests.factories import NetworkFactory, NetworkRoleFactory
from tests.questions.factories import member_of, team_of
from tests.web.test_bounds import event_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def notices_at_once(monkeypatch):
    from meute.questions import notices

    monkeypatch.setattr(notices.transaction, "on_commit", lambda fn, *a, **k: fn())


def form_key(client, url):
    """The one-time key the page put in its form."""
    page = client.get(url).content.decode()
    return re.search(r'name="submission" value="([0-9a-f]+)"', page).group(1)


def test_the_event_page_sent_twice_creates_one_event_and_shows_it_both_times(client):
    """Both sendings of the new-event form land on the same, single event."""
    staff = NetworkRoleFactory()
    client.force_login(staff.user)
    url = reverse("web:event_create", args=[staff.network.slug])
    data = event_data(submission=form_key(client, url))
    first, second = client.post(url, data), client.post(url, data)
    event = Event.objects.get()
    assert (first.status_code, first["Location"], second["Location"]) == (302, f"/events/{event.pk}/",
                                                                          f"/events/{event.pk}/")


def test_the_ask_page_sent_twice_asks_one_question_and_shows_it_both_times(client):
    """Both sendings of the asking form land on the same, single question."""
    network = NetworkFactory()
    team_of(network)
    client.force_login(member_of(network))
    url = reverse("web:question_ask", args=[network.slug])
    data = {"title": "Quel contrat ?", "body": "CDD ou CDI ?", "scope": "team", "submission": form_key(client, url)}
    first, second = client.post(url, data), client.post(url, data)
    question = Question.objects.get()
    assert (first["Location"], second["Location"]) == (f"/questions/{question.pk}/", f"/questions/{question.pk}/")


def test_a_repeat_shows_one_message_when_the_first_answer_was_never_read(client):
    """The first sending's answer dropped (its message unread), the repeat's page says « déjà envoyé » alone."""
    staff = NetworkRoleFactory()
    client.force_login(staff.user)
    url = reverse("web:event_create", args=[staff.network.slug])
    data = event_data(submission=form_key(client, url))
    client.post(url, data)
    page = client.post(url, data, follow=True, headers={"accept-language": "fr"}).content.decode()
    assert ("Ce formulaire était déjà envoyé" in page, "événement est publié" in page) == (True, False)
