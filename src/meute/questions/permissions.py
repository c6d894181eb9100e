"""Who may read, answer and triage a question, and who may learn who asked it: the rules, in one place.

* **The team** — the staff of the question's network — and the site administrator read every
  question of the network, triage it (route, ask for details, merge, close), accept answers and
  publish to the knowledge base. They always know who asked.
* **The author** reads their question, comments, accepts answers and consents to publishing.
* **Routed experts** read the question the team routed to them (even a team-only one): the team
  chose to share it with them. A duplicate merged into it leads them there (its routings moved).
* Beyond them, the question's scope decides:
  ``team`` nobody else; ``group`` whoever may see the peer group
  (:func:`meute.peergroups.permissions.can_see_group`: its members, facilitator, sponsors);
  ``network`` the network's active members and role holders; ``territory`` the active members
  and role holders of the networks that share a département with the question's network.
* **An anonymous question's author** is known to the team and to the author only; every page,
  e-mail, notification and export shown to anyone else says "a member".
* **The knowledge base** of a network is read by its active members, role holders and staff.
"""

from __future__ import annotations

from typing import Any

from meute.core.permissions import cached_on_user, is_site_admin
from meute.members.models import Network
from meute.members.permissions import member_network_ids, role_network_ids, staff_network_ids
from meute.questions.models import Question, Scope, Status


def territory_network_ids(network_id: int) -> frozenset[int]:
    """The networks sharing at least one département with ``network_id`` (itself included)."""
    departments = Network.departments.through.objects.filter(network_id=network_id).values("department_id")
    ids = set(Network.departments.through.objects.filter(department_id__in=departments)
              .values_list("network_id", flat=True))
    return frozenset(ids | {network_id})


def belongs_to(user: Any) -> frozenset[int]:
    """The networks where ``user`` is an active member or holds a role."""
    return member_network_ids(user) | role_network_ids(user)


def is_team(user: Any, network_id: int) -> bool:
    return is_site_admin(user) or network_id in staff_network_ids(user)


def is_routed(user: Any, question: Question) -> bool:
    """The team routed ``question`` to ``user``; for a merged duplicate, the question it was merged into
    (the routings moved there, and the expert's earlier links to the duplicate lead them on)."""
    routed = cached_on_user(user, "routed_question_ids",
                            lambda: frozenset(user.routed_questions.values_list("question_id", flat=True)))
    if question.status == Status.MERGED and question.merged_into_id is not None:
        return question.merged_into_id in routed
    return question.pk in routed


def in_scope(user: Any, question: Question, scope: str | None = None) -> bool:
    """Whether the scope (the question's, or ``scope``) lets ``user`` read it, team and author apart."""
    from meute.peergroups.permissions import can_see_group

    scope = scope or question.scope
    if scope == Scope.GROUP:
        return question.group is not None and can_see_group(user, question.group)
    if scope == Scope.NETWORK:
        return question.network_id in belongs_to(user)
    if scope == Scope.TERRITORY:
        return bool(territory_network_ids(question.network_id) & belongs_to(user))
    return False


def can_see_question(user: Any, question: Question) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if is_team(user, question.network_id) or question.author_id == user.pk:
        return True
    return is_routed(user, question) or in_scope(user, question)


def may_know_author(user: Any, question: Question) -> bool:
    """Whether ``user`` may learn who asked ``question`` (they may already see the question)."""
    if not question.anonymous:
        return True
    return getattr(user, "is_authenticated", False) and (
        question.author_id == user.pk or is_team(user, question.network_id))


def is_live(question: Question) -> bool:
    """Still taking answers and comments (neither closed nor merged)."""
    return question.status not in (Status.CLOSED, Status.MERGED)


def can_answer(user: Any, question: Question) -> bool:
    return is_live(question) and question.author_id != user.pk and can_see_question(user, question)


def can_accept(user: Any, question: Question) -> bool:
    return is_live(question) and (question.author_id == user.pk or is_team(user, question.network_id))


def can_read_network_base(user: Any, network_id: int) -> bool:
    """Whether ``user`` may read the knowledge base (and the obligations) of ``network_id``."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_site_admin(user) or network_id in belongs_to(user) or network_id in staff_network_ids(user)


def scopes_for(user: Any, network: Network, groups: list) -> list[str]:
    """The scopes ``user`` may choose for a question in ``network`` (a member or the team)."""
    if network.pk not in member_network_ids(user) and not is_team(user, network.pk):
        return []
    scopes = [Scope.TEAM, Scope.NETWORK, Scope.TERRITORY]
    if groups:
        scopes.insert(1, Scope.GROUP)
    return scopes
