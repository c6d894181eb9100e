"""Background jobs of referrals (django-tasks, database backend)."""

from django_tasks import task


@task()
def sweep_referrals() -> dict:
    """Remind receivers of referrals without news, then expire those without news for too long."""
    from meute.referrals.services import expire_stale, send_reminders

    return {"reminded": send_reminders(), "expired": expire_stale()}
