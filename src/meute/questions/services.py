"""State changes of questions: asking, triage by the team (routing, details, merging, closing),
answers, comments, helpful marks and acceptance.

Everything that changes a question or its answers runs under the question's row lock
(``select_for_update``), so two people clicking at once (two accepts, an answer while the team
closes, a double click on "helpful") leave one consistent state. Notifications are queued after
commit through :mod:`meute.questions.notices`; an anonymous author is never named in them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meute.core.audit import log_action
from meute.core.bounds import check_bounds
from meute.core.submissions import create_once
from meute.core.text import fold
from meute.files.checks import UploadRefused, check_upload
from meute.files.storage import atomic_with_files, save_private, stored_name
from meute.members.models import Membership, MembershipStatus, Network
from meute.members.permissions import member_network_ids
from meute.questions import notices
from meute.questions.exceptions import QuestionError
from meute.questions.models import (
    TAGS_MAX,
    Answer,
    Attachment,
    Comment,
    CommentKind,
    HelpfulMark,
    Question,
    Routing,
    Scope,
    Status,
    Tag,
)
from meute.questions.permissions import (
    can_accept,
    can_answer,
    can_see_question,
    is_live,
    is_team,
)

TAG_MAX = 50
_TAG_SPLIT = re.compile(r"[,;#\n]+")


def parse_tags(text: str | Iterable[str]) -> list[Tag]:
    """Tags from words separated by commas (created when new), at most :data:`TAGS_MAX`."""
    words = _TAG_SPLIT.split(text) if isinstance(text, str) else list(text)
    names = list(dict.fromkeys(" ".join(str(w).split()) for w in words if str(w).strip()))
    if len(names) > TAGS_MAX:
        raise QuestionError(_("At most %(n)s tags.") % {"n": TAGS_MAX}, field="tags")
    tags = []
    for name in names:
        if len(name) > TAG_MAX:
            raise QuestionError(_("A theme has at most %(n)s characters.") % {"n": TAG_MAX}, field="tags")
        slug = slugify(fold(name))[:60]
        if not slug:
            raise QuestionError(_("A tag needs letters or digits: « %(tag)s ».") % {"tag": name[:20]}, field="tags")
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(slug=slug, name=name.lower())
            except IntegrityError:  # created at the same moment by someone else
                tag = Tag.objects.get(slug=slug)
        tags.append(tag)
    return tags


def _locked(question: Question) -> Question:
    return Question.objects.select_for_update(of=("self",)).select_related("network", "group").get(pk=question.pk)


def _text(value: Any, field: str, message: str) -> str:
    value = str(value or "").strip()
    if not value:
        raise QuestionError(message, field=field)
    return value


# ----------------------------------------------------------------------------- asking

def check_ask(network: Network, *, acting_user: Any, title: str, body: str, scope: str = Scope.TEAM,
              group: Any = None, anonymous: bool = False, tags: str | Sequence[str] = "",
              submission: str | None = None) -> Question:
    """A member of ``network`` asks a question; its scope must be one they belong to. The same form
    sent again raises ``Resubmitted`` with the question its first sending asked."""
    if network.pk not in member_network_ids(acting_user) and not is_team(acting_user, network.pk):
        raise QuestionError(_("Only the network's members may ask its team a question."), field="network")
    if scope not in Scope.values:
        raise QuestionError(_("Choose who may read the question."), field="scope")
    title = _text(title, "title", _("Give your question a title."))
    body = _text(body, "body", _("Write your question."))
    check_bounds(Question, {"title": title, "body": body}, QuestionError)
    if scope == Scope.GROUP:
        from meute.peergroups.permissions import is_group_member

        if group is None or group.network_id != network.pk or not is_group_member(acting_user, group):
            raise QuestionError(_("You may only ask your own peer group."), field="group")
    else:
        group = None
    tag_list = parse_tags(tags)
    return do_ask(network, acting_user=acting_user, title=title, body=body, scope=scope, group=group,
                  anonymous=bool(anonymous), tags=tag_list, submission=submission)


def do_ask(network: Network, *, acting_user: Any, title: str, body: str, scope: str, group: Any,
           anonymous: bool, tags: list[Tag], submission: str | None = None) -> Question:
    def create(key: str | None) -> Question:
        question = Question.objects.create(network=network, author=acting_user, title=title, body=body,
                                           scope=scope, group=group, anonymous=anonymous, submission=key)
        question.tags.set(tags)
        log_action("questions.question.asked", actor=acting_user, obj=question, network=network,
                   data={"scope": scope, "anonymous": anonymous, "tags": [t.slug for t in tags]})
        notices.tell_team_asked(question)
        return question

    return create_once(Question.objects.filter(network=network, author=acting_user), submission, create)


# ----------------------------------------------------------------------------- triage (the team)

def _team_only(question: Question, acting_user: Any) -> None:
    if not is_team(acting_user, question.network_id):
        raise QuestionError(_("Only the network's team may do this."))


def expert_candidates(question: Question) -> Any:
    """Who the team may route ``question`` to: active members of the network (anyone else first
    needs to belong to it), never its author."""
    from meute.accounts.models import User

    members = Membership.objects.filter(network_id=question.network_id, status=MembershipStatus.ACTIVE,
                                        leader__anonymised_at__isnull=True).values("leader__user_id")
    return User.objects.filter(pk__in=members, is_active=True).exclude(pk=question.author_id)


def check_route(question: Question, experts: Sequence[Any], *, acting_user: Any) -> list[Routing]:
    """The team asks ``experts`` to answer; each is told. Already routed experts are left alone."""
    _team_only(question, acting_user)
    if not experts:
        raise QuestionError(_("Choose at least one expert."), field="experts")
    allowed = set(expert_candidates(question).filter(pk__in=[e.pk for e in experts]).values_list("pk", flat=True))
    if any(e.pk not in allowed for e in experts):
        raise QuestionError(_("An expert must be an active member of the network, other than the author."),
                            field="experts")
    return do_route(question, experts, acting_user=acting_user)


@transaction.atomic
def do_route(question: Question, experts: Sequence[Any], *, acting_user: Any) -> list[Routing]:
    question = _locked(question)
    if not is_live(question):
        raise QuestionError(_("This question is closed."))
    done = set(question.routings.values_list("expert_id", flat=True))
    created = [Routing.objects.create(question=question, expert=e, routed_by=acting_user)
               for e in experts if e.pk not in done]
    if created:
        log_action("questions.question.routed", actor=acting_user, obj=question, network=question.network_id,
                   data={"experts": [r.expert_id for r in created]})
        notices.tell_routed(question, [r.expert_id for r in created])
    return created


def check_ask_details(question: Question, *, acting_user: Any, body: str) -> Comment:
    _team_only(question, acting_user)
    body = _text(body, "body", _("Say which details you need."))
    check_bounds(Comment, {"body": body}, QuestionError)
    with transaction.atomic():
        question = _locked(question)
        if not is_live(question):
            raise QuestionError(_("This question is closed."))
        comment = Comment.objects.create(question=question, author=acting_user, kind=CommentKind.DETAILS, body=body)
        old = question.status
        question.status = Status.DETAILS
        question.save(update_fields=["status", "updated_at"])
        log_action("questions.question.details_asked", actor=acting_user, obj=question,
                   network=question.network_id, changes={"status": [old, question.status]})
        notices.tell_author(question, "details")
    return comment


def check_merge(question: Question, into: Question, *, acting_user: Any) -> Question:
    """The team merges a duplicate into another question of the network: everything hanging from it moves
    there (answers with their helpful marks, comments, files, routings; tags are added)."""
    _team_only(question, acting_user)
    if into.pk == question.pk or into.network_id != question.network_id:
        raise QuestionError(_("Merge into another question of the same network."), field="into")
    with transaction.atomic():
        first, second = sorted([question.pk, into.pk])
        locked = {q.pk: q for q in Question.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
        question, into = locked[question.pk], locked[into.pk]
        if not is_live(question) or not is_live(into):
            raise QuestionError(_("Both questions must still be open."), field="into")
        moved = _move_children(question, into)
        into.tags.add(*question.tags.all())
        old = question.status
        question.status, question.merged_into = Status.MERGED, into
        question.save(update_fields=["status", "merged_into", "updated_at"])
        log_action("questions.question.merged", actor=acting_user, obj=question, network=question.network_id,
                   data={"into": into.pk, **moved}, changes={"status": [old, question.status]})
    return question


def _move_children(question: Question, into: Question) -> dict[str, int]:
    """Move the rows of ``question`` to ``into`` (both locked by the caller); returns the counts.

    Answers keep their helpful marks, comments and files (those point to the answer). An expert
    routed to both questions keeps the routing they have on ``into``: the duplicate one is dropped.
    Bulk updates send no signal, so the engagement lights of the people concerned are marked here.
    """
    from meute.engagement.stored import touch

    people = set(question.answers.values_list("author_id", flat=True))
    people |= set(question.routings.values_list("expert_id", flat=True))
    accepted_authors = set(question.answers.filter(accepted_at__isnull=False).values_list("author_id", flat=True))
    already = into.routings.values_list("expert_id", flat=True)
    dropped, _kinds = question.routings.filter(expert_id__in=already).delete()
    counts = {
        "answers_moved": question.answers.update(question=into),
        "comments_moved": question.comments.update(question=into),
        "attachments_moved": question.attachments.update(question=into),
        "routings_moved": question.routings.update(question=into),
        "routings_dropped": dropped,
    }
    from meute.members.models import Leader

    touch(question.network_id, Leader.objects.filter(user_id__in=people - {None}).values_list("pk", flat=True))
    if accepted_authors - {None}:  # their accepted answers now carry the kept question's title
        from meute.questions.experts import expertise_changed

        expertise_changed(accepted_authors - {None})
    return counts


def check_close(question: Question, *, acting_user: Any) -> Question:
    _team_only(question, acting_user)
    with transaction.atomic():
        question = _locked(question)
        if question.status == Status.CLOSED:
            return question
        if question.status == Status.MERGED:
            raise QuestionError(_("This question was merged into another one."))
        old = question.status
        question.status = Status.CLOSED
        question.save(update_fields=["status", "updated_at"])
        log_action("questions.question.closed", actor=acting_user, obj=question, network=question.network_id,
                   changes={"status": [old, question.status]})
    return question


# ----------------------------------------------------------------------------- answers and comments

def check_answer(question: Question, *, acting_user: Any, body: str, document: Any = None,
                 submission: str | None = None) -> Answer:
    """Anyone who may read the question (but its author) answers it, optionally pointing to a document
    of the network's library that they may read themselves. The same form sent again raises
    ``Resubmitted`` with the answer its first sending posted."""
    if not can_see_question(acting_user, question) or question.author_id == acting_user.pk:
        raise QuestionError(_("You may not answer this question."))
    if document is not None:
        from meute.documents.queries import list_documents

        if document.network_id != question.network_id or not list_documents(acting_user).filter(
                pk=document.pk).exists():
            raise QuestionError(_("Choose a document of the network's library."), field="document")
    body = _text(body, "body", _("Write your answer."))
    check_bounds(Answer, {"body": body}, QuestionError)
    return do_answer(question, acting_user=acting_user, body=body, document=document, submission=submission)


@transaction.atomic
def do_answer(question: Question, *, acting_user: Any, body: str, document: Any = None,
              submission: str | None = None) -> Answer:
    # The key is looked for under the question's lock: a sending that waited for it finds the first answer.
    question = _locked(question)

    def create(key: str | None) -> Answer:
        if not can_answer(acting_user, question):
            raise QuestionError(_("This question is closed."))
        answer = Answer.objects.create(question=question, author=acting_user, body=body, document=document,
                                       by_team=is_team(acting_user, question.network_id), submission=key)
        log_action("questions.answer.posted", actor=acting_user, obj=question, network=question.network_id,
                   data={"answer": answer.pk})
        notices.tell_author(question, "answer")
        return answer

    return create_once(Answer.objects.filter(question=question, author=acting_user), submission, create)


def check_comment(question: Question, *, acting_user: Any, body: str, answer: Answer | None = None,
                  submission: str | None = None) -> Comment:
    """A comment on the question or on one of its answers. The same form sent again raises
    ``Resubmitted`` with the comment its first sending added."""
    if not can_see_question(acting_user, question):
        raise QuestionError(_("You may not comment on this question."))
    if answer is not None and answer.question_id != question.pk:
        raise QuestionError(_("This answer belongs to another question."))
    body = _text(body, "body", _("Write your comment."))
    check_bounds(Comment, {"body": body}, QuestionError)
    return do_comment(question, acting_user=acting_user, body=body, answer=answer, submission=submission)


@transaction.atomic
def do_comment(question: Question, *, acting_user: Any, body: str, answer: Answer | None = None,
               submission: str | None = None) -> Comment:
    # The key is looked for under the question's lock: a sending that waited for it finds the first comment.
    question = _locked(question)

    def create(key: str | None) -> Comment:
        if not is_live(question):
            raise QuestionError(_("This question is closed."))
        comment = Comment.objects.create(question=question, answer=answer, author=acting_user, body=body,
                                         submission=key)
        if question.status == Status.DETAILS and question.author_id == acting_user.pk and answer is None:
            question.status = Status.OPEN
            question.save(update_fields=["status", "updated_at"])
            notices.tell_team_asked(question, again=True)
        log_action("questions.comment.posted", actor=acting_user, obj=question, network=question.network_id,
                   data={"comment": comment.pk, "answer": answer.pk if answer else None})
        return comment

    mine = Comment.objects.filter(question=question, answer=answer, author=acting_user)
    return create_once(mine, submission, create)


def check_helpful(answer: Answer, *, acting_user: Any, helpful: bool = True) -> bool:
    """Mark (or unmark) an answer as helpful; its own author may not. Returns the mark's new state."""
    question = answer.question
    if not can_see_question(acting_user, question):
        raise QuestionError(_("You may not mark this answer."))
    if answer.author_id == acting_user.pk:
        raise QuestionError(_("You cannot mark your own answer as helpful."))
    with transaction.atomic():
        _locked(question)
        if helpful:
            HelpfulMark.objects.get_or_create(answer=answer, user=acting_user)
        else:
            HelpfulMark.objects.filter(answer=answer, user=acting_user).delete()
    return helpful


