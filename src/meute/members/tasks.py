"""Background jobs of members (django-tasks, database backend). Tasks take ids."""

from django_tasks import task


@task()
def analyse_import(job_id: int) -> int:
    from meute.members.importjobs import run_analysis

    run_analysis(job_id)
    return job_id


@task()
def apply_import(job_id: int) -> int:
    from meute.members.importjobs import run_apply

    run_apply(job_id)
    return job_id
