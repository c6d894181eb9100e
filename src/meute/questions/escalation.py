"""Questions nobody answered for ``MEUTE_QUESTION_ESCALATION_DAYS`` days go back to the team."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from meute.core.audit import log_action
from meute.questions import notices
from meute.questions.models import Question, Status


def escalation_days() -> int:
    return max(1, int(getattr(settings, "MEUTE_QUESTION_ESCALATION_DAYS", 3)))


def due_question_ids(now: datetime.datetime | None = None) -> list[int]:
    since = (now or timezone.now()) - datetime.timedelta(days=escalation_days())
    return list(Question.objects.filter(status=Status.OPEN, escalated_at__isnull=True, created_at__lte=since,
                                        answers__isnull=True).values_list("pk", flat=True))


def escalate(question_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Tell the team once about an open question still without an answer (idempotent)."""
    now = now or timezone.now()
    with transaction.atomic():
        question = Question.objects.select_for_update().filter(pk=question_id).first()
        if (question is None or question.status != Status.OPEN or question.escalated_at is not None
                or question.answers.exists()
                or question.created_at > now - datetime.timedelta(days=escalation_days())):
            return False
        question.escalated_at = now
        question.save(update_fields=["escalated_at"])
        log_action("questions.question.escalated", actor=None, obj=question, network=question.network_id)
        notices.tell_escalated(question)
    return True
