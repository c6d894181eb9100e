"""Background jobs of pooled purchases (django-tasks, database backend). Tasks take ids."""

from django_tasks import task


@task()
def close_campaign(campaign_id: int) -> str | None:
    """Apply a campaign's deadline (idempotent: a campaign not due, or already closed, is left alone)."""
    from meute.purchases.services import close_campaign as close

    return close(campaign_id)


@task()
def send_closing_notices(campaign_id: int, decision: str, user_ids: list[int]) -> int:
    """Tell the people concerned that the campaign was ordered, extended or cancelled."""
    from meute.purchases.notices import deliver_closing_notices

    return deliver_closing_notices(campaign_id, decision, user_ids)
