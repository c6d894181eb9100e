"""Who is told what about a question, queued after commit.

No notification about a question names its author: titles say "a question", "your question",
the question's title; the actor is left empty for an anonymous question. The question's page
is the link, and the notification is shown only while the recipient may still read the
question (``register_visibility("questions.question", ...)``).
"""

from __future__ import annotations

from django.db import transaction


def _team_ids(network_id: int) -> list[int]:
    from meute.members.models import NetworkRole, Role

    return list(NetworkRole.objects.filter(network_id=network_id, role=Role.STAFF).values_list("user_id", flat=True))


def _enqueue(question_id: int, what: str, user_ids: list[int]) -> None:
    if not user_ids:
        return
    from meute.questions.tasks import send_question_notices

    transaction.on_commit(lambda: send_question_notices.enqueue(question_id, what, user_ids))


def tell_team_asked(question, *, again: bool = False) -> None:
    ids = [pk for pk in _team_ids(question.network_id) if pk != question.author_id]
    _enqueue(question.pk, "details_given" if again else "asked", ids)


def tell_routed(question, expert_ids: list[int]) -> None:
    _enqueue(question.pk, "routed", expert_ids)


def tell_author(question, what: str) -> None:
    if question.author_id:
        _enqueue(question.pk, what, [question.author_id])


def tell_accepted(question, user_id: int) -> None:
    _enqueue(question.pk, "accepted", [user_id])


def tell_escalated(question) -> None:
    _enqueue(question.pk, "escalated", _team_ids(question.network_id))


def deliver(question_id: int, what: str, user_ids: list[int]) -> int:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from meute.notifications.models import Kind
    from meute.notifications.services import Text, notify
    from meute.questions.models import Question

    question = Question.objects.filter(pk=question_id).first()
    if question is None:
        return 0
    kinds = {"asked": Kind.QUESTION_ASKED, "details_given": Kind.QUESTION_ASKED, "routed": Kind.QUESTION_ROUTED,
             "answer": Kind.QUESTION_ANSWERED, "details": Kind.QUESTION_ANSWERED, "accepted": Kind.QUESTION_ANSWERED,
             "escalated": Kind.QUESTION_ESCALATED}
    titles = {
        "asked": _("A question for the team: « %(title)s »"),
        "details_given": _("Details given on the question « %(title)s »"),
        "routed": _("The team asks for your expertise: « %(title)s »"),
        "answer": _("A new answer to your question « %(title)s »"),
        "details": _("The team asks for details on your question « %(title)s »"),
        "accepted": _("Your answer to « %(title)s » was accepted"),
        "escalated": _("Still unanswered: « %(title)s »"),
    }
    bodies = {
        "asked": _("Triage it: answer, ask for details, route it to an expert, merge or close it."),
        "details_given": _("The author answered your request for details."),
        "routed": _("Answer it on the question's page if you can help."),
        "answer": _("Read it and accept it if it answers your question."),
        "details": _("Add the details in a comment on the question's page."),
        "accepted": _("Thank you for sharing your expertise."),
        "escalated": _("Nobody has answered this question yet: answer it or route it to an expert."),
    }
    return notify(user_ids, kinds[what], obj=question, url=reverse("web:question", args=[question.pk]),
                  title=Text(titles[what], title=question.title[:150]), body=bodies[what])
