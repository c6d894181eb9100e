"""Background jobs of the peer-group programme (django-tasks, database backend). Tasks take ids.

The run row itself is claimed once (:mod:`meute.core.jobs`): a duplicate enqueue or a second
worker returns without computing anything.
"""

from django_tasks import task


@task()
def run_formation(run_id: int) -> int | None:
    from meute.peergroups.services import execute_run

    run = execute_run(run_id)
    return run.pk if run is not None else None
