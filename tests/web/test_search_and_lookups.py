"""The header search, the commune and activity look-ups, the profile's introduction form and the
installable app's files."""

import json

import pytest

from meute.advisor.models import Introduction
from meute.members.models import Leader
from meute.members.services import refresh_directory_flag
from tests.factories import EventFactory, LeaderFactory, MembershipFactory, NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db


def _person(network, first, last, *, listed=True):
    leader = LeaderFactory(user=UserFactory(first_name=first, last_name=last), listed=listed)
    MembershipFactory(network=network, leader=leader)
    refresh_directory_flag(leader)
    return Leader.objects.get(pk=leader.pk)


@pytest.fixture
def networks():
    a, b = NetworkFactory(name="Réseau Alpha"), NetworkFactory(name="Réseau Beta")
    return {
        "a": a, "b": b,
        "listed": _person(a, "Zéphirin", "Quillebeuf"),
        "unlisted": _person(a, "Zéphirine", "Quillebeuf", listed=False),
        "member_b": MembershipFactory(network=b).leader.user,
        "member_a": MembershipFactory(network=a).leader.user,
    }


def _names(client, text):
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    return [f"{p.user.first_name} {p.user.last_name}" for p in response.context["found"]["people"]]


def test_search_finds_a_listed_member(client, networks):
    """A member finds a listed member of their network by name, accents left out."""
    client.force_login(networks["member_a"])
    assert _names(client, "zephirin quillebeuf") == ["Zéphirin Quillebeuf"]


def test_search_never_finds_an_unlisted_person_for_another_networks_member(client, networks):
    """A member of another network finds the listed person but never the unlisted one."""
    client.force_login(networks["member_b"])
    names = _names(client, "quillebeuf")
    assert "Zéphirine Quillebeuf" not in names
    assert "Zéphirine" not in client.get("/search/", {"q": "zephirine"}).content.decode()


def test_search_finds_nobody_for_an_outsider(client, networks):
    """Someone with an account but no membership finds no person at all, listed or not."""
    client.force_login(UserFactory())
    assert _names(client, "quillebeuf") == []
    assert "Quillebeuf" not in client.get("/search/", {"q": "quillebeuf"}).content.decode()


def test_search_shows_members_only_events_to_their_network_only(client, networks):
    """A members-only event of network A is found by A's member, not by B's."""
    EventFactory(network=networks["a"], audience="members", title="Atelier confidentiel")
    client.force_login(networks["member_a"])
    assert "Atelier confidentiel" in client.get("/search/", {"q": "confidentiel"}).content.decode()
    client.force_login(networks["member_b"])
    assert "Atelier confidentiel" not in client.get("/search/", {"q": "confidentiel"}).content.decode()


def test_commune_lookup_finds_by_folded_name_prefix(client):
    """"saint etie" finds Saint-Étienne with its postal code; results are bounded."""
    data = client.get("/communes/", {"q": "saint etie"}).json()["results"]
    assert data[0]["insee"] == "42218" and data[0]["label"] == "Saint-Étienne (42000)"
    assert len(client.get("/communes/", {"q": "sa"}).json()["results"]) <= 12


def test_activity_lookup_finds_trade_words(client):
    """"plombier" and "expert-comptable" find their NAF codes; "boulanger" finds 10.71C and 47.24Z."""
    codes = lambda q: [r["code"] for r in client.get("/activities/", {"q": q}).json()["results"]]  # noqa: E731
    assert codes("plombier")[0] == "43.22A"
    assert codes("expert-comptable")[0] == "69.20Z"
    assert {"10.71C", "47.24Z"} <= set(codes("boulanger"))


def test_directory_filters_by_trade_word(client, networks):
    """The directory's activity filter reads "plombier" as NAF 43.22A."""
    plumber = _person(networks["a"], "Paul", "Tuyau")
    plumber.company.naf_code = "43.22A"
    plumber.company.save()
    client.force_login(networks["member_a"])
    response = client.get("/directory/", {"naf": "plombier"})
    assert [row["id"] for row in response.context["page"]] == [plumber.pk]


def test_profile_offers_an_introduction(client, networks):
    """Another member's profile has "ask for an introduction"; asking from it creates the request."""
    client.force_login(networks["member_a"])
    target = networks["listed"]
    assert "intro-message" in client.get(f"/members/{target.pk}/").content.decode()
    response = client.post(f"/meetings/ask/{target.pk}/", {"message": "Bonjour", "from": "profile"})
    assert response.status_code == 302 and response.url == f"/members/{target.pk}/"
    assert Introduction.objects.filter(requester__user=networks["member_a"], target=target).count() == 1


def test_manifest_is_french_with_png_icons(client):
    """The web app manifest names the app in French, with PNG icons and a theme colour."""
    response = client.get("/manifest.webmanifest")
    data = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json"
    assert data["lang"] == "fr" and data["theme_color"] and data["start_url"] == "/"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in data["icons"]}
    assert all(icon["type"] == "image/png" for icon in data["icons"])


def test_service_worker_is_served_at_the_root_scope(client):
    """/sw.js is JavaScript allowed to control the whole site, never cached stale."""
    response = client.get("/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]


def test_personal_pages_name_their_viewer_and_logout_clears_site_data(client, networks):
    """Pages carry an opaque viewer key (empty when logged out); logging out sends Clear-Site-Data."""
    user = networks["member_a"]
    client.force_login(user)
    key = client.get("/directory/")["X-Meute-Viewer"]
    assert key and str(user.pk) != key
    response = client.post("/logout/")
    assert '"storage"' in response["Clear-Site-Data"]
    assert client.get("/login/")["X-Meute-Viewer"] == ""


def test_commune_field_reads_a_name_a_suggestion_or_a_code():
    """The commune field cleans "Poitiers", "Poitiers (86000)" and "86194" to the same INSEE code."""
    from meute.web.lookups.fields import CommuneField

    field = CommuneField(label="Commune")
    assert {field.clean("Poitiers"), field.clean("Poitiers (86000)"), field.clean("86194")} == {"86194"}


def test_commune_field_refuses_an_unknown_name_clearly():
    """An unknown commune is a field error that quotes what was typed."""
    from django import forms as django_forms

    from meute.web.lookups.fields import CommuneField

    with pytest.raises(django_forms.ValidationError, match="Nulle-Part-sur-Rien"):
        CommuneField(label="Commune").clean("Nulle-Part-sur-Rien")


def test_activity_field_takes_a_trade_and_lists_choices_when_several_match():
    """"plombier" cleans to 43.22A; "boulanger" asks to choose and names the candidates."""
    from django import forms as django_forms

    from meute.web.lookups.fields import ActivityField

    field = ActivityField(label="Activité")
    assert field.clean("plombier") == "43.22A"
    assert field.clean("43.22A Travaux d'installation d'eau et de gaz en tous locaux") == "43.22A"
    with pytest.raises(django_forms.ValidationError, match=r"10\.71C"):
        field.clean("boulanger")
