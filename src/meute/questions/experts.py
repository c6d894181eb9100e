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
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from meute.advisor import textmatch
from meute.naf.reference import naf_codes
from meute.questions.models import Answer, Question
from meute.questions.services import expert_candidates

ACCEPTED_BONUS = 0.02  # per accepted answer, at most five
WORD_BONUS = 0.05  # per content word shared with the question, at most three
MIN_SCORE = 0.05
CANDIDATES_MAX = 2000  # a network's active members: beyond, the most recently joined are read


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
