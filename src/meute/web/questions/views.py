"""Questions: the list, asking, a question's page (answers, comments, acceptance, helpful marks,
the team's triage), publishing to the knowledge base; the knowledge base; obligations (staff).

Every object is read through ``meute.questions.queries`` (404 for anyone who may not see it)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meute.accounts.models import User
from meute.core.bounds import parse_id
from meute.core.exceptions import MeuteError
from meute.core.permissions import is_site_admin
from meute.core.submissions import Resubmitted
from meute.files.serve import file_response
from meute.files.storage import atomic_with_files
from meute.members.models import Network
from meute.members.permissions import member_network_ids, staff_network_ids
from meute.members.queries import access_network
from meute.questions import experts, knowledge, obligations, services
from meute.questions.models import Question, Status
from meute.questions.permissions import can_accept, can_answer, is_live, is_team, may_know_author, scopes_for
from meute.questions.queries import (
    access_answer,
    access_article,
    access_attachment,
    access_obligation,
    access_question,
    author_label,
    list_answers,
    list_articles,
    list_asked_by,
    list_base_tags,
    list_obligations,
    list_questions,
    list_team_queue,
)
from meute.web.forms import add_domain_error, labelled_errors
from meute.web.once import already_sent
from meute.web.questions.forms import (
    AnswerForm,
    ArticleForm,
    AskForm,
    CommentForm,
    DetailsForm,
    MergeForm,
    ObligationForm,
    PublishForm,
    RouteForm,
)

PAGE = 100


def _askable_networks(user: Any) -> list[Network]:
    ids = member_network_ids(user) | staff_network_ids(user)
    return list(Network.objects.filter(pk__in=ids).order_by("name"))


@login_required
def questions(request: HttpRequest) -> HttpResponse:
    user = request.user
    found = list_questions(user)
    by = parse_id(request.GET.get("by"))
    if request.GET.get("by") is not None:
        found = list_asked_by(user, by) if by is not None else found.none()
    tag = request.GET.get("tag", "")[:60]
    if tag:
        found = found.filter(tags__slug=tag)
    queues = [(n, list(list_team_queue(user, n)[:50])) for n in Network.objects.filter(
        pk__in=staff_network_ids(user)).order_by("name")]
    rows = [(q, author_label(user, q)) for q in found.prefetch_related("tags")[:PAGE]]
    return render(request, "web/questions/list.html", {
        "rows": rows, "queues": queues, "networks": _askable_networks(user), "tag": tag})


@login_required
def ask(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug)
    from meute.peergroups.queries import list_my_groups

    groups = [g for g in list_my_groups(request.user) if g.network_id == network.pk
              and g.members.filter(leader__user=request.user).exists()]
    scopes = scopes_for(request.user, network, groups)
    if not scopes:
        raise Http404
    form = AskForm(request.POST or None, request.FILES or None, scopes=scopes, groups=groups,
                   initial={"scope": scopes[0]})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("attachment", None)
        try:
            with atomic_with_files():  # a file saved is removed if nothing commits
                question = services.check_ask(network, acting_user=request.user, **data)
                if upload:
                    services.check_attach(question, upload, acting_user=request.user)
        except Resubmitted as repeat:
            already_sent(request, _("This form was already sent: your question was asked once."))
            return redirect("web:question", question_id=repeat.obj.pk)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your question is sent to the team."))
            return redirect("web:question", question_id=question.pk)
    return render(request, "web/questions/ask.html", {"form": form, "network": network})


def _library(user: Any, question: Question) -> list:
    """The documents of the question's network the person may point an answer to."""
    from meute.documents.queries import DocumentFilters, list_documents

    return list(list_documents(user, DocumentFilters(network=question.network_id)).order_by("title")[:200])


def _page(request: HttpRequest, question: Question, **forms: Any) -> dict[str, Any]:
    user = request.user
    team = is_team(user, question.network_id)
    context = {
        "question": question, "author": author_label(user, question), "team": team,
        "author_link": question.author_id and may_know_author(user, question) and hasattr(question.author, "leader"),
        "answers": list_answers(user, question), "is_author": question.author_id == user.pk,
        "comments": list(question.comments.filter(answer__isnull=True).select_related("author")),
        "can_answer": can_answer(user, question), "can_accept": can_accept(user, question),
        "live": is_live(question), "tags": list(question.tags.all()),
        "answer_form": forms.get("answer_form") or (AnswerForm(documents=_library(user, question))
                                                     if can_answer(user, question) else None),
        "comment_form": CommentForm(),
        "files": list(question.attachments.filter(answer__isnull=True)),
        "article": getattr(question, "article", None) if hasattr(question, "article") else None,
    }
    if team and is_live(question):
        proposals = experts.suggest_experts(question)
        context.update({
            "proposals": proposals, "route_form": forms.get("route_form") or RouteForm(proposals=proposals),
            "details_form": DetailsForm(), "merge_form": MergeForm(),
            "routed": list(question.routings.select_related("expert__leader")),
        })
    return context


