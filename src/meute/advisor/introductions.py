"""People you should meet: suggestions, and introductions asked, accepted or declined.

Suggestions (a read, checked through the directory's rule) score the members the asker
has not met (outside the asker's networks, past introductions and cafés, peer groups and
speed-meeting tables) whose *offer* answers the asker's *need*, or who *need the same
thing* (a problem they share), minus a distance penalty. Candidates
come from the inverted-file index of :mod:`meute.advisor.vectors` (the buckets nearest to
the asker's need), so the cost does not grow with the size of the directory.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from meute.advisor import textmatch, vectors
from meute.advisor.exceptions import AdvisorError
from meute.advisor.models import CafePairing, Introduction, IntroductionStatus, TextVectors
from meute.core.audit import log_action
from meute.core.exceptions import NotFound
from meute.events.queries import tablemate_ids
from meute.members.models import Leader, Membership, MembershipStatus
from meute.members.queries import access_leader, list_directory, visible_contact
from meute.notifications.services import Text
from meute.peergroups.queries import fellow_member_ids
from meute.territory.reference import MissingCoordinates, UnknownCommune, distance_km

OFFER_POINTS = 100  # times cos(my need, their offer)
SHARED_POINTS = 50  # times cos(my need, their need): a problem we share
FREE_KM = 30  # no distance penalty within this radius
KM_POINTS = 0.2  # penalty per km beyond it ...
KM_CAP = 20  # ... capped
MIN_SCORE = 25  # below this, no suggestion
PROBES = 3  # buckets searched around the need
CANDIDATES = 1500  # per query (same département, then the rest)


@dataclass(frozen=True)
class Suggestion:
    leader_id: int
    score: float
    reasons: tuple[str, ...]
    leader: Leader | None = None


def _my_networks(leader: Leader) -> list[int]:
    return list(leader.memberships.exclude(status=MembershipStatus.LEFT).values_list("network_id", flat=True))


def _already_met(leader: Leader) -> set[int]:
    """Leaders ``leader`` knows already: past introductions, cafés, fellow members of a peer
    group and tablemates at speed meetings that have started."""
    met = set()
    for a, b in Introduction.objects.filter(Q(requester=leader) | Q(target=leader)).values_list(
            "requester_id", "target_id"):
        met |= {a, b}
    pairings = CafePairing.objects.filter(leaders=leader).values_list("leaders", flat=True)
    met |= set(pairings)
    met |= fellow_member_ids(leader.pk)
    tablemates = tablemate_ids(leader.user_id)
    if tablemates:
        met |= set(Leader.objects.filter(user_id__in=tablemates).values_list("pk", flat=True))
    met.discard(leader.pk)
    return met


def _need_vector(leader: Leader) -> tuple[np.ndarray, str]:
    need = leader.company.needs if leader.company else ""
    return vectors.encode_segmented([need], textmatch.model_name())[0], need


def _candidate_rows(user: Any, leader: Leader, buckets: list[int], model: str) -> list[tuple]:
    """Up to ``CANDIDATES`` listed leaders of the asker's département whose offer or need lies
    in ``buckets``, then as many elsewhere: (pk, commune, offers, needs).

    The query drives from the bucket indexes: the leaders of the buckets are read from
    ``advisor_vectors_offer_idx`` and ``advisor_vectors_need_idx`` alone (two hashed
    subqueries, no vector read), the directory's rows are filtered against them, and only
    the rows returned fetch their vectors; a département of 8,000 listed leaders is no
    longer probed leader by leader."""
    by_offer = TextVectors.objects.filter(offer_bucket__in=buckets).values("leader_id")
    by_need = TextVectors.objects.filter(need_bucket__in=buckets).values("leader_id")
    base = list_directory(user).order_by().exclude(pk=leader.pk).filter(
        Q(pk__in=by_offer) | Q(pk__in=by_need), text_vectors__model=model)
    fields = ("pk", "company__commune_id", "text_vectors__offers", "text_vectors__needs")
    department = leader.company.department_id if leader.company else None
    rows = list(base.filter(company__department_id=department).values_list(*fields)[:CANDIDATES])
    if len(rows) < CANDIDATES:
        rows += list(base.exclude(company__department_id=department).values_list(*fields)[:CANDIDATES])
    return rows


def _km(a: str | None, b: str | None) -> float | None:
    if not a or not b:
        return None
    try:
        return distance_km(a, b)
    except (UnknownCommune, MissingCoordinates):
        return None


def _score(my_need: np.ndarray, need_text: str, offers: Any, needs: Any, km: float | None) -> tuple[float, list]:
    reasons: list[str] = []
    o, n = textmatch.from_bytes(offers), textmatch.from_bytes(needs)
    offer_pts = OFFER_POINTS * max(0.0, float(my_need @ o)) if o is not None else 0.0
    shared_pts = SHARED_POINTS * max(0.0, float(my_need @ n)) if n is not None else 0.0
    best = max(offer_pts, shared_pts)
    if offer_pts >= shared_pts:
        reasons.append(("offer", round(offer_pts, 1)))
    else:
        reasons.append(("shared", round(shared_pts, 1)))
    penalty = 0.0
    if km is not None and km > FREE_KM:
        penalty = min(KM_CAP, (km - FREE_KM) * KM_POINTS)
    reasons.append(("distance", -round(penalty, 1), km))
    return round(best - penalty, 1), reasons


def _matrix(blobs: list) -> tuple[np.ndarray, np.ndarray]:
    """The float16 vectors ``blobs`` as one float32 matrix (zero rows where missing), and the mask."""
    present = np.array([bool(b) for b in blobs], dtype=bool)
    out = np.zeros((len(blobs), textmatch.DIM), dtype=np.float32)
    if present.any():
        joined = b"".join(bytes(b) for b in blobs if b)
        out[present] = np.frombuffer(joined, dtype=np.float16).reshape(-1, textmatch.DIM)
    return out, present


def _best_rows(my_need: np.ndarray, here: str | None, rows: list[tuple], limit: int) -> list[tuple]:
    """``(score, pk, reasons)`` of the ``limit`` best rows scoring at least ``MIN_SCORE``: the
    same scores as :func:`_score`, computed as two matrix products over every candidate."""
    if not rows:
        return []
    offers, has_offer = _matrix([r[2] for r in rows])
    needs, has_need = _matrix([r[3] for r in rows])
    offer_pts = np.where(has_offer, OFFER_POINTS * np.maximum(0.0, offers @ my_need), 0.0)
    shared_pts = np.where(has_need, SHARED_POINTS * np.maximum(0.0, needs @ my_need), 0.0)
    memo: dict[str, float | None] = {}
    kms = [memo[c] if c in memo else memo.setdefault(c, _km(here, c)) for c in (r[1] for r in rows)]
    km = np.array([np.nan if k is None else k for k in kms], dtype=float)
    penalty = np.where(km > FREE_KM, np.minimum(KM_CAP, (km - FREE_KM) * KM_POINTS), 0.0)
    scores = np.round(np.maximum(offer_pts, shared_pts) - penalty, 1)
    keep = sorted(np.nonzero(scores >= MIN_SCORE)[0].tolist(), key=lambda k: (-scores[k], rows[k][0]))
    top = []
    for k in keep[:limit]:
        kind, pts = ("offer", offer_pts[k]) if offer_pts[k] >= shared_pts[k] else ("shared", shared_pts[k])
        raw = [(kind, round(float(pts), 1)), ("distance", -round(float(penalty[k]), 1), kms[k])]
        top.append((float(scores[k]), rows[k][0], raw))
    return top


def _explain(raw: list, leader: Leader, my_need: str) -> tuple[str, ...]:
    company = leader.company
    out = []
    for reason in raw:
        if reason[0] == "offer":
            out.append(_("Offers “%(o)s”, which answers your need “%(n)s” (+%(p)s)")
                       % {"o": (company.offers if company else "")[:120], "n": my_need[:80], "p": reason[1]})
        elif reason[0] == "shared":
            out.append(_("Also looks for “%(n)s”: a problem you share (+%(p)s)")
                       % {"n": (company.needs if company else "")[:80], "p": reason[1]})
        elif reason[2] is not None and reason[1]:
            out.append(_("%(km)s km away (%(p)s)") % {"km": round(reason[2]), "p": reason[1]})
        elif reason[2] is not None:
            out.append(_("%(km)s km away") % {"km": round(reason[2])})
    return tuple(out)


def list_suggestions(user: Any, *, limit: int = 10) -> list[Suggestion]:
    """Members ``user`` should meet, best first, each with its reasons; only leaders ``user`` may see."""
    leader = Leader.objects.select_related("company").filter(user_id=getattr(user, "pk", None)).first()
    if leader is None or leader.company is None:
        return []
    my_need, need_text = _need_vector(leader)
    model = textmatch.model_name()
    buckets = vectors.nearest_buckets(my_need, vectors.centroids(model), PROBES)
    if not buckets:
        return []
    rows = _candidate_rows(user, leader, buckets, model)
    excluded = _already_met(leader)
    mine = _my_networks(leader)
    if mine:
        excluded |= set(Membership.objects.filter(network_id__in=mine, leader_id__in=[r[0] for r in rows]).exclude(
            status=MembershipStatus.LEFT).values_list("leader_id", flat=True))
    rows = [r for r in rows if r[0] not in excluded]
    top = _best_rows(my_need, leader.company.commune_id, rows, limit)
    leaders = Leader.objects.select_related("user", "company", "company__commune").in_bulk([pk for _s, pk, _r in top])
    return [Suggestion(pk, score, _explain(raw, leaders[pk], need_text), leaders[pk]) for score, pk, raw in top]


def _pair_reason(requester: Leader, target: Leader) -> tuple[float, str]:
    need = requester.company.needs if requester.company else ""
    tv = TextVectors.objects.filter(leader=target, model=textmatch.model_name()).first()
    if not need or tv is None:
        return 0.0, ""
    km = _km(requester.company.commune_id if requester.company else None,
             target.company.commune_id if target.company else None)
    score, raw = _score(_need_vector(requester)[0], need, tv.offers, tv.needs, km)
    return score, " ; ".join(_explain(raw, target, need))[:300]


# ----------------------------------------------------------------------------- services

def _notify(introduction: Introduction, person: Any, kind: str, title: Any, body: Any, actor: Any) -> None:
    """The introduction's e-mail is the notification's: sent at once, in a digest or not, per the person's choice."""
    from meute.notifications.services import notify

    notify([person], kind, obj=introduction, url=reverse("web:meetings"), title=title, body=body, actor=actor)


