"""Background jobs of questions (django-tasks, database backend). Tasks take ids."""

from django_tasks import task


@task()
def send_question_notices(question_id: int, what: str, user_ids: list[int]) -> int:
    """Tell the people concerned that a question was asked, routed, answered or escalated."""
    from meute.questions.notices import deliver

    return deliver(question_id, what, user_ids)


@task()
def escalate_question(question_id: int) -> bool:
    """Hand an unanswered question back to the team (idempotent)."""
    from meute.questions.escalation import escalate

    return escalate(question_id)


@task()
def send_obligation_reminders(obligation_id: int) -> int:
    """Remind the members an obligation concerns (once a year each)."""
    from meute.questions.obligations import send_reminders

    return send_reminders(obligation_id)
