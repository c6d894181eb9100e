"""Background jobs that finish, fail visibly or recover.

A job is a row (a formation run, a speed-meeting plan) whose model inherits
:class:`BackgroundJob`; a django-tasks task carries its id. The life of a row:

``pending`` → (:func:`claim`, once) → ``running`` → ``done`` / ``failed`` / ``cancelled``

- :func:`claim` is a conditional UPDATE from pending to running that also counts the
  attempt: two workers (or a duplicate enqueue) cannot both run one job.
- While it runs, :class:`Heartbeat` stamps ``heartbeat`` every :data:`HEARTBEAT_SECONDS`
  from a thread. Every later write is conditional on ``status=running`` and the attempt
  number, so a cancelled job or one taken over by a retry writes nothing more.
- A job whose code raised is marked failed with the error at once (:func:`fail`).
- A job whose worker died (SIGKILL, lost machine) stops beating; a job that hangs
  passes its ``deadline``. :func:`reap` marks either failed with a reason; the status
  view, the job's page and the worker's sweep (:func:`sweep`) call it, so whoever looks
  first detects it, at most :data:`STALE_SECONDS` after the last beat.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

PENDING, RUNNING, FAILED, CANCELLED = "pending", "running", "failed", "cancelled"
ACTIVE = (PENDING, RUNNING)
HEARTBEAT_SECONDS = 2.0
STALE_SECONDS = 15.0  # no heartbeat for this long: the worker is gone
GRACE_SECONDS = 60.0  # a job may run this long beyond its time budget before it counts as hung


class BackgroundJob(models.Model):
    """Fields every job row carries; the model declares ``status``, ``message`` and ``finished``."""

    attempt = models.PositiveIntegerField(gettext_lazy("attempt"), default=0)
    started = models.DateTimeField(gettext_lazy("started"), null=True, blank=True)
    heartbeat = models.DateTimeField(gettext_lazy("last sign of life"), null=True, blank=True)
    deadline = models.DateTimeField(gettext_lazy("deadline"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def can_retry(self) -> bool:
        return self.status in (FAILED, CANCELLED)


class JobLost(Exception):
    """The job was cancelled or failed meanwhile (or another attempt took it over): stop quietly."""


def job_models() -> list[type[BackgroundJob]]:
    return [m for m in apps.get_models() if issubclass(m, BackgroundJob)]


def claim(model: type[BackgroundJob], pk: int, *, budget_seconds: float) -> int | None:
    """Move a pending job to running, once; returns the attempt number, or None if it is not pending."""
    now = timezone.now()
    deadline = now + datetime.timedelta(seconds=budget_seconds + GRACE_SECONDS)
    with transaction.atomic():
        updated = model.objects.filter(pk=pk, status=PENDING).update(
            status=RUNNING, started=now, heartbeat=now, deadline=deadline, attempt=F("attempt") + 1)
        if not updated:
            return None
        return model.objects.filter(pk=pk).values_list("attempt", flat=True).get()


def _mine(model: type[BackgroundJob], pk: int, attempt: int) -> models.QuerySet:
    return model.objects.filter(pk=pk, status=RUNNING, attempt=attempt)


def update(model: type[BackgroundJob], pk: int, attempt: int, **fields: Any) -> None:
    """Write progress of a running job; raises :class:`JobLost` if it is no longer this attempt's."""
    if not _mine(model, pk, attempt).update(heartbeat=timezone.now(), **fields):
        raise JobLost


def finish(model: type[BackgroundJob], pk: int, attempt: int, **fields: Any) -> bool:
    """Store the outcome (``status`` among ``fields``); False if the job was cancelled or taken over."""
    return bool(_mine(model, pk, attempt).update(finished=timezone.now(), **fields))


def fail(model: type[BackgroundJob], pk: int, attempt: int, reason: str) -> bool:
    return finish(model, pk, attempt, status=FAILED, message=reason)


def error_reason(exc: BaseException) -> str:
    return _("The computation stopped on an error (%(error)s). Retry it; if it fails again, "
             "tell the site administrator.") % {"error": f"{type(exc).__name__}: {exc}"[:300]}