def _check_daily_limit(requester: Leader) -> None:
    """One member sends at most ``MEUTE_INTRODUCTIONS_PER_DAY`` requests in any 24 hours."""
    limit = settings.MEUTE_INTRODUCTIONS_PER_DAY
    since = timezone.now() - datetime.timedelta(hours=24)
    sent = Introduction.objects.filter(requester=requester, created__gte=since)
    if sent.count() >= limit:
        oldest = sent.order_by("created").values_list("created", flat=True)[sent.count() - limit]
        raise AdvisorError(
            ngettext("You may send %(n)s introduction request per 24 hours; you can send the next one on %(when)s.",
                     "You may send %(n)s introduction requests per 24 hours; you can send the next one on %(when)s.",
                     limit)
            % {"n": limit, "when": date_format(timezone.localtime(oldest + datetime.timedelta(hours=24)),
                                               "DATETIME_FORMAT")})


def check_request_introduction(target_id: int, *, message: str = "", acting_user: Any) -> Introduction:
    """The acting member asks to be introduced to a leader they may see."""
    requester = Leader.objects.select_related("company", "user").filter(user_id=acting_user.pk).first()
    if requester is None:
        raise AdvisorError(_("Only members with a leader profile may ask for introductions."))
    try:
        target = access_leader(acting_user, target_id)
    except NotFound:
        raise AdvisorError(_("This member does not exist or you may not see them.")) from None
    if target.pk == requester.pk:
        raise AdvisorError(_("You cannot ask to be introduced to yourself."))
    if Introduction.objects.filter(Q(requester=requester, target=target) | Q(requester=target, target=requester)
                                   ).exists():
        raise AdvisorError(_("An introduction between you two was already asked for."))
    _check_daily_limit(requester)
    return do_request_introduction(requester, target, message=message[:2000], acting_user=acting_user)