@login_required
def question(request: HttpRequest, question_id: int) -> HttpResponse:
    found = access_question(request.user, question_id)
    if found.status == Status.MERGED and found.merged_into_id:
        try:
            access_question(request.user, found.merged_into_id)
        except Http404:
            pass
        else:
            messages.info(request, _("This question was merged into this one."))
            return redirect("web:question", question_id=found.merged_into_id)
    return render(request, "web/questions/detail.html", _page(request, found))


@login_required
@require_POST
def answer(request: HttpRequest, question_id: int) -> HttpResponse:
    found = access_question(request.user, question_id)
    form = AnswerForm(request.POST, request.FILES, documents=_library(request.user, found))
    if form.is_valid():
        upload = form.cleaned_data.get("attachment")
        try:
            with atomic_with_files():  # a file saved is removed if nothing commits
                posted = services.check_answer(found, acting_user=request.user, body=form.cleaned_data["body"],
                                               document=form.cleaned_data.get("document"),
                                               submission=form.cleaned_data.get("submission"))
                if upload:  # a repeat stops before: its file is not saved
                    services.check_attach(found, upload, acting_user=request.user, answer=posted)
        except Resubmitted:
            already_sent(request, _("This form was already sent: your answer was published once."))
            return redirect("web:question", question_id=found.pk)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your answer is published."))
            return redirect("web:question", question_id=found.pk)
    return render(request, "web/questions/detail.html", _page(request, found, answer_form=form), status=400)


@login_required
def attachment(request: HttpRequest, question_id: int, attachment_id: int) -> HttpResponse:
    """A question's or an answer's file, after the question's permission check (404 otherwise)."""
    found = access_question(request.user, question_id)
    joined = access_attachment(request.user, found, attachment_id)
    return file_response(request, joined.file, name=joined.name, mime=joined.mime, inline=True)


@login_required
@require_POST
def comment(request: HttpRequest, question_id: int) -> HttpResponse:
    found = access_question(request.user, question_id)
    on = parse_id(request.POST.get("answer"))
    target = access_answer(request.user, found, on) if on is not None else None
    form = CommentForm(request.POST)
    if not form.is_valid():
        for error in labelled_errors(form):
            messages.error(request, error)
    else:
        try:
            services.check_comment(found, acting_user=request.user, body=form.cleaned_data["body"], answer=target,
                                   submission=form.cleaned_data.get("submission"))
        except Resubmitted:
            already_sent(request, _("This form was already sent: your comment was added once."))
        except MeuteError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your comment is added."))
    return redirect("web:question", question_id=found.pk)


@login_required
@require_POST
def accept(request: HttpRequest, question_id: int, answer_id: int) -> HttpResponse:
    found = access_question(request.user, question_id)
    target = access_answer(request.user, found, answer_id)
    try:
        services.check_accept(target, acting_user=request.user, accept=request.POST.get("accept", "1") == "1")
    except MeuteError as exc:
        messages.error(request, exc.message)
    return redirect("web:question", question_id=found.pk)


@login_required
@require_POST
def helpful(request: HttpRequest, question_id: int, answer_id: int) -> HttpResponse:
    found = access_question(request.user, question_id)
    target = access_answer(request.user, found, answer_id)
    try:
        services.check_helpful(target, acting_user=request.user, helpful=request.POST.get("helpful", "1") == "1")
    except MeuteError as exc:
        messages.error(request, exc.message)
    return redirect("web:question", question_id=found.pk)


@login_required
@require_POST
def consent(request: HttpRequest, question_id: int) -> HttpResponse:
    found = access_question(request.user, question_id)
    try:
        services.check_consent(found, acting_user=request.user, consent=request.POST.get("consent", "1") == "1")
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you: the team may now share an anonymised version."))
    return redirect("web:question", question_id=found.pk)


