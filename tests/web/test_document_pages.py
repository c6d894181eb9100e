"""Pages of the library: every document URL is 404 to every kind of outsider, for each scope;
uploads refused with their reason; event and meeting pages list only what the viewer may read."""

import pytest
from django.urls import reverse

from meute.documents.models import Document, Scope
from meute.documents.services import check_link
from meute.territory.models import Department
from tests.documents.factories import add_document, staff_of
from tests.factories import EventFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory, UserFactory, peer_group
from tests.files import samples
from tests.web.french import english_left

pytestmark = pytest.mark.django_db

# Who reads a document of each scope (staff and the group's facilitator manage their network's library).
READERS = {
    Scope.TEAM: {"staff"},
    Scope.GROUP: {"staff", "facilitator", "group_member"},
    Scope.NETWORK: {"staff", "facilitator", "group_member", "network_member"},
    Scope.TERRITORY: {"staff", "facilitator", "group_member", "network_member", "territory_member"},
}
TITLES = {Scope.TEAM: "Note d’équipe", Scope.GROUP: "Support du groupe", Scope.NETWORK: "Guide du réseau",
          Scope.TERRITORY: "Annuaire du territoire"}
PEOPLE = ("anonymous", "account", "staff", "facilitator", "group_member", "network_member", "territory_member",
          "other_member", "other_staff")


@pytest.fixture
def world():
    here, elsewhere = Department.objects.order_by("code")[:2]
    group = peer_group(members=1)
    network = group.network
    network.departments.set([here])
    neighbour, other = NetworkFactory(), NetworkFactory()
    neighbour.departments.set([here])
    other.departments.set([elsewhere])
    people = {
        "anonymous": None, "account": UserFactory(), "staff": staff_of(network), "facilitator": group.facilitator,
        "group_member": group.members.first().leader.user,
        "network_member": MembershipFactory(network=network).leader.user,
        "territory_member": MembershipFactory(network=neighbour).leader.user,
        "other_member": MembershipFactory(network=other).leader.user, "other_staff": staff_of(other),
    }
    documents = {scope: add_document(network, staff=people["staff"], scope=scope,
                                     group=group if scope == Scope.GROUP else None, title=TITLES[scope])
                 for scope in Scope.values}
    return {"people": people, "documents": documents, "group": group, "network": network}


def read_urls(document) -> list[str]:
    version = document.current
    return [reverse("web:document", args=[document.pk]), reverse("web:document_download", args=[document.pk]),
            reverse("web:document_version_download", args=[document.pk, version.pk])]


def manage_urls(document) -> list[str]:
    link = document.links.first()
    urls = [reverse(name, args=[document.pk]) for name in ("web:document_version_create", "web:document_update",
                                                           "web:document_link", "web:document_delete")]
    return urls + ([reverse("web:document_unlink", args=[document.pk, link.pk])] if link else [])


@pytest.mark.parametrize("scope", Scope.values)
def test_every_document_url_is_404_to_every_outsider_of_its_scope(client, world, scope):
    """For each scope, each reading and managing URL answers 404 to everyone outside it (anonymous: login)."""
    document = world["documents"][scope]
    check_link(document, acting_user=world["people"]["staff"], event=EventFactory(network=world["network"]))
    for who in PEOPLE:
        user = world["people"][who]
        client.logout()
        if user is not None:
            client.force_login(user)
        reader = who in READERS[scope]
        for url in read_urls(document):
            status = client.get(url).status_code
            expected = 302 if user is None else 200 if reader else 404
            assert status == expected, (who, url, status)
        if not reader:
            for url in manage_urls(document):
                status = client.post(url).status_code
                assert status == (302 if user is None else 404), (who, url, status)
    assert Document.objects.filter(pk=document.pk).exists()


def test_members_cannot_manage_what_they_read(client, world):
    """A member who reads a network document gets 404 on its managing URLs; nothing changes."""
    document = world["documents"][Scope.NETWORK]
    client.force_login(world["people"]["network_member"])
    for url in manage_urls(document):
        assert client.post(url, {"title": "x", "scope": "team"}).status_code == 404, url
    assert Document.objects.get(pk=document.pk).scope == Scope.NETWORK


