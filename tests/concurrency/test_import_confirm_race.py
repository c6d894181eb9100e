"""Two staff members confirm the same import preview at once (PostgreSQL only)."""

import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from meute.core.exceptions import MeuteError
from meute.core.models import AuditEntry
from meute.members.importjobs import check_confirm_import, check_start_import
from meute.members.models import ImportJob, ImportStatus, Membership
from tests.factories import NetworkRoleFactory, valid_siret

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_simultaneous_confirmations_apply_the_file_once():
    """Eight simultaneous confirmations: one applies the file, the others are refused; no double invitations."""
    staff = NetworkRoleFactory()
    colleagues = [NetworkRoleFactory(network=staff.network).user for _ in range(7)]
    lines = ["Nom;Prénom;Courriel;Société;SIRET;NAF;Ville"]
    lines += [f"N{i};P{i};p{i}@example.org;S{i};{valid_siret(300 + i)};6201Z;Poitiers" for i in range(20)]
    job = check_start_import(io.BytesIO("\n".join(lines).encode()), "m.csv", network=staff.network,
                             acting_user=staff.user)
    assert job.status == ImportStatus.READY
    start = threading.Barrier(8)
    outcomes = []

    def confirm(user) -> None:
        start.wait()
        try:
            check_confirm_import(ImportJob.objects.get(pk=job.pk), acting_user=user)
            outcomes.append("applied")
        except MeuteError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(confirm, [staff.user, *colleagues]))
    assert sorted(outcomes) == ["applied"] + ["refused"] * 7
    assert Membership.objects.filter(network=staff.network).count() == 20
    assert AuditEntry.objects.filter(action="members.import.completed").count() == 1
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE
