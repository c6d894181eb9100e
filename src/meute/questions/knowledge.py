"""The knowledge base: a resolved question, with its author's consent, anonymised into an article
of the network, searchable with the directory's folded text and browsable by tag.

The team publishes from a draft made of the question and its accepted answers, where the names
of the author, of their company and of the people who answered are already replaced by « […] »;
the team reads and edits it before publishing. The article keeps no link to any person.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meute.core.audit import log_action
from meute.core.bounds import check_bounds
from meute.core.submissions import create_once
from meute.core.text import fold
from meute.questions.exceptions import QuestionError
from meute.questions.models import Article, Question, Status, Tag
from meute.questions.permissions import is_team
from meute.questions.services import parse_tags

REDACTED = "[…]"


def _names_of(question: Question) -> list[str]:
    """Words that would identify the author or the people who answered."""
    names: list[str] = []
    people = [question.author] if question.author_id else []
    people += [a.author for a in question.answers.select_related("author__leader__company") if a.author_id]
    for person in people:
        names += [person.get_full_name(), person.first_name, person.last_name, person.email]
        leader = getattr(person, "leader", None)
        if leader is not None and leader.company_id:
            names.append(leader.company.name)
    return sorted({n.strip() for n in names if n and len(n.strip()) > 2}, key=len, reverse=True)


def anonymise(text: str, names: list[str]) -> str:
    """``text`` with each of ``names`` (whole words, any case) replaced by « […] »."""
    for name in names:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", REDACTED, text, flags=re.IGNORECASE)
    return text


def draft(question: Question) -> dict[str, Any]:
    """The article the team starts from: the question and its accepted answers, names removed."""
    names = _names_of(question)
    accepted = question.answers.filter(accepted_at__isnull=False).order_by("accepted_at")
    parts = [anonymise(question.body, names)]
    parts += [_("**Answer**") + "\n\n" + anonymise(answer.body, names) for answer in accepted]
    return {"title": anonymise(question.title, names), "body": "\n\n---\n\n".join(parts),
            "tags": ", ".join(t.name for t in question.tags.all())}


def _search_text(title: str, body: str, tags: list[Tag]) -> str:
    return fold(" ".join([title, body, *(t.name for t in tags)]))


def _article_fields(title: str, body: str, tags: str, valid_on: datetime.date) -> tuple[str, str, list[Tag]]:
    """An article's title, text and tags as typed, checked (a title, a text, within bounds)."""
    title, body = str(title or "").strip(), str(body or "").strip()
    if not title or not body:
        raise QuestionError(_("An article needs a title and a text."), field="body")
    check_bounds(Article, {"title": title, "body": body, "valid_on": valid_on}, QuestionError)
    return title, body, parse_tags(tags)


def check_publish(question: Question, *, acting_user: Any, title: str, body: str, tags: str,
                  valid_on: datetime.date, submission: str | None = None) -> Article:
    """The team publishes a resolved question the author agreed to share (once). The same form sent
    again raises ``Resubmitted`` with the article its first sending published."""
    if not is_team(acting_user, question.network_id):
        raise QuestionError(_("Only the network's team may publish to the knowledge base."))
    title, body, tag_list = _article_fields(title, body, tags, valid_on)
    return do_publish(question, acting_user=acting_user, title=title, body=body, tags=tag_list, valid_on=valid_on,
                      submission=submission)


@transaction.atomic
def do_publish(question: Question, *, acting_user: Any, title: str, body: str, tags: list[Tag],
               valid_on: datetime.date, submission: str | None = None) -> Article:
    # The key is looked for under the question's lock, before "already published": a sending that waited
    # for the lock is shown the article its first sending made; another person's publishing is refused.
    question = Question.objects.select_for_update().get(pk=question.pk)

    def create(key: str | None) -> Article:
        if question.status != Status.RESOLVED:
            raise QuestionError(_("Only a resolved question goes into the knowledge base."))
        if question.publish_consent_at is None:
            raise QuestionError(_("The author has not agreed to share this question."))
        if Article.objects.filter(question=question).exists():
            raise QuestionError(_("This question is already in the knowledge base."))
        article = Article.objects.create(network_id=question.network_id, question=question, title=title, body=body,
                                         valid_on=valid_on, published_by=acting_user, submission=key,
                                         search_text=_search_text(title, body, tags))
        article.tags.set(tags)
        log_action("questions.article.published", actor=acting_user, obj=article, network=question.network_id,
                   data={"question": question.pk})
        return article

    return create_once(Article.objects.filter(question=question, published_by=acting_user), submission, create)


def check_update_article(article: Article, *, acting_user: Any, title: str, body: str, tags: str,
                         valid_on: datetime.date) -> Article:
    """The team edits an article or confirms it is still valid on a new date."""
    if not is_team(acting_user, article.network_id):
        raise QuestionError(_("Only the network's team may change the knowledge base."))
    title, body, tag_list = _article_fields(title, body, tags, valid_on)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        old = {"title": article.title, "valid_on": article.valid_on}
        article.title, article.body, article.valid_on = title, body, valid_on
        article.search_text = _search_text(title, body, tag_list)
        article.save()
        article.tags.set(tag_list)
        log_action("questions.article.updated", actor=acting_user, obj=article, network=article.network_id,
                   changes={"title": [old["title"], title], "valid_on": [old["valid_on"], valid_on]})
    return article