def test_the_library_lists_only_what_the_person_may_read(client, world):
    """The territory member's list holds the territory document only; the group member's, three."""
    client.force_login(world["people"]["territory_member"])
    page = client.get(reverse("web:documents")).content.decode()
    assert TITLES["territory"] in page and TITLES["network"] not in page and TITLES["team"] not in page
    client.force_login(world["people"]["group_member"])
    page = client.get(reverse("web:documents")).content.decode()
    assert all(TITLES[s] in page for s in ("group", "network", "territory")) and TITLES["team"] not in page


def test_the_event_page_lists_only_readable_linked_documents(client, world):
    """An event shows a linked team document to staff, never to a member; the network document to both."""
    event = EventFactory(network=world["network"])
    staff = world["people"]["staff"]
    for scope in (Scope.TEAM, Scope.NETWORK):
        check_link(world["documents"][scope], acting_user=staff, event=event)
    client.force_login(world["people"]["network_member"])
    page = client.get(reverse("web:event", args=[event.pk])).content.decode()
    assert TITLES["network"] in page and TITLES["team"] not in page
    client.force_login(staff)
    page = client.get(reverse("web:event", args=[event.pk])).content.decode()
    assert TITLES["network"] in page and TITLES["team"] in page


def test_the_meeting_page_lists_the_groups_document(client, world):
    """The group's document linked from its meeting shows on the meeting page to a member of the group."""
    group = world["group"]
    meeting = group.meetings.first()
    check_link(world["documents"][Scope.GROUP], acting_user=group.facilitator, meeting=meeting)
    client.force_login(world["people"]["group_member"])
    page = client.get(reverse("web:meeting", args=[meeting.pk])).content.decode()
    assert TITLES["group"] in page


