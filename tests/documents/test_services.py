"""Services of the library: adding documents and versions, scopes, tags, links, deletion, erasure."""

import pytest

from meute.core.models import AuditEntry
from meute.documents.exceptions import DocumentError
from meute.documents.models import Document, DocumentLink, Scope
from meute.documents.queries import DocumentFilters, list_documents
from meute.documents.services import (
    check_add_document,
    check_add_version,
    check_delete_document,
    check_link,
    check_update_document,
)
from meute.documents.tags import parse_tags
from meute.files.storage import atomic_with_files, private_storage
from tests.documents.factories import add_document, staff_of
from tests.factories import EventFactory, NetworkFactory, peer_group
from tests.files import samples

pytestmark = pytest.mark.django_db


def test_adding_a_document_stores_its_checked_file_and_audits():
    """The first version is stored under a random name with its kind, size and digest; the audit names the file."""
    document = add_document(name="../Guide <b>DUERP</b>.pdf", tags="DUERP, Ressources humaines, duerp")
    version = document.current
    assert (document.version_count, version.number, version.kind, version.mime) == (1, 1, "pdf", "application/pdf")
    assert version.name == "b.pdf" and "DUERP" not in version.file.name
    assert private_storage().exists(version.file.name)
    assert document.tags == ",duerp,ressources humaines,"
    entry = AuditEntry.objects.get(action="documents.document.created")
    assert entry.data["sha256"] == version.sha256 and entry.actor == document.uploaded_by


def test_a_refused_file_changes_nothing():
    """An HTML page named .pdf is refused with the reason, and nothing is stored."""
    network = NetworkFactory()
    with pytest.raises(DocumentError, match="pas un PDF") as refused:
        check_add_document(network, acting_user=staff_of(network), title="Devis",
                           uploaded=samples.upload("devis.pdf", samples.HTML_PAGE))
    assert refused.value.field == "file"
    assert not Document.objects.exists() and not AuditEntry.objects.exists()


def test_a_new_version_becomes_current_and_the_old_one_stays():
    """Versions are numbered 1, 2; the newest is current; the first stays in storage."""
    document = add_document()
    first = document.current
    version = check_add_version(document, acting_user=document.uploaded_by, note="mise à jour 2026",
                                uploaded=samples.upload("grille.xlsx", samples.xlsx_bytes()))
    document.refresh_from_db()
    assert (version.number, document.current_id, version.kind) == (2, version.pk, "office")
    assert private_storage().exists(first.file.name)
    assert AuditEntry.objects.get(action="documents.version.added").data["version"] == 2


