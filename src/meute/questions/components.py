"""Answers in the engagement light: a question the team routed to a member is something expected of
them, answering it (or answering any question of the network) is something they did.

For one network and window: ``expected`` counts the questions routed to the member in the window
plus those they answered without being asked; ``attended`` the questions among them they answered.

The staff cockpit reads stored lights (:mod:`meute.engagement.stored`): a routing or an answer
written or deleted marks its member's light to recompute (:func:`routing_changed`,
:func:`answer_changed`, wired in :mod:`meute.questions.apps`), and the oldest routing or answer
of the window leaving it is when time alone changes the tally.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from meute.engagement.components import AFTER, Tally, Window, _earliest, active_members, next_change_of, register
from meute.engagement.stored import touch
from meute.questions.models import Answer, Routing


@register("answers", _("questions answered"))
def answers(network_id: int, window: Window, leader_ids: Iterable[int] | None) -> dict[int, Tally]:
    members = active_members(network_id)
    routed = Routing.objects.filter(question__network_id=network_id, created_at__gte=window.start,
                                    created_at__lte=window.end, expert__leader__id__in=members)
    answered = Answer.objects.filter(question__network_id=network_id, created_at__gte=window.start,
                                     created_at__lte=window.end, author__leader__id__in=members)
    if leader_ids is not None:
        ids = list(leader_ids)
        routed, answered = routed.filter(expert__leader__id__in=ids), answered.filter(author__leader__id__in=ids)
    asked: dict[int, set[int]] = {}
    for leader_id, question_id in routed.values_list("expert__leader__id", "question_id"):
        asked.setdefault(leader_id, set()).add(question_id)
    done: dict[int, set[int]] = {}
    for leader_id, question_id in answered.values_list("author__leader__id", "question_id").distinct():
        done.setdefault(leader_id, set()).add(question_id)
    result = {}
    for leader_id in asked.keys() | done.keys():
        expected = asked.get(leader_id, set()) | done.get(leader_id, set())
        result[leader_id] = Tally(len(expected), len(done.get(leader_id, set())), 0)
    return result



@next_change_of("answers")
def answers_change(network_id: int, window: Window, leader_ids: Iterable[int] | None
                   ) -> dict[int, datetime.datetime]:
    """The oldest routing or answer of the window leaves it."""
    members = active_members(network_id)
    span = window.end - window.start
    routed = Routing.objects.filter(question__network_id=network_id, created_at__gte=window.start,
                                    created_at__lte=window.end, expert__leader__id__in=members)
    answered = Answer.objects.filter(question__network_id=network_id, created_at__gte=window.start,
                                     created_at__lte=window.end, author__leader__id__in=members)
    if leader_ids is not None:
        ids = list(leader_ids)
        routed, answered = routed.filter(expert__leader__id__in=ids), answered.filter(author__leader__id__in=ids)
    parts = [{leader: at + span + AFTER for leader, at in rows.values_list(field).annotate(
        at=Min("created_at")).order_by()} for rows, field in ((routed, "expert__leader__id"),
                                                             (answered, "author__leader__id"))]
    return _earliest(*parts)


def _touch(question_id: int, user_id: int | None, created: bool) -> None:
    from meute.members.models import Leader
    from meute.questions.models import Question

    network_id = Question.objects.filter(pk=question_id).values_list("network_id", flat=True).first()
    leaders = list(Leader.objects.filter(user_id=user_id).values_list("pk", flat=True)) if user_id else []
    if network_id is not None and leaders:
        touch(network_id, leaders, create=created)


def routing_changed(sender: Any, instance: Routing, **kwargs: Any) -> None:
    _touch(instance.question_id, instance.expert_id, "created" in kwargs)


def answer_changed(sender: Any, instance: Answer, **kwargs: Any) -> None:
    _touch(instance.question_id, instance.author_id, "created" in kwargs)