def check_accept(answer: Answer, *, acting_user: Any, accept: bool = True) -> Answer:
    """The author or the team accepts an answer (several may be): the question is then resolved."""
    question = answer.question
    if not can_see_question(acting_user, question) or not can_accept(acting_user, question):
        raise QuestionError(_("Only the author of the question and the team may accept an answer."))
    with transaction.atomic():
        question = _locked(question)
        answer = Answer.objects.select_for_update().get(pk=answer.pk, question=question)
        if not is_live(question):
            raise QuestionError(_("This question is closed."))
        was = answer.accepted_at is not None
        if was == accept:
            return answer
        answer.accepted_at, answer.accepted_by = (timezone.now(), acting_user) if accept else (None, None)
        answer.save(update_fields=["accepted_at", "accepted_by"])
        old = question.status
        resolved = question.answers.filter(accepted_at__isnull=False).exists()
        question.status = Status.RESOLVED if resolved else Status.OPEN
        question.save(update_fields=["status", "updated_at"])
        log_action("questions.answer.accepted" if accept else "questions.answer.unaccepted", actor=acting_user,
                   obj=question, network=question.network_id, data={"answer": answer.pk},
                   changes={"status": [old, question.status]})
        if answer.author_id:  # an accepted answer counts in its author's expertise (routing proposals)
            from meute.questions.experts import expertise_changed

            expertise_changed([answer.author_id])
        if accept and answer.author_id and answer.author_id != acting_user.pk:
            notices.tell_accepted(question, answer.author_id)
    return answer