def test_download_is_an_attachment_with_safe_headers(client, world):
    """The download sends the file as an attachment, never sniffed, sandboxed, not cached."""
    document = world["documents"][Scope.NETWORK]
    client.force_login(world["people"]["network_member"])
    response = client.get(reverse("web:document_download", args=[document.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == samples.pdf_bytes()


def test_upload_from_the_page_and_a_refused_file(client, world):
    """Staff upload a spreadsheet from the page; an SVG named .png is refused with its reason, nothing added."""
    network = world["network"]
    client.force_login(world["people"]["staff"])
    url = reverse("web:document_create", args=[network.slug])
    page = client.get(url).content.decode()
    assert english_left(page) == []
    response = client.post(url, {"title": "Logo", "scope": "network",
                                 "file": samples.upload("logo.png", samples.SVG_SCRIPT, "image/png")})
    assert response.status_code == 200
    assert "n’est pas une image valide" in response.content.decode()
    assert not Document.objects.filter(title="Logo").exists()
    response = client.post(url, {"title": "Grille DUERP", "scope": "team", "tags": "DUERP",
                                 "file": samples.upload("grille.xlsx", samples.xlsx_bytes())})
    document = Document.objects.get(title="Grille DUERP")
    assert response.status_code == 302 and document.current.kind == "office"


def test_too_large_upload_says_the_limit(client, world, settings):
    """A file over the limit is refused on the page with the limit in the message."""
    settings.MEUTE_UPLOAD_MAX_BYTES = 1024
    client.force_login(world["people"]["staff"])
    response = client.post(reverse("web:document_create", args=[world["network"].slug]),
                           {"title": "Gros", "scope": "network", "file": samples.upload("gros.txt", b"a" * 2000)})
    assert "trop volumineux" in response.content.decode() and "1,0\xa0Kio" in response.content.decode()


def test_a_facilitator_may_add_to_their_group_only_from_the_page(client, world):
    """The facilitator's form offers the group scope only; a network scope posted is refused."""
    group = world["group"]
    client.force_login(group.facilitator)
    url = reverse("web:document_create", args=[group.network.slug])
    response = client.post(url, {"title": "Support", "scope": "network",
                                 "file": samples.upload("a.pdf", samples.pdf_bytes())})
    assert response.status_code == 200 and not Document.objects.filter(title="Support").exists()
    response = client.post(url, {"title": "Support", "scope": "group", "group": group.pk,
                                 "file": samples.upload("a.pdf", samples.pdf_bytes())})
    assert response.status_code == 302 and Document.objects.get(title="Support").group == group


def test_a_member_may_not_open_the_upload_page(client, world):
    """The upload page of a network is 404 to its members and to other networks' staff."""
    url = reverse("web:document_create", args=[world["network"].slug])
    for who in ("network_member", "other_staff"):
        client.force_login(world["people"][who])
        assert client.get(url).status_code == 404


def test_detail_and_list_pages_speak_french(client, world):
    """The library and a document's page, seen by staff, have no English left."""
    client.force_login(world["people"]["staff"])
    document = world["documents"][Scope.GROUP]
    for url in (reverse("web:documents"), reverse("web:document", args=[document.pk])):
        assert english_left(client.get(url).content.decode()) == [], url


def test_new_version_from_the_page(client, world):
    """A new version posted from the page becomes current; older ones stay downloadable."""
    document = world["documents"][Scope.NETWORK]
    first = document.current
    client.force_login(world["people"]["staff"])
    response = client.post(reverse("web:document_version_create", args=[document.pk]),
                           {"note": "2026", "file": samples.upload("v2.pdf", samples.pdf_bytes("v2"))})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.current.number == 2
    client.force_login(world["people"]["network_member"])
    old = client.get(reverse("web:document_version_download", args=[document.pk, first.pk]))
    assert b"".join(old.streaming_content) == samples.pdf_bytes()


def test_a_version_of_another_document_is_404(client, world):
    """A version id taken from another document answers 404, even to staff."""
    one, two = world["documents"][Scope.NETWORK], world["documents"][Scope.TEAM]
    client.force_login(world["people"]["staff"])
    assert client.get(reverse("web:document_version_download", args=[one.pk, two.current.pk])).status_code == 404


def test_delete_from_the_page(client, world):
    """Staff delete a document from its page; it leaves the library."""
    document = world["documents"][Scope.NETWORK]
    client.force_login(world["people"]["staff"])
    assert client.post(reverse("web:document_delete", args=[document.pk])).status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()


def test_a_role_holder_elsewhere_is_an_outsider(client, world):
    """A sponsor of another network reads nothing of this network's library."""
    sponsor = NetworkRoleFactory(network=NetworkFactory(), role="sponsor").user
    client.force_login(sponsor)
    for document in world["documents"].values():
        assert client.get(reverse("web:document", args=[document.pk])).status_code == 404


XSS_TITLES = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
              "javascript:alert(1)", "<a href=\"javascript:alert(1)\">x</a>"]
XSS_NAMES = ["<img src=x onerror=alert(1)>.pdf", "\"><script>alert(1)</script>.pdf", "a\r\nContent-Type: text/html.pdf",
             "\u202egnp.pdf", "../../<svg onload=alert(1)>.pdf"]


def test_hostile_titles_and_file_names_come_out_inert(client, world):
    """Markup in titles and file names is escaped on every page; names lose markup, newlines and bidi."""
    staff = world["people"]["staff"]
    event = EventFactory(network=world["network"])
    client.force_login(staff)
    for title, name in zip(XSS_TITLES, XSS_NAMES, strict=True):
        document = add_document(world["network"], staff=staff, title=title, name=name, description=title, tags=title)
        check_link(document, acting_user=staff, event=event)
        assert not set(document.current.name) & set("<>\"\r\n\u202e/")
        download = client.get(reverse("web:document_download", args=[document.pk]))
        assert "\n" not in download["Content-Disposition"] and "<" not in download["Content-Disposition"]
    client.force_login(world["people"]["network_member"])
    documents = Document.objects.filter(network=world["network"], title__in=XSS_TITLES)
    pages = [reverse("web:documents"), reverse("web:event", args=[event.pk])]
    pages += [reverse("web:document", args=[d.pk]) for d in documents]
    for url in pages:
        html = client.get(url).content.decode()
        for payload in ("<script>alert", "<img src=x", "<svg onload", "href=\"javascript:"):
            assert payload not in html, (url, payload)
