"""The life of an uploaded member file: stored, checked (preview), confirmed, applied.

The file is kept under ``MEUTE_DATA_DIR/imports/`` between the preview and the confirmation.
Small files are checked and applied in the request; larger ones by a background task
(:mod:`meute.members.tasks`) whose progress a page polls. A job always ends ``done`` or
``failed`` with a reason; nothing is written unless every row is valid.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.core.audit import log_action
from meute.core.exceptions import MeuteError
from meute.members.exceptions import ImportRejected, MemberError
from meute.members.importing import check_importer, import_table
from meute.members.models import ImportJob, ImportStatus, Network
from meute.members.spreadsheet import FIELDS, detect_mapping, read_bytes, read_table

logger = logging.getLogger(__name__)
INLINE_ROWS = 2000  # files up to this many rows are checked and applied in the request


def import_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _rows(job: ImportJob) -> list[tuple[int, list[str]]]:
    path = import_dir() / job.stored_name
    if not path.is_file():
        raise ImportRejected(_("The uploaded file is no longer on the server: upload it again."))
    return read_table(path.read_bytes(), job.filename)


def _set(job: ImportJob, **values: Any) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(updated=timezone.now(), **values)


def _progress(job: ImportJob, start: int, end: int):
    def report(fraction: float) -> None:
        ImportJob.objects.filter(pk=job.pk).update(progress=int(start + (end - start) * min(fraction, 1.0)))
    return report


def _launch(job: ImportJob, phase: str) -> None:
    if job.rows <= INLINE_ROWS:
        (run_analysis if phase == "analyse" else run_apply)(job.pk)
        job.refresh_from_db()
        return
    from meute.members import tasks

    task = tasks.analyse_import if phase == "analyse" else tasks.apply_import
    transaction.on_commit(lambda: task.enqueue(job.pk))


def check_start_import(upload: Any, filename: str, *, network: Network, acting_user: Any) -> ImportJob:
    """Store an uploaded file and start checking it (nothing is written to the members)."""
    check_importer(network, acting_user)
    raw = read_bytes(upload)
    rows = read_table(raw, filename)
    suffix = ".xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) or raw[:4] == b"PK\x03\x04" else ".csv"
    stored = f"{secrets.token_hex(16)}{suffix}"
    (import_dir() / stored).write_bytes(raw)
    header = [str(c).strip() for c in rows[0][1]]
    job = ImportJob.objects.create(
        network=network, owner=acting_user, filename=filename[:255], stored_name=stored, rows=len(rows) - 1,
        header=header, mapping=detect_mapping(header),
    )
    log_action("members.import.uploaded", actor=acting_user, obj=job,
               data={"network": network.slug, "file": filename, "rows": job.rows})
    _launch(job, "analyse")
    return job


def check_set_mapping(job: ImportJob, mapping: list[str], *, acting_user: Any) -> ImportJob:
    """Staff correct which column holds which field; the file is checked again."""
    check_importer(job.network, acting_user)
    if len(mapping) != len(job.header) or any(m and m not in FIELDS for m in mapping):
        raise MemberError(_("Choose a field (or “ignore”) for every column."))
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in (ImportStatus.READY, ImportStatus.INVALID):
            raise MemberError(_("This import can no longer be changed."))
        _set(job, mapping=list(mapping), status=ImportStatus.ANALYSING, progress=0)
        log_action("members.import.mapping_changed", actor=acting_user, obj=job, data={"mapping": mapping})
    _launch(job, "analyse")
    return job


def check_confirm_import(job: ImportJob, *, acting_user: Any) -> ImportJob:
    """Staff confirm the preview: the file is applied, all or nothing (once, whoever clicks first)."""
    check_importer(job.network, acting_user)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.READY:
            raise MemberError(_("This import is not ready to be confirmed."))
        _set(job, status=ImportStatus.APPLYING, progress=0)
        log_action("members.import.confirmed", actor=acting_user, obj=job, data={"rows": job.rows})
    _launch(job, "apply")
    return job


def _run(job_id: int, phase: str) -> None:
    job = ImportJob.objects.select_related("network", "owner").get(pk=job_id)
    try:
        rows = _rows(job)
        report = import_table(
            rows, network=job.network, acting_user=job.owner, mapping=job.mapping, source=job.filename,
            dry_run=phase == "analyse", progress=_progress(job, 5, 95),
        )
    except MeuteError as exc:
        status = ImportStatus.INVALID if phase == "analyse" else ImportStatus.FAILED
        _set(job, status=status, progress=100, message=exc.message, report={},
             finished=None if phase == "analyse" else timezone.now())
        return
    except Exception:  # the job must end with a reason, whatever happened
        logger.exception("member import %s failed", job_id)
        _set(job, status=ImportStatus.FAILED, progress=100, finished=timezone.now(),
             message=_("The import stopped on an unexpected error; nothing was written. Try again or tell us."))
        return
    if phase == "analyse":
        status = ImportStatus.READY if report.ok else ImportStatus.INVALID
        _set(job, status=status, progress=100, message="", report=report.as_dict())
        return
    if not report.applied:
        _set(job, status=ImportStatus.FAILED, progress=100, finished=timezone.now(), report=report.as_dict(),
             message=_("The file changed meaning since the preview (%(n)s rows rejected); nothing was written.")
             % {"n": report.rejected})
        return
    _set(job, status=ImportStatus.DONE, progress=100, finished=timezone.now(), report=report.as_dict())
    (import_dir() / job.stored_name).unlink(missing_ok=True)


def run_analysis(job_id: int) -> None:
    _run(job_id, "analyse")


def run_apply(job_id: int) -> None:
    _run(job_id, "apply")