def _triage(request: HttpRequest, found: Question) -> None:
    action = request.POST.get("action", "")
    if action == "route":
        proposals = experts.suggest_experts(found)
        form = RouteForm(request.POST, proposals=proposals)
        if not form.is_valid():
            raise MeuteError(_("Choose experts among those proposed."), field="experts")
        chosen = list(User.objects.filter(pk__in=form.cleaned_data["experts"]))
        services.check_route(found, chosen, acting_user=request.user)
        messages.success(request, _("The experts are asked to answer."))
    elif action == "details":
        form = DetailsForm(request.POST)
        if not form.is_valid():
            raise MeuteError("; ".join(labelled_errors(form)))
        services.check_ask_details(found, acting_user=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("The author is asked for details."))
    elif action == "merge":
        form = MergeForm(request.POST)
        if not form.is_valid():
            raise MeuteError("; ".join(labelled_errors(form)))
        into = Question.objects.filter(pk=form.cleaned_data["into"], network_id=found.network_id).first()
        if into is None:
            raise MeuteError(_("No question of this network has this number."), field="into")
        services.check_merge(found, into, acting_user=request.user)
        messages.success(request, _("The question is merged."))
    elif action == "close":
        services.check_close(found, acting_user=request.user)
        messages.success(request, _("The question is closed."))
    else:
        raise MeuteError(_("Unknown action."))


@login_required
@require_POST
def triage(request: HttpRequest, question_id: int) -> HttpResponse:
    found = access_question(request.user, question_id)
    if not is_team(request.user, found.network_id):
        raise Http404
    try:
        _triage(request, found)
    except MeuteError as exc:
        messages.error(request, exc.message)
    return redirect("web:question", question_id=found.pk)


@login_required
def publish(request: HttpRequest, question_id: int) -> HttpResponse:
    found = access_question(request.user, question_id)
    if not is_team(request.user, found.network_id):
        raise Http404
    initial = {**knowledge.draft(found), "valid_on": timezone.localdate()}
    form = PublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            article = knowledge.check_publish(found, acting_user=request.user, **form.cleaned_data)
        except Resubmitted as repeat:
            already_sent(request, _("This form was already sent: the article was published once."))
            return redirect("web:article", article_id=repeat.obj.pk)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The article is in the knowledge base."))
            return redirect("web:article", article_id=article.pk)
    return render(request, "web/questions/article_edit.html", {"form": form, "question": found})


# ----------------------------------------------------------------------------- knowledge base

@login_required
def knowledge_base(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:200]
    tag = request.GET.get("tag", "")[:60]
    articles = list(list_articles(request.user, text=text, tag=tag)[:PAGE])
    return render(request, "web/questions/knowledge.html", {
        "articles": articles, "q": text, "tag": tag, "tags": list(list_base_tags(request.user))})


@login_required
def article(request: HttpRequest, article_id: int) -> HttpResponse:
    found = access_article(request.user, article_id)
    return render(request, "web/questions/article.html", {
        "article": found, "team": is_team(request.user, found.network_id), "tags": list(found.tags.all())})


@login_required
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    found = access_article(request.user, article_id)
    if not is_team(request.user, found.network_id):
        raise Http404
    initial = {"title": found.title, "body": found.body, "valid_on": found.valid_on,
               "tags": ", ".join(t.name for t in found.tags.all())}
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            knowledge.check_update_article(found, acting_user=request.user, **form.cleaned_data)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The article is updated."))
            return redirect("web:article", article_id=found.pk)
    return render(request, "web/questions/article_edit.html", {"form": form, "article": found})


# ----------------------------------------------------------------------------- obligations (staff)

@login_required
def obligation_list(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug, manage=True)
    form = ObligationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obligations.check_create_obligation(network, acting_user=request.user, **form.cleaned_data)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The obligation is declared: concerned members are reminded in its month."))
            return redirect("web:obligations", slug=network.slug)
    rows = [(o, len(obligations.concerned_user_ids(o))) for o in list_obligations(request.user, network)]
    return render(request, "web/questions/obligations.html", {"network": network, "rows": rows, "form": form,
                                                              "admin": is_site_admin(request.user)})


@login_required
@require_POST
def obligation_toggle(request: HttpRequest, obligation_id: int) -> HttpResponse:
    found = access_obligation(request.user, obligation_id)
    obligations.check_set_active(found, acting_user=request.user, active=request.POST.get("active") == "1")
    return redirect("web:obligations", slug=found.network.slug)
