"""Reads of questions, answers, the knowledge base and obligations, each filtered by who asks
(the rules are in :mod:`meute.questions.permissions`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.core.permissions import is_site_admin, not_found
from meute.core.text import search_terms
from meute.members.models import Network
from meute.members.permissions import staff_network_ids
from meute.questions.models import Answer, Article, Attachment, Obligation, Question, Scope, Status, Tag
from meute.questions.permissions import (
    belongs_to,
    can_read_network_base,
    can_see_question,
    may_know_author,
    territory_network_ids,
)


def _territory_of(network_ids: frozenset[int]) -> set[int]:
    out: set[int] = set()
    for pk in network_ids:
        out |= territory_network_ids(pk)
    return out


def list_questions(user: Any) -> QuerySet[Question]:
    """The questions ``user`` may read (merged ones left out), newest first."""
    from meute.peergroups.queries import list_my_groups

    questions = Question.objects.exclude(status=Status.MERGED).select_related("network", "author__leader")
    if is_site_admin(user):
        return questions
    if not getattr(user, "is_authenticated", False):
        return questions.none()
    mine = belongs_to(user)
    visible = (Q(network_id__in=staff_network_ids(user)) | Q(author=user) | Q(routings__expert=user)
               | Q(scope=Scope.NETWORK, network_id__in=mine)
               | Q(scope=Scope.TERRITORY, network_id__in=_territory_of(mine))
               | Q(scope=Scope.GROUP, group_id__in=list_my_groups(user).values("pk")))
    return questions.filter(visible).distinct()


def list_asked_by(user: Any, leader_id: int) -> QuerySet[Question]:
    """The questions asked by the leader ``leader_id`` that ``user`` may read and attribute to them:
    an anonymous question is listed only for its author and the team."""
    questions = list_questions(user).filter(author__leader__id=leader_id)
    if is_site_admin(user):
        return questions
    return questions.filter(Q(anonymous=False) | Q(author=user) | Q(network_id__in=staff_network_ids(user)))


def list_questions_to_answer(user: Any) -> QuerySet[Question]:
    """Questions the team routed to ``user`` that are still open and that they have not answered."""
    if not getattr(user, "is_authenticated", False):
        return Question.objects.none()
    return (Question.objects.filter(routings__expert=user, status__in=[Status.OPEN, Status.DETAILS])
            .exclude(answers__author=user).select_related("network").order_by("created_at").distinct())


def access_question(user: Any, question_id: int) -> Question:
    """The question, if ``user`` may read it; otherwise "not found" (its existence is not revealed)."""
    question = (Question.objects.select_related("network", "group", "author__leader__company", "merged_into")
                .filter(pk=question_id).first())
    if question is None or not can_see_question(user, question):
        raise not_found()
    return question


def access_answer(user: Any, question: Question, answer_id: int) -> Answer:
    answer = question.answers.select_related("author__leader").filter(pk=answer_id).first()
    if answer is None or not can_see_question(user, question):
        raise not_found()
    return answer


def access_attachment(user: Any, question: Question, attachment_id: int) -> Attachment:
    attachment = question.attachments.filter(pk=attachment_id).first()
    if attachment is None or not can_see_question(user, question):
        raise not_found()
    return attachment


def author_label(user: Any, question: Question) -> str:
    """How ``user`` sees the author's name: "a member" for an anonymous question they may not unmask."""
    if not may_know_author(user, question):
        return str(_("a member (anonymous)"))
    leader = getattr(question.author, "leader", None) if question.author_id else None
    if leader is not None:
        return leader.full_name
    return question.author.get_full_name() if question.author_id else str(_("a former member"))


@dataclass(frozen=True)
class ExpertBadge:
    accepted: int


def accepted_counts(user_ids: list[int]) -> dict[int, int]:
    """Accepted answers per person (the experts' badge): public to whoever sees their answers."""
    rows = (Answer.objects.filter(author_id__in=user_ids, accepted_at__isnull=False).values("author_id")
            .annotate(n=Count("pk")).order_by())
    return {r["author_id"]: r["n"] for r in rows}