def do_request_introduction(requester: Leader, target: Leader, *, message: str, acting_user: Any) -> Introduction:
    """Create the request; both leaders' rows are locked (in id order) so that A→B and B→A at
    the same moment give one introduction, and the second is refused."""
    score, reason = _pair_reason(requester, target)
    try:
        with transaction.atomic():
            list(Leader.objects.select_for_update().filter(pk__in=[requester.pk, target.pk]).order_by("pk")
                 .values_list("pk", flat=True))
            if Introduction.objects.filter(Q(requester=requester, target=target)
                                           | Q(requester=target, target=requester)).exists():
                raise AdvisorError(_("An introduction between you two was already asked for."))
            intro = Introduction.objects.create(requester=requester, target=target, message=message, reason=reason,
                                                score=score)
            log_action("advisor.introduction.requested", actor=acting_user, obj=intro,
                       data={"requester": requester.pk, "target": target.pk, "score": score})
            _notify(intro, target.user, "introduction_asked",
                    Text(gettext_lazy("%(n)s would like to meet you"), n=requester.full_name),
                    Text(gettext_lazy("%(n)s (%(c)s) asks to be introduced to you.\n\n%(m)s\n\nWhy: %(r)s\n\n"
                                      "Answer on meute."),
                         n=requester.full_name, c=requester.company.name if requester.company else "", m=message,
                         r=reason), acting_user)
    except IntegrityError:
        raise AdvisorError(_("An introduction between you two was already asked for.")) from None
    return intro


