import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UNITS = sorted((REPO / "deploy" / "systemd").iterdir())
pytestmark = pytest.mark.nodb


def _root_with(tmp_path: Path, units: list[Path]) -> Path:
    """A filesystem root holding systemd's own units, ours, and the programs our units start.

    The units start ``/opt/meute/.venv/bin/meute`` (the install path docs/deployment.md gives);
    meute is not installed there on a test machine, so an executable stands in for it.
    ``deploy/backup.sh`` is the real script.
    """
    root = tmp_path / "root"
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    target = root / "etc/systemd/system"
    target.mkdir(parents=True)
    for unit in units:
        shutil.copy(unit, target / unit.name)
    meute = root / "opt/meute/.venv/bin/meute"
    meute.parent.mkdir(parents=True)
    meute.write_text("#!/bin/sh\n")
    meute.chmod(0o755)
    (root / "opt/meute/deploy").mkdir(parents=True)
    shutil.copy(REPO / "deploy" / "backup.sh", root / "opt/meute/deploy/backup.sh")
    return root


def _verify(root: Path, names: list[str]) -> subprocess.CompletedProcess:
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: run scripts/install-test-deps.sh"
    return subprocess.run([analyze, "verify", f"--root={root}", "--man=no", *names], capture_output=True,
                          text=True, timeout=120, cwd=root / "etc/systemd/system")


def test_units_are_shipped():
    """The web server, the worker template, and the backup, digest, purchase, question, referral, engagement and
    reminder jobs with their timers are shipped."""
    assert {u.name for u in UNITS} == {"meute-web.service", "meute-worker@.service", "meute-backup.service",
                                       "meute-backup.timer", "meute-digests.service", "meute-digests.timer",
                                       "meute-purchases.service", "meute-purchases.timer",
                                       "meute-questions.service", "meute-questions.timer",
                                       "meute-referrals.service", "meute-referrals.timer",
                                       "meute-engagement.service", "meute-engagement.timer",
                                       "meute-reminders.service", "meute-reminders.timer"}


def test_systemd_analyze_verify_accepts_the_units(tmp_path):
    """``systemd-analyze verify`` finds nothing to say about the shipped units."""
    done = _verify(_root_with(tmp_path, UNITS), [u.name for u in UNITS])
    assert done.returncode == 0 and done.stdout + done.stderr == ""


def test_verify_would_catch_a_broken_unit(tmp_path):
    """A unit with a misspelt key is reported (the test above can fail)."""
    broken = tmp_path / "meute-broken.service"
    broken.write_text((REPO / "deploy/systemd/meute-web.service").read_text().replace("Restart=", "Restartt="))
    done = _verify(_root_with(tmp_path, [broken]), [broken.name])
    assert "Unknown key" in done.stdout + done.stderr


def test_backup_script_is_executable():
    """The script the backup unit starts is executable."""
    assert (REPO / "deploy" / "backup.sh").stat().st_mode & 0o111
