"""Background jobs of the peer-group programme (django-tasks, database backend). Tasks take ids."""

from django_tasks import task


@task()
def run_formation(run_id: int) -> int:
    from meute.peergroups.services import execute_run

    return execute_run(run_id).pk
