"""Suggestions from offers and needs: "who in my networks could serve what X is looking for" and
"whose need matches what I offer", each with the reasons it was made.

They reuse the advisor's text matching: the stored vectors of each leader's offer (the company's
offers and the leader's expertise) and need, and their inverted-file buckets
(:mod:`meute.advisor.vectors`), so only the leaders of the buckets nearest to the text are scored
and the cost does not grow with the directory. NAF codes add candidates and points: the words of
a need that name a trade ("plombier", "comptable") give activities (``naf.activities``), and a
company whose code is one of them serves it.

Only members of the asker's networks whom the asker may see (the directory's rule,
``members.queries.list_directory``) are suggested, and never a direct competitor of the
receiver: the prospect and the receiver of a suggested referral never share a NAF classe within
``COMPETITOR_KM`` (peer groups' rule, ``matching.grouping.CompetitorRule``). A member's own
offer or need is read from their stored vector (encoded when their profile changed); only a
need typed on the page is encoded at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.utils.translation import gettext as _

from meute.advisor import textmatch, vectors
from meute.advisor.introductions import _km, _matrix
from meute.advisor.models import TextVectors
from meute.matching.grouping import CompetitorRule
from meute.members.models import Company, Leader, Membership, MembershipStatus
from meute.members.queries import list_directory
from meute.naf.activities import search_activities
from meute.referrals.permissions import leader_of

TEXT_POINTS = 100  # times the cosine of the need and the offer
NAF_POINTS = 30  # the company's activity is one the need names
MIN_SCORE = 25
PROBES = 3  # buckets searched around the text
CANDIDATES = 500  # rows scored per query (the members of my networks in the nearest buckets)
NAF_CANDIDATES = 200  # companies of the activities the need names
SPECIFIC = 4  # a word naming more activities than this says nothing about the trade
COMPETITOR_KM = CompetitorRule().max_km


@dataclass(frozen=True)
class Suggestion:
    leader: Leader
    score: float
    reasons: tuple[str, ...]


def activities_named(text: str) -> set[str]:
    """NAF codes the trade words of ``text`` name ("plombier" → 43.22A, 43.22B…)."""
    codes: set[str] = set()
    for word in dict.fromkeys(textmatch.tokens(text)):
        if len(word) < 4:
            continue
        found = search_activities(word, limit=SPECIFIC + 1)
        if 0 < len(found) <= SPECIFIC:
            codes.update(c.code for c in found)
    return codes


def competitors(a: Company | None, naf: str, commune: str | None) -> bool:
    """Whether company ``a`` and a company of ``naf`` in ``commune`` compete: the same NAF classe
    and at most ``COMPETITOR_KM`` apart (or a location unknown)."""
    if a is None or not a.naf_code or not naf or a.naf_code[:5] != naf[:5]:
        return False
    km = _km(a.commune_id, commune)
    return km is None or km <= COMPETITOR_KM


def _shared_network_ids(leader: Leader) -> Any:
    mine = Membership.objects.filter(leader=leader, status=MembershipStatus.ACTIVE).values("network_id")
    return Membership.objects.filter(network_id__in=mine, status=MembershipStatus.ACTIVE).values("leader_id")


def _rows(user: Any, me: Leader, buckets: list[int], field: str, naf_codes: set[str],
          exclude: set[int]) -> list[tuple]:
    """Candidates among the listed members of my networks ``user`` may see: those whose ``field``
    ("offer" or "need") bucket is one of ``buckets`` (read from the bucket index), then those whose
    activity is one of ``naf_codes`` (two plain queries rather than one ``OR``, which would read
    the whole network). Rows: (pk, naf, commune, vector, shared network)."""
    base = (list_directory(user).order_by().filter(pk__in=_shared_network_ids(me))
            .exclude(pk__in=[me.pk, *exclude]))
    columns = ("pk", "company__naf_code", "company__commune_id", f"text_vectors__{field}s")
    by_bucket = TextVectors.objects.filter(**{f"{field}_bucket__in": buckets}).values("leader_id")
    rows = [(*r, True) for r in base.filter(pk__in=by_bucket).values_list(*columns)[:CANDIDATES]]
    if naf_codes:
        seen = {r[0] for r in rows}
        rows += [(*r, True) for r in base.filter(company__naf_code__in=sorted(naf_codes)).values_list(*columns)[
            :NAF_CANDIDATES] if r[0] not in seen]
    return rows


def _holding(field: str, model: str) -> frozenset[int]:
    """The buckets that hold at least one offer (or need): offers and needs are phrased apart, so
    the buckets nearest to an offer may hold no need at all. Kept ten minutes in the cache."""
    key = f"meute:referrals:buckets:{model}:{field}"
    found = cache.get(key)
    if found is None:
        found = frozenset(TextVectors.objects.filter(model=model).exclude(**{f"{field}_bucket": None})
                          .values_list(f"{field}_bucket", flat=True).distinct())
        cache.set(key, found, 600)
    return found


def nearest_holding(vector: np.ndarray, field: str, model: str, probes: int = PROBES) -> list[int]:
    """The ``probes`` buckets nearest to ``vector`` among those holding an offer (or a need)."""
    held = _holding(field, model)
    order = vectors.nearest_buckets(vector, vectors.centroids(model), len(vectors.centroids(model)))
    return [b for b in order if b in held][:probes]


def _stored(leader: Leader | None, field: str, model: str) -> np.ndarray | None:
    """The stored vector of a leader's offer or need (encoded when their profile changed), if current."""
    if leader is None:
        return None
    blob = TextVectors.objects.filter(leader=leader, model=model).values_list(f"{field}s", flat=True).first()
    vector = textmatch.from_bytes(blob)
    return vector if vector is not None and vector.any() else None


