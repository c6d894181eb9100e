"""Answers in the engagement light: a question the team routed to a member is something expected of
them, answering it (or answering any question of the network) is something they did.

For one network and window: ``expected`` counts the questions routed to the member in the window
plus those they answered without being asked; ``attended`` the questions among them they answered.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from meute.engagement.components import Tally, Window, active_members, register
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

