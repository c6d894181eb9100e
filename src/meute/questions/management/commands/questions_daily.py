"""``meute questions-daily``: escalate unanswered questions and send the month's obligation reminders
(run daily by ``deploy/systemd/meute-questions.timer``)."""

from django.core.management.base import BaseCommand

from meute.questions.escalation import due_question_ids, escalate
from meute.questions.obligations import due_obligation_ids, send_reminders


class Command(BaseCommand):
    help = "Escalate the questions nobody answered in time and send this month's obligation reminders."

    def handle(self, *args, **options) -> None:
        escalated = sum(escalate(pk) for pk in due_question_ids())
        reminded = sum(send_reminders(pk) for pk in due_obligation_ids())
        self.stdout.write(f"questions escalated: {escalated}; obligation reminders: {reminded}")
