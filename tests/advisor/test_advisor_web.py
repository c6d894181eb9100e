import pytest
from django.core import mail

from meute.advisor.models import Advice
from meute.members.models import Network
from tests.factories import LeaderFactory, NetworkFactory, TerritoryAdviserFactory, UserFactory

pytestmark = pytest.mark.django_db

ANSWERS = {"goals": ["isolement", "business"], "naf": "62.01Z", "commune": "86194", "tags": ["jeune_dirigeant"],
           "hours_per_month": "6", "budget_eur": "1000"}


@pytest.fixture
def networks():
    from meute.territory.models import Department

    near = NetworkFactory(name="Club Poitiers", slug="club-poitiers", family="geographic", home_commune_id="86194",
                          hours_per_month=2, fee_amount=100)
    near.departments.set(Department.objects.filter(code="86"))
    far = NetworkFactory(name="Club Rochelais", slug="club-rochelais", family="business", home_commune_id="17300")
    far.departments.set(Department.objects.filter(code="17"))
    return near, far


def test_questionnaire_ranks_networks_with_reasons(client, networks):
    """A leader's answers give ranked networks, each with its reasons, and a strategy."""
    client.force_login(UserFactory())
    html = client.post("/advisor/", ANSWERS).content.decode()
    assert "Club Poitiers" in html and html.count('class="fit"') >= 2
    assert 'id="strategy"' in html
    assert html.index("Club Poitiers") < html.index("Club Rochelais")


def test_questionnaire_bad_budget_shows_a_message(client, networks):
    """A budget of -5 is refused on its field."""
    client.force_login(UserFactory())
    html = client.post("/advisor/", {**ANSWERS, "budget_eur": "-5"}).content.decode()
    assert "id_budget_eur_error" in html and 'id="advice"' not in html


def test_questionnaire_unknown_commune_shows_a_message(client, networks):
    """A commune that does not exist is named in the message."""
    client.force_login(UserFactory())
    html = client.post("/advisor/", {**ANSWERS, "commune": "99999"}).content.decode()
    assert "id_commune_error" in html and "99999" in html


def test_adviser_saves_and_sends_the_advice(client, networks, django_capture_on_commit_callbacks):
    """An adviser saves the result and it is mailed to the leader."""
    client.force_login(TerritoryAdviserFactory().user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/advisor/", {**ANSWERS, "email": "leader@example.org", "save": "1"})
    assert Advice.objects.get().email == "leader@example.org"
    assert mail.outbox[-1].to == ["leader@example.org"] and "Club Poitiers" in mail.outbox[-1].body


def test_territory_directory_filters_and_groups_by_department(client, networks):
    """The directory lists every network by département and filters by département."""
    client.force_login(UserFactory())
    html = client.get("/territory/networks/").content.decode()
    assert "Club Poitiers" in html and "Club Rochelais" in html and "Vienne (86)" in html
    html = client.get("/territory/networks/", {"department": "17"}).content.decode()
    assert "Club Rochelais" in html and "Club Poitiers" not in html


def test_territory_network_page_and_edit_permissions(client, networks):
    """Anyone logged in reads a network's page; only territory staff edit it (404 otherwise)."""
    client.force_login(UserFactory())
    assert client.get("/territory/networks/club-poitiers/").status_code == 200
    assert client.get("/territory/networks/club-poitiers/edit/").status_code == 404
    assert client.get("/territory/networks/new/").status_code == 404
    client.force_login(TerritoryAdviserFactory(department_id="86").user)
    response = client.post("/territory/networks/new/", {
        "name": "Club du Futur", "family": "thematic", "scope": "department", "departments": ["86"],
        "home_commune": "86194", "fee_amount": "50", "fee_period": "year", "allows_business": "on"})
    assert response.status_code == 302
    assert not Network.objects.get(slug="club-du-futur").managed


def test_meetings_page_for_a_member(client):
    """The page of people to meet opens for a member, and outsiders get 404 on staff introductions."""
    leader = LeaderFactory()
    client.force_login(leader.user)
    assert client.get("/meetings/").status_code == 200
    assert client.get("/meetings/introductions/staff/").status_code == 404


def test_introduction_limit_is_explained_in_french(client, settings):
    """Past the daily limit the page of people to meet says why, in French, and nothing is sent."""
    from meute.advisor.models import Introduction
    from tests.advisor.helpers_advisor import member

    settings.MEUTE_INTRODUCTIONS_PER_DAY = 1
    network = NetworkFactory()
    me, first, second = member(network), member(NetworkFactory()), member(NetworkFactory())
    client.force_login(me.user)
    client.post(f"/meetings/ask/{first.pk}/", {"message": "Bonjour"})
    page = client.post(f"/meetings/ask/{second.pk}/", {"message": "Bonjour"}, follow=True)
    assert "1 demande de mise en relation par 24 heures" in page.content.decode()
    assert list(Introduction.objects.filter(requester=me).values_list("target", flat=True)) == [first.pk]
