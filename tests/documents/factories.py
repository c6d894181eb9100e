"""Documents made through the services, as staff would add them."""

from __future__ import annotations

from meute.documents.models import Document, Scope
from meute.documents.services import check_add_document
from meute.members.models import Role
from tests.factories import NetworkFactory, NetworkRoleFactory
from tests.files import samples


def staff_of(network):
    return NetworkRoleFactory(network=network, role=Role.STAFF).user


def add_document(network=None, *, staff=None, scope: str = Scope.NETWORK, group=None, name: str = "guide.pdf",
                 data: bytes | None = None, **fields) -> Document:
    """A document of ``network`` with one version (a small real PDF unless ``data`` is given)."""
    network = network or (group.network if group is not None else NetworkFactory())
    staff = staff or staff_of(network)
    fields.setdefault("title", "Guide du DUERP")
    return check_add_document(network, acting_user=staff, uploaded=samples.upload(name, data or samples.pdf_bytes()),
                              scope=scope, group=group, **fields)
