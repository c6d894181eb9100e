"""Background jobs of the events app (django-tasks, database backend). Tasks take ids."""

from django_tasks import task


@task()
def compute_plan(plan_id: int) -> int:
    from meute.events.rotations import run_plan

    return run_plan(plan_id).pk