class Heartbeat:
    """While the ``with`` block runs, the job's heartbeat is stamped.

    Two sources: a thread every :data:`HEARTBEAT_SECONDS` (it covers long steps that call
    nothing back, such as building a large problem), and :meth:`stop`, the stopping
    criterion given to the optimisers, which beats on the job's own connection and notices
    when the row is no longer this attempt's (cancelled, reaped, retried): ``lost`` is then
    set and the search ends. The thread is not started inside a transaction (the row's
    state is then invisible to other connections).
    """

    def __init__(self, model: type[BackgroundJob], pk: int, attempt: int, *,
                 every: float = HEARTBEAT_SECONDS) -> None:
        self.model, self.pk, self.attempt, self.every = model, pk, attempt, every
        self.lost = threading.Event()
        self._done = threading.Event()
        self._last = float("-inf")  # the first check beats at once
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        if not transaction.get_connection().in_atomic_block:
            self._thread = threading.Thread(target=self._beat, daemon=True,
                                            name=f"heartbeat-{self.model.__name__}-{self.pk}")
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join(timeout=self.every * 3)

    def _beat(self) -> None:
        try:
            while not self._done.wait(self.every):
                try:
                    _mine(self.model, self.pk, self.attempt).update(heartbeat=timezone.now())
                except Exception:  # a missed beat is not fatal; the next one may pass
                    logger.warning("heartbeat of %s %s failed", self.model.__name__, self.pk, exc_info=True)
        finally:
            connection.close()

    def check(self) -> None:
        """Beat from the job's own thread (at most every second); raise :class:`JobLost` if it is gone."""
        if self.lost.is_set():
            raise JobLost
        now = time.monotonic()
        if now - self._last < 1.0:
            return
        self._last = now
        if not _mine(self.model, self.pk, self.attempt).update(heartbeat=timezone.now()):
            self.lost.set()
            raise JobLost

    def stop(self, inner: Callable[[float], bool]) -> Callable[[float], bool]:
        """A stopping criterion: ``inner``, or as soon as the job is lost."""
        def criterion(best: float) -> bool:
            try:
                self.check()
            except JobLost:
                return True
            return inner(best)
        if callable(getattr(inner, "deadline", None)):  # engines read a wall-clock limit's end from it
            criterion.deadline = inner.deadline
        return criterion


def _stale(now: datetime.datetime) -> Q:
    return Q(heartbeat__lt=now - datetime.timedelta(seconds=STALE_SECONDS)) | Q(deadline__lt=now)


def reap(job: BackgroundJob) -> BackgroundJob:
    """Mark ``job`` failed if its worker died or it hung; returns it refreshed when it changed."""
    if job.status == RUNNING and reap_queryset(type(job).objects.filter(pk=job.pk)):
        job.refresh_from_db()
    return job


def reap_queryset(queryset: models.QuerySet) -> int:
    """Fail every running job of ``queryset`` with a stale heartbeat or a passed deadline."""
    from meute.core.audit import log_action

    now = timezone.now()
    failed = 0
    for pk, heartbeat in queryset.filter(status=RUNNING).filter(_stale(now)).values_list("pk", "heartbeat"):
        if heartbeat is not None and heartbeat < now - datetime.timedelta(seconds=STALE_SECONDS):
            reason = _("The worker computing this job stopped: no sign of life for %(s)s seconds. "
                       "Retry it.") % {"s": int(STALE_SECONDS)}
        else:
            reason = _("The job ran past its time limit and was stopped. Retry it, perhaps with fewer "
                       "seconds or people.")
        with transaction.atomic():
            if queryset.model.objects.filter(pk=pk, status=RUNNING).filter(_stale(now)).update(
                    status=FAILED, message=reason, finished=now):
                job = queryset.model.objects.get(pk=pk)
                log_action(f"{queryset.model._meta.label_lower}.failed", actor=None, obj=job,
                           data={"reason": reason, "heartbeat": heartbeat, "attempt": job.attempt})
                failed += 1
    return failed


def sweep() -> int:
    """Reap every job model (the worker runs this at start and every few seconds)."""
    return sum(reap_queryset(model.objects.all()) for model in job_models())


def run_job(model: type[BackgroundJob], pk: int, *, budget_seconds: Callable[[Any], float],
            work: Callable[[Any, Heartbeat], dict[str, Any]]) -> Any:
    """Claim job ``pk``, run ``work(job, heartbeat)`` under a heartbeat, store the fields it returns.

    ``work`` returns the fields of the outcome (``status`` included). An exception marks the
    job failed with its error, then propagates (the task backend records it too). Returns
    the job with its outcome, or None when this call stored nothing: the job was not pending
    (a duplicate enqueue, another worker) or was cancelled meanwhile.
    """
    job = model.objects.get(pk=pk)
    attempt = claim(model, pk, budget_seconds=budget_seconds(job))
    if attempt is None:
        logger.info("%s %s is not pending: not run again", model.__name__, pk)
        return None
    job.refresh_from_db()
    try:
        with Heartbeat(model, pk, attempt) as heartbeat:
            fields = work(job, heartbeat)
        if heartbeat.lost.is_set():
            raise JobLost
    except JobLost:
        return None
    except Exception as exc:
        logger.exception("%s %s failed", model.__name__, pk)
        fail(model, pk, attempt, error_reason(exc))
        raise
    except BaseException:  # the worker is being stopped (second SIGTERM, Ctrl-C) mid-job
        fail(model, pk, attempt, _("The worker was stopped during the computation. Retry it."))
        raise
    if not finish(model, pk, attempt, **fields):
        return None
    job.refresh_from_db()
    return job
