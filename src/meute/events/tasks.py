"""Background jobs of the events app (django-tasks, database backend). Tasks take ids.

The plan row itself is claimed once (:mod:`meute.core.jobs`): a duplicate enqueue or a second
worker returns without computing anything.
"""

from django_tasks import task


@task()
def compute_plan(plan_id: int) -> int | None:
    from meute.events.rotations import run_plan

    plan = run_plan(plan_id)
    return plan.pk if plan is not None else None