def test_a_failed_save_removes_the_stored_file(monkeypatch):
    """When the database refuses the version, the file just stored is deleted again."""
    document = add_document()
    before = set(private_storage().listdir(f"documents/{document.network_id}")[1])
    from meute.documents import services

    monkeypatch.setattr(services, "log_action", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        check_add_version(document, acting_user=document.uploaded_by,
                          uploaded=samples.upload("v2.pdf", samples.pdf_bytes("v2")))
    assert set(private_storage().listdir(f"documents/{document.network_id}")[1]) == before


def _files_of(network) -> set[str]:
    folder = f"documents/{network.pk}"
    return set(private_storage().listdir(folder)[1]) if private_storage().exists(folder) else set()


def test_a_document_rolled_back_after_its_save_leaves_no_file():
    """Adding a document inside a transaction that then fails leaves no file in the network's folder."""
    network = NetworkFactory()
    staff = staff_of(network)
    before = _files_of(network)
    with pytest.raises(LookupError), atomic_with_files():
        document = check_add_document(network, acting_user=staff, title="Guide",
                                      uploaded=samples.upload("guide.pdf", samples.pdf_bytes()))
        assert private_storage().exists(document.current.file.name)
        raise LookupError
    assert not Document.objects.exists() and _files_of(network) == before


def test_a_first_version_refused_by_the_database_leaves_no_file(monkeypatch):
    """When the first version's audit fails after the save, neither the document nor its file remain."""
    network = NetworkFactory()
    staff = staff_of(network)
    before = _files_of(network)
    from meute.documents import services

    monkeypatch.setattr(services, "log_action", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        check_add_document(network, acting_user=staff, title="Guide",
                           uploaded=samples.upload("guide.pdf", samples.pdf_bytes()))
    assert not Document.objects.exists() and _files_of(network) == before


@pytest.mark.parametrize("who", ["member", "other staff", "facilitator"])
def test_only_staff_add_network_documents(who):
    """A member, another network's staff, or a facilitator choosing the network scope is refused."""
    group = peer_group(members=1)
    network = group.network
    actor = {"member": group.members.first().leader.user, "other staff": staff_of(NetworkFactory()),
             "facilitator": group.facilitator}[who]
    with pytest.raises(DocumentError):
        check_add_document(network, acting_user=actor, title="x", scope=Scope.NETWORK,
                           uploaded=samples.upload("a.pdf", samples.pdf_bytes()))
    assert not Document.objects.exists()


def test_a_facilitator_adds_to_their_group_only():
    """A facilitator adds a document to their group; not to another group of the network."""
    group = peer_group(members=1)
    other = peer_group(members=1, network=group.network, name="Autre")
    document = check_add_document(group.network, acting_user=group.facilitator, title="Support", scope=Scope.GROUP,
                                  group=group, uploaded=samples.upload("a.pdf", samples.pdf_bytes()))
    assert document.group == group
    with pytest.raises(DocumentError, match="animez"):
        check_add_document(group.network, acting_user=group.facilitator, title="x", scope=Scope.GROUP,
                           group=other, uploaded=samples.upload("a.pdf", samples.pdf_bytes()))


def test_group_scope_needs_a_group_of_the_network():
    """A group of another network is refused for the group scope."""
    network = NetworkFactory()
    foreign = peer_group(members=1)
    with pytest.raises(DocumentError, match="groupe de pairs"):
        add_document(network, scope=Scope.GROUP, group=foreign)


@pytest.mark.parametrize(("text", "message"), [(",".join(f"t{i}" for i in range(11)), "10 étiquettes"),
                                               ("x" * 41, "40 caractères")])
def test_tags_are_bounded(text, message):
    """Too many or too long tags are refused with the bound."""
    with pytest.raises(DocumentError, match=message):
        parse_tags(text)


def test_tags_keep_their_accents_and_are_unique_once_folded():
    """« Prévention, prevention, DUERP » keeps one accented « prévention » and a lower-case « duerp »."""
    assert parse_tags("Prévention, prevention,  DUERP ,") == ",prévention,duerp,"


def test_search_is_folded_and_tags_browse():
    """Words match without accents or case; a tag narrows the list."""
    network = NetworkFactory()
    staff = staff_of(network)
    duerp = add_document(network, staff=staff, title="Évaluation des risques", tags="DUERP")
    add_document(network, staff=staff, title="Recrutement", tags="RH, prévention")
    assert list(list_documents(staff, DocumentFilters(q="EVALUATION risques"))) == [duerp]
    assert list(list_documents(staff, DocumentFilters(tag="duerp"))) == [duerp]


def test_update_changes_scope_with_audit():
    """Staff narrow a document to the team; the change is audited old → new."""
    document = add_document()
    check_update_document(document, acting_user=document.uploaded_by, title="Guide", scope=Scope.TEAM, tags="")
    document.refresh_from_db()
    assert document.scope == Scope.TEAM
    assert AuditEntry.objects.get(action="documents.document.updated").changes["scope"] == ["network", "team"]


def test_delete_is_staff_only_and_removes_the_files(django_capture_on_commit_callbacks):
    """A facilitator may not delete their group's document; staff delete it, its files go after commit."""
    group = peer_group(members=1)
    document = check_add_document(group.network, acting_user=group.facilitator, title="Support", scope=Scope.GROUP,
                                  group=group, uploaded=samples.upload("a.pdf", samples.pdf_bytes()))
    name = document.current.file.name
    with pytest.raises(DocumentError):
        check_delete_document(document, acting_user=group.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        check_delete_document(document, acting_user=staff_of(group.network))
    assert not Document.objects.exists()
    assert AuditEntry.objects.filter(action="documents.document.deleted").exists()
    assert not private_storage().exists(name)


def test_links_only_to_the_networks_events_that_one_manages():
    """An event of another network is refused; one of the network is linked once, with audit."""
    document = add_document()
    with pytest.raises(DocumentError, match="événement"):
        check_link(document, acting_user=document.uploaded_by, event=EventFactory())
    event = EventFactory(network=document.network)
    check_link(document, acting_user=document.uploaded_by, event=event)
    with pytest.raises(DocumentError, match="déjà"):
        check_link(document, acting_user=document.uploaded_by, event=event)
    assert DocumentLink.objects.get().event == event
    assert AuditEntry.objects.filter(action="documents.document.linked").count() == 1


def test_a_facilitator_links_their_groups_document_to_its_meeting():
    """The facilitator links to a meeting of their group; not to another group's meeting."""
    group = peer_group(members=1)
    other = peer_group(members=1, network=group.network, name="Autre")
    document = check_add_document(group.network, acting_user=group.facilitator, title="Support", scope=Scope.GROUP,
                                  group=group, uploaded=samples.upload("a.pdf", samples.pdf_bytes()))
    check_link(document, acting_user=group.facilitator, meeting=group.meetings.first())
    with pytest.raises(DocumentError, match="réunion"):
        check_link(document, acting_user=group.facilitator, meeting=other.meetings.first())


def test_erasure_keeps_the_document_and_drops_the_uploader():
    """An erased uploader's documents stay with the network, without their name."""
    from meute.members.privacy import do_anonymise

    network = NetworkFactory()
    staff = staff_of(network)
    staff.first_name, staff.last_name = "Hélène", "Vasseur"
    staff.save()
    document = add_document(network, staff=staff)
    check_add_version(document, acting_user=staff, note="relu par Hélène Vasseur",
                      uploaded=samples.upload("v2.pdf", samples.pdf_bytes("v2")))
    from meute.members.privacy import personal_data

    assert [u["version"] for u in personal_data(staff)["document_uploads"]] == [2, 1]
    do_anonymise(staff, acting_user=None)
    document.refresh_from_db()
    assert document.uploaded_by is None and document.version_count == 2
    assert list(document.versions.values_list("uploaded_by", flat=True)) == [None, None]
    assert "Vasseur" not in document.versions.get(number=2).note


def test_a_deleted_group_takes_its_documents_files_along(django_capture_on_commit_callbacks):
    """When a peer group is deleted, its documents go, and their files leave the storage after commit."""
    group = peer_group(members=1)
    document = check_add_document(group.network, acting_user=group.facilitator, title="Support", scope=Scope.GROUP,
                                  group=group, uploaded=samples.upload("a.pdf", samples.pdf_bytes()))
    name = document.current.file.name
    with django_capture_on_commit_callbacks(execute=True):
        group.delete()
    assert not Document.objects.exists() and not private_storage().exists(name)
