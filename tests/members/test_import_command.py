"""``meute import-members FILE --network SLUG --as STAFF_EMAIL [--dry-run]``."""

import io

import pytest
from django.core.management import CommandError, call_command

from meute.members.models import Invitation, Leader, Membership
from tests.factories import LeaderFactory, MembershipFactory, NetworkRoleFactory, UserFactory
from tests.members.test_import_trust import as_file, row


@pytest.fixture
def staff(db):
    return NetworkRoleFactory(user=UserFactory(email="staff@example.org"))


def write(tmp_path, rows):
    path = tmp_path / "membres.csv"
    path.write_bytes(as_file(rows).getvalue())
    return str(path)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_members", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_command_applies_the_page_rules_and_exits_0(tmp_path, staff):
    """New people are created, a member of another network is invited; exit code 0 and the report."""
    other = MembershipFactory(leader=LeaderFactory(user=UserFactory(email="alice@example.org", first_name="Alice")))
    path = write(tmp_path, [row("neuf@example.org"), row("alice@example.org", first="Autre")])
    code, out, _err = run(path, "--network", staff.network.slug, "--as", "staff@example.org")
    other.leader.user.refresh_from_db()
    assert code == 0 and "1 created, 0 updated, 1 invited, 0 unchanged, 0 rejected" in out
    assert other.leader.user.first_name == "Alice" and Invitation.objects.filter(kind="join").count() == 1
    assert Membership.objects.filter(network=staff.network).count() == 1


def test_command_exits_2_and_writes_nothing_when_a_row_is_rejected(tmp_path, staff):
    """One rejected row: exit code 2, the row named on stderr, nothing written."""
    path = write(tmp_path, [row("neuf@example.org"), row("pas-un-mail")])
    code, _out, err = run(path, "--network", staff.network.slug, "--as", "staff@example.org")
    assert code == 2 and "line 3, column Courriel" in err and Leader.objects.count() == 0


def test_dry_run_writes_nothing(tmp_path, staff):
    """--dry-run prints the same report and writes nothing."""
    path = write(tmp_path, [row("neuf@example.org")])
    code, out, _err = run(path, "--network", staff.network.slug, "--as", "staff@example.org", "--dry-run")
    assert code == 0 and "1 created" in out and "Dry run" in out and Leader.objects.count() == 0


@pytest.mark.parametrize("who", ["outsider", "unknown"])
def test_command_refuses_someone_who_does_not_manage_the_network(tmp_path, staff, who):
    """Acting as someone who is not the network's staff (or nobody) exits 2 and writes nothing."""
    NetworkRoleFactory(user=UserFactory(email="outsider@example.org"))
    path = write(tmp_path, [row("neuf@example.org")])
    code, _out, err = run(path, "--network", staff.network.slug, "--as", f"{who}@example.org")
    assert code == 2 and ("Only the staff" in err or "No active account" in err)
    assert not Leader.objects.filter(user__email="neuf@example.org").exists()


def test_rejected_counts_rows_not_problems(tmp_path, staff):
    """A row with two problems counts as one rejected row in the summary."""
    path = write(tmp_path, [row("neuf@example.org"), row("pas-un-mail", siret="123")])
    code, _out, err = run(path, "--network", staff.network.slug, "--as", "staff@example.org", "--dry-run")
    assert code == 2 and err.count("line 3,") == 2
    assert "2 rows: 1 created, 0 updated, 0 invited, 0 unchanged, 1 rejected" in err