def check_consent(question: Question, *, acting_user: Any, consent: bool = True) -> Question:
    """The author agrees (or no longer agrees) that an anonymised version goes into the knowledge base."""
    if question.author_id != acting_user.pk:
        raise QuestionError(_("Only the author of the question may agree to this."))
    with transaction.atomic():
        question = _locked(question)
        old = question.publish_consent_at
        question.publish_consent_at = timezone.now() if consent else None
        question.save(update_fields=["publish_consent_at", "updated_at"])
        log_action("questions.question.consent", actor=acting_user, obj=question, network=question.network_id,
                   changes={"publish_consent": [old is not None, consent]})
    return question



# ----------------------------------------------------------------------------- attachments

ATTACHMENTS_MAX = 5  # files on one question or one answer


def check_attach(question: Question, uploaded: Any, *, acting_user: Any, answer: Answer | None = None) -> Attachment:
    """Join a file to the author's question (or to the person's own answer), checked by its content."""
    owner = answer.author_id if answer is not None else question.author_id
    if owner != acting_user.pk or not can_see_question(acting_user, question):
        raise QuestionError(_("Only the author may join a file."), field="attachment")
    if answer is not None and answer.question_id != question.pk:
        raise QuestionError(_("This answer belongs to another question."))
    try:
        checked = check_upload(uploaded)
    except UploadRefused as exc:
        raise QuestionError(exc.messages[0], field="attachment") from None
    with atomic_with_files():  # the file is removed again if the transaction does not commit
        question = _locked(question)
        if not is_live(question):
            raise QuestionError(_("This question is closed."))
        if question.attachments.filter(answer=answer).count() >= ATTACHMENTS_MAX:
            raise QuestionError(_("At most %(n)s files.") % {"n": ATTACHMENTS_MAX}, field="attachment")
        name = save_private(stored_name("questions", checked), uploaded)
        attachment = Attachment.objects.create(question=question, answer=answer, file=name, name=checked.safe_name,
                                               mime=checked.mime, size=checked.size, sha256=checked.sha256,
                                               uploaded_by=acting_user)
        log_action("questions.attachment.added", actor=acting_user, obj=question, network=question.network_id,
                   data={"attachment": attachment.pk, "size": checked.size, "sha256": checked.sha256})
    return attachment