def check_answer_introduction(introduction: Introduction, *, accept: bool, acting_user: Any) -> Introduction:
    """The member asked for accepts or declines; only they may answer, and only once."""
    if introduction.target.user_id != acting_user.pk:
        raise AdvisorError(_("Only the member asked for may answer this introduction."))
    return do_answer_introduction(introduction, accept=accept, acting_user=acting_user)


@transaction.atomic
def do_answer_introduction(introduction: Introduction, *, accept: bool, acting_user: Any) -> Introduction:
    given = introduction
    introduction = Introduction.objects.select_for_update(of=("self",)).select_related(
        "requester__user", "target__user", "requester__company", "target__company").get(pk=introduction.pk)
    if introduction.status != IntroductionStatus.PENDING:  # checked under the lock: one answer only
        raise AdvisorError(_("This introduction was already answered."))
    previous_status = introduction.status
    introduction.status = IntroductionStatus.ACCEPTED if accept else IntroductionStatus.DECLINED
    introduction.answered = timezone.now()
    introduction.save(update_fields=["status", "answered"])
    given.status, given.answered = introduction.status, introduction.answered
    log_action("advisor.introduction." + ("accepted" if accept else "declined"), actor=acting_user,
               obj=introduction, changes={"status": [previous_status, introduction.status]})
    requester, target = introduction.requester, introduction.target
    if accept:
        contact = visible_contact(requester.user, target)
        _notify(introduction, requester.user, "introduction_answered",
                Text(gettext_lazy("%(n)s accepted to meet you"), n=target.full_name),
                Text(gettext_lazy("%(n)s accepted your introduction. Contact: %(e)s %(p)s"),
                     n=target.full_name, e=target.user.email, p=contact.get("phone", "")), acting_user)
    else:
        _notify(introduction, requester.user, "introduction_answered", gettext_lazy("Your introduction request"),
                Text(gettext_lazy("%(n)s cannot follow up on your request for now."), n=target.full_name),
                acting_user)
    return introduction
