"""Which members could answer a question: routing proposals for the team.

A member's expertise is what the directory says (the "expertise I can share" field, the
company's activity — its NAF label — and what it offers) plus the titles of the questions where
one of their answers was accepted. Each of these texts and the question (title, body, tags) are
encoded by the advisor's text matching (:mod:`meute.advisor.textmatch`, the same vectors as the
introductions). A member's score is the best cosine among their texts (a long "what we offer"
does not drown a one-word expertise), plus ``WORD_BONUS`` per content word shared with the
question (at most three) and ``ACCEPTED_BONUS`` per accepted answer (at most five), so that
proven experts come first among equals. The shared words are shown: they explain the score.
Candidates are the network's active members except the author (:func:`services.expert_candidates`).

The triage page reads :func:`suggest_experts`, which keeps the proposals in Django's cache under a
key made of the question's text, its author, the experts already routed and the network's
:class:`~meute.questions.models.ExpertiseVersion`: a changed question or routing reads a new key at
once, and :func:`expertise_changed` bumps the version, in the writing transaction, of every network
of people whose expertise changed (a profile or company saved, a membership changed, imported
members, an answer accepted or moved by a merge; receivers in :mod:`meute.questions.apps`). The
proposals read from the cache are filtered again by the current candidates, so someone who left
the network is never proposed.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import F

from meute.advisor import textmatch
from meute.naf.reference import naf_codes
from meute.questions.models import Answer, ExpertiseVersion, Question
from meute.questions.services import expert_candidates

ACCEPTED_BONUS = 0.02  # per accepted answer, at most five
WORD_BONUS = 0.05  # per content word shared with the question, at most three
MIN_SCORE = 0.05
CANDIDATES_MAX = 2000  # a network's active members: beyond, the most recently joined are read
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Proposal:
    user: Any
    score: float
    accepted: int
    words: tuple[str, ...]


def question_text(question: Question) -> str:
    return " ".join([question.title, question.body, *(t.name for t in question.tags.all())])


def _activity(naf_code: str) -> str:
    code = naf_codes().get(naf_code)
    return str(code.label) if code is not None else ""


def expertise_texts(users: list[Any]) -> tuple[dict[int, list[str]], dict[int, int]]:
    """Each person's expertise texts and count of accepted answers."""
    accepted_titles: dict[int, list[str]] = defaultdict(list)
    for author_id, title in (Answer.objects.filter(author__in=users, accepted_at__isnull=False)
                             .values_list("author_id", "question__title")):
        accepted_titles[author_id].append(title)
    texts = {}
    for user in users:
        leader = getattr(user, "leader", None)
        parts = []
        if leader is not None:
            parts.append(leader.expertise)
            if leader.company_id:
                parts += [_activity(leader.company.naf_code), leader.company.offers]
        parts += accepted_titles.get(user.pk, [])
        texts[user.pk] = [p for p in parts if p and p.strip()]
    return texts, {pk: len(titles) for pk, titles in accepted_titles.items()}


def propose_experts(question: Question, *, limit: int = 5) -> list[Proposal]:
    """The best experts for ``question``, best first (never its author; people already routed too)."""
    users = list(expert_candidates(question).exclude(routed_questions__question=question)
                 .select_related("leader__company").order_by("-pk")[:CANDIDATES_MAX])
    if not users:
        return []
    texts, accepted = expertise_texts(users)
    wanted = question_text(question)
    flat = [(i, text) for i, user in enumerate(users) for text in texts[user.pk]]
    if not flat:
        return []
    cosines = textmatch.encode([text for _i, text in flat]) @ textmatch.encode([wanted])[0]
    best = np.zeros(len(users), dtype=np.float32)
    np.maximum.at(best, np.array([i for i, _text in flat]), cosines)
    words = [textmatch.shared_words(wanted, " ".join(texts[u.pk])) for u in users]
    scores = (best + WORD_BONUS * np.minimum(3, [len(w) for w in words])
              + ACCEPTED_BONUS * np.minimum(5, [accepted.get(u.pk, 0) for u in users]))
    order = np.argsort(-scores, kind="stable")
    out = []
    for i in order[:limit]:
        if scores[i] < MIN_SCORE:
            break
        user = users[int(i)]
        out.append(Proposal(user, float(scores[i]), accepted.get(user.pk, 0), tuple(words[int(i)][:6])))
    return out


# ----------------------------------------------------------------------------- cached proposals

def suggest_experts(question: Question, *, limit: int = 5) -> list[Proposal]:
    """:func:`propose_experts`, computed once per state of the question and of the network's expertise."""
    key = _cache_key(question, limit)
    rows = cache.get(key)
    if rows is None:
        proposals = propose_experts(question, limit=limit)
        cache.set(key, [(p.user.pk, p.score, p.accepted, p.words) for p in proposals], CACHE_SECONDS)
        return proposals
    users = expert_candidates(question).select_related("leader__company").in_bulk([row[0] for row in rows])
    return [Proposal(users[pk], score, accepted, tuple(words)) for pk, score, accepted, words in rows if pk in users]


def _cache_key(question: Question, limit: int) -> str:
    routed = sorted(question.routings.values_list("expert_id", flat=True))
    version = ExpertiseVersion.objects.filter(network_id=question.network_id).values_list("version", flat=True).first()
    state = json.dumps([question_text(question), question.author_id, routed, version or 0, limit,
                        textmatch.model_name()])
    return f"meute:questions:experts:{question.pk}:{hashlib.sha256(state.encode()).hexdigest()}"


def expertise_changed(user_ids: Iterable[int | None]) -> None:
    """What these people can answer changed: bump the version of every network they have a membership in."""
    from meute.members.models import Membership

    ids = sorted({int(pk) for pk in user_ids if pk is not None})
    networks: set[int] = set()
    for start in range(0, len(ids), 500):
        networks |= set(Membership.objects.filter(leader__user_id__in=ids[start:start + 500])
                        .values_list("network_id", flat=True))
    bump_networks(networks)


def bump_networks(network_ids: Iterable[int]) -> None:
    """Bump the expertise version of these networks (in id order, so two writers never wait crosswise)."""
    ids = sorted(set(network_ids))
    if not ids:
        return
    ExpertiseVersion.objects.bulk_create([ExpertiseVersion(network_id=pk) for pk in ids], ignore_conflicts=True)
    for pk in ids:
        ExpertiseVersion.objects.filter(network_id=pk).update(version=F("version") + 1)


def leader_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    expertise_changed([instance.user_id])


def company_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if not created:  # a new company has no leader yet
        expertise_changed(instance.leaders.values_list("user_id", flat=True))


def people_changed(sender: Any, user_ids: Iterable[int] = (), leader_ids: Iterable[int] = (), **kwargs: Any) -> None:
    """Memberships changed (:data:`meute.members.access.access_changed`) or profiles were written in
    bulk (:data:`meute.members.signals.profiles_changed`)."""
    from meute.members.models import Leader

    users = set(user_ids)
    leaders = sorted(set(leader_ids))
    for start in range(0, len(leaders), 500):
        users |= set(Leader.objects.filter(pk__in=leaders[start:start + 500]).values_list("user_id", flat=True))
    expertise_changed(users)