def _rank(vector: np.ndarray, rows: list[tuple], naf_codes: set[str], limit: int) -> list[tuple]:
    """``(score, row, text points, NAF match)`` of the best rows (three times ``limit``: competitors
    are removed afterwards)."""
    if not rows:
        return []
    matrix, present = _matrix([r[3] if r[3] else None for r in rows])
    text = (np.where(present, TEXT_POINTS * np.maximum(0.0, matrix @ vector), 0.0) if vector.any()
            else np.zeros(len(rows)))
    naf = np.array([NAF_POINTS if r[1] in naf_codes else 0 for r in rows], dtype=float)
    scores = np.round(text + naf, 1)
    keep = sorted(np.nonzero(scores >= MIN_SCORE)[0].tolist(), key=lambda k: (-scores[k], rows[k][0]))
    return [(float(scores[k]), rows[k], float(text[k]), bool(naf[k])) for k in keep[:limit * 3]]


def _explain(kind: str, leader: Leader, text_pts: float, naf: bool, shared: bool, wanted: str) -> tuple[str, ...]:
    company = leader.company
    out = []
    if text_pts >= 1 and kind == "serve":
        out.append(_("Offers “%(o)s”, which answers “%(n)s” (+%(p)s)")
                   % {"o": (company.offers or leader.expertise)[:120], "n": wanted[:80], "p": round(text_pts, 1)})
    elif text_pts >= 1:
        out.append(_("Looks for “%(n)s”, which you offer (+%(p)s)")
                   % {"n": company.needs[:120], "p": round(text_pts, 1)})
    if naf:
        out.append(_("Its activity, %(code)s, is a trade the need names (+%(p)s)")
                   % {"code": company.naf_code, "p": NAF_POINTS})
    if shared:
        out.append(_("A member of a network you share"))
    return tuple(out)


def _finish(kind: str, ranked: list, wanted: str, avoid: Company | None, limit: int) -> list[Suggestion]:
    """The best ``limit`` of ``ranked`` that are no competitor of ``avoid``, with their reasons."""
    out = []
    kept = [r for r in ranked if not competitors(avoid, r[1][1], r[1][2])][:limit]
    leaders = Leader.objects.select_related("user", "company", "company__commune").in_bulk([r[1][0] for r in kept])
    for score, row, text_pts, naf in kept:
        leader = leaders[row[0]]
        out.append(Suggestion(leader, score, _explain(kind, leader, text_pts, naf, row[4], wanted)))
    return out


def who_could_serve(user: Any, need: str, *, prospect: Leader | None = None, limit: int = 5) -> list[Suggestion]:
    """Members of ``user``'s networks whose offer answers ``need`` (a contact's need, or member ``prospect``'s):
    the receivers of a referral ``user`` could give. Never a competitor of the prospect."""
    me = leader_of(user)
    need = (need or "").strip()
    if me is None or not need:
        return []
    model = textmatch.model_name()
    stored = _stored(prospect, "need", model) if prospect is not None and prospect.company and \
        need == prospect.company.needs.strip() else None
    vector = stored if stored is not None else vectors.encode_segmented([need], model)[0]
    buckets = nearest_holding(vector, "offer", model)
    naf_codes = activities_named(need)
    if not buckets and not naf_codes:
        return []
    exclude = {prospect.pk} if prospect is not None else set()
    rows = _rows(user, me, buckets or [-1], "offer", naf_codes, exclude)
    return _finish("serve", _rank(vector, rows, naf_codes, limit), need,
                   prospect.company if prospect is not None else None, limit)


def whose_need_i_serve(user: Any, *, limit: int = 5) -> list[Suggestion]:
    """Members of ``user``'s networks whose need matches what ``user``'s company offers (and the
    leader's expertise): people to meet or to be introduced to. Never a competitor of ``user``."""
    me = leader_of(user)
    if me is None:
        return []
    offers = " ; ".join(x for x in ((me.company.offers if me.company else ""), me.expertise) if x)
    if not offers:
        return []
    model = textmatch.model_name()
    stored = _stored(me, "offer", model)
    vector = stored if stored is not None else vectors.encode_segmented([offers], model)[0]
    buckets = nearest_holding(vector, "need", model)
    if not buckets:
        return []
    rows = _rows(user, me, buckets, "need", set(), set())
    return _finish("need", _rank(vector, rows, set(), limit), offers, me.company, limit)


def needs_in_my_networks(user: Any, *, limit: int = 8) -> list[Leader]:
    """Members of my networks (listed) who say what they look for: the "X" one may find a supplier for."""
    me = leader_of(user)
    if me is None:
        return []
    return list(list_directory(user).filter(pk__in=_shared_network_ids(me)).exclude(pk=me.pk)
                .exclude(company__needs="").order_by("-company__updated", "pk")[:limit])
