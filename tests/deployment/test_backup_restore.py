"""The backup documented in docs/deployment.md restores: dump with deploy/backup.sh, restore into a fresh database."""

import os
import subprocess
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from meute.core.audit import log_action
from tests.factories import MembershipFactory

REPO = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump backs up PostgreSQL"),
]


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "postgres") + (":" + quote(s["PASSWORD"]) if s["PASSWORD"] else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def test_a_dump_restores_into_a_fresh_database(tmp_path):
    """deploy/backup.sh dumps the database; pg_restore into a new database finds the same rows."""
    membership = MembershipFactory()
    email, network = membership.leader.user.email, membership.network.name
    log_action("members.leader.created", actor=None, obj=membership.leader, data={"check": "backup"})
    env = {**os.environ, "DATABASE_URL": _url(connection.settings_dict["NAME"]),
           "MEUTE_BACKUP_DIR": str(tmp_path), "MEUTE_BACKUP_KEEP_DAYS": "14"}
    done = subprocess.run([str(REPO / "deploy" / "backup.sh")], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    dump = Path(done.stdout.strip())
    assert dump.parent == tmp_path and dump.name.startswith("meute-") and dump.stat().st_size > 0

    fresh = connection.settings_dict["NAME"] + "_restored"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restore = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_url(fresh)}",
                                  str(dump)], capture_output=True, text=True, timeout=300)
        assert restore.returncode == 0, restore.stderr
        with psycopg.connect(_url(fresh)) as restored:
            assert restored.execute("SELECT count(*) FROM accounts_user WHERE email = %s", [email]).fetchone()[0] == 1
            assert restored.execute("SELECT name FROM members_network").fetchall() == [(network,)]
            assert restored.execute("SELECT count(*) FROM core_auditentry WHERE data->>'check' = 'backup'"
                                    ).fetchone()[0] == 1
            applied = restored.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
            assert applied == connection.cursor().execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')


def test_the_uploaded_files_are_archived_beside_the_dump(tmp_path):
    """With MEUTE_DATA_DIR set, backup.sh archives its files folder; stdout still names the dump only."""
    import tarfile

    data = tmp_path / "data"
    (data / "files" / "documents" / "1").mkdir(parents=True)
    (data / "files" / "documents" / "1" / "a.pdf").write_bytes(b"%PDF-1.4 ... %%EOF")
    backups = tmp_path / "backups"
    env = {**os.environ, "DATABASE_URL": _url(connection.settings_dict["NAME"]), "MEUTE_BACKUP_DIR": str(backups),
           "MEUTE_DATA_DIR": str(data)}
    done = subprocess.run([str(REPO / "deploy" / "backup.sh")], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).name.endswith(".dump")
    archive = Path(done.stderr.strip().splitlines()[-1])
    with tarfile.open(archive) as tar:
        assert "./documents/1/a.pdf" in tar.getnames()