def list_answers(user: Any, question: Question) -> list[Answer]:
    """The answers with their helpful counts, comments and whether ``user`` found each helpful."""
    answers = list(question.answers.select_related("author__leader").prefetch_related("comments", "attachments")
                   .annotate(helpful=Count("helpful_marks")))
    marked = set(question.answers.filter(helpful_marks__user_id=user.pk).values_list("pk", flat=True))
    counts = accepted_counts([a.author_id for a in answers if a.author_id])
    readable = _readable_documents(user, {a.document_id for a in answers if a.document_id})
    for answer in answers:
        answer.marked = answer.pk in marked
        answer.expert_accepted = counts.get(answer.author_id, 0)
        answer.readable_document = readable.get(answer.document_id)
    return answers


def _readable_documents(user: Any, ids: set[int]) -> dict[int, Any]:
    """The library documents among ``ids`` that ``user`` may read (an answer's link shows only then)."""
    if not ids:
        return {}
    from meute.documents.queries import list_documents

    return {d.pk: d for d in list_documents(user).filter(pk__in=ids)}


# ----------------------------------------------------------------------------- knowledge base

def list_base_network_ids(user: Any) -> set[int]:
    if is_site_admin(user):
        return set(Network.objects.values_list("pk", flat=True))
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(belongs_to(user) | staff_network_ids(user))


def list_articles(user: Any, *, text: str = "", tag: str = "") -> QuerySet[Article]:
    """Articles of the knowledge bases ``user`` may read, searched with the directory's folded text."""
    articles = Article.objects.filter(network_id__in=list_base_network_ids(user)).select_related("network")
    for term in search_terms(text):
        articles = articles.filter(search_text__contains=term)
    if tag:
        articles = articles.filter(tags__slug=tag[:60])
    return articles.prefetch_related("tags")


def access_article(user: Any, article_id: int) -> Article:
    article = Article.objects.select_related("network").filter(pk=article_id).first()
    if article is None or not can_read_network_base(user, article.network_id):
        raise not_found()
    return article


def list_base_tags(user: Any) -> QuerySet[Tag]:
    """The tags of the articles ``user`` may read, with their counts (browsing by tag)."""
    return (Tag.objects.filter(articles__network_id__in=list_base_network_ids(user))
            .annotate(n=Count("articles", distinct=True)).order_by("name"))


def articles_for_tag(network_id: int, tag_id: int) -> list[Article]:
    return list(Article.objects.filter(network_id=network_id, tags=tag_id).order_by("-valid_on")[:3])


# ----------------------------------------------------------------------------- staff

def list_obligations(user: Any, network: Network) -> QuerySet[Obligation]:
    if not (is_site_admin(user) or network.pk in staff_network_ids(user)):
        raise not_found()
    return network.obligations.select_related("tag")


def access_obligation(user: Any, obligation_id: int) -> Obligation:
    obligation = Obligation.objects.select_related("network", "tag").filter(pk=obligation_id).first()
    if obligation is None or not (is_site_admin(user) or obligation.network_id in staff_network_ids(user)):
        raise not_found()
    return obligation


@dataclass(frozen=True)
class Theme:
    tag: Tag
    questions: int
    askers: int


def quarter_start(now: datetime.datetime | None = None) -> datetime.datetime:
    now = timezone.localtime(now or timezone.now())
    month = 3 * ((now.month - 1) // 3) + 1
    return now.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


def question_themes(network: Network, *, since: datetime.datetime | None = None, minimum: int = 2) -> list[Theme]:
    """The tags of the network's questions since ``since`` (this quarter) asked by at least ``minimum``
    people, most asked first: what the programme could answer with a workshop (staff only, via the cockpit)."""
    rows = (Question.objects.filter(network=network, created_at__gte=since or quarter_start())
            .exclude(status=Status.MERGED).values("tags")
            .annotate(n=Count("pk", distinct=True), askers=Count("author", distinct=True))
            .filter(tags__isnull=False, askers__gte=minimum).order_by("-n", "tags"))
    rows = list(rows[:6])
    tags = Tag.objects.in_bulk([r["tags"] for r in rows])
    return [Theme(tags[r["tags"]], r["n"], r["askers"]) for r in rows]


def list_team_queue(user: Any, network: Network) -> QuerySet[Question]:
    """The network's questions waiting for the team (open, details asked), oldest first."""
    if not (is_site_admin(user) or network.pk in staff_network_ids(user)):
        raise not_found()
    return (Question.objects.filter(network=network, status__in=[Status.OPEN, Status.DETAILS])
            .select_related("author__leader").order_by("created_at"))
