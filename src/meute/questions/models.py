"""Questions asked to a network's team and to its experts, their answers, the knowledge base made
from resolved questions, and the recurring obligations staff remind members of.

State changes go through :mod:`meute.questions.services`; protected reads through
:mod:`meute.questions.queries`, with the rules in :mod:`meute.questions.permissions`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meute.core import bounds
from meute.core.markdown import render
from meute.core.submissions import submission_field
from meute.files.storage import private_storage
from meute.members.models import HeadcountBand

TITLE_MAX = 200
TAGS_MAX = 5  # tags on one question or article


class Scope(models.TextChoices):
    """Who may read a question (the network's team always may)."""

    TEAM = "team", _("the network's team only")
    GROUP = "group", _("my peer group")
    NETWORK = "network", _("my network")
    TERRITORY = "territory", _("the networks of the territory")


SCOPE_SHOWN = {  # how a scope reads to anyone looking at the question (the choices speak as its author)
    "team": _("read by the team only"), "group": _("read by the peer group"), "network": _("read by the network"),
    "territory": _("read by the networks of the territory"),
}


class Status(models.TextChoices):
    OPEN = "open", pgettext_lazy("question", "open")
    DETAILS = "details", _("details asked")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", pgettext_lazy("question", "closed")
    MERGED = "merged", _("merged into another question")


class Tag(models.Model):
    """A theme shared by questions, articles and obligations ("recrutement", "DUERP")."""

    name = models.CharField(_("tag"), max_length=50)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="questions")
    submission = submission_field()  # the asking form's one-time key: sent twice, asked once
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="questions")
    scope = models.CharField(pgettext_lazy("question", "who may read it"), max_length=10, choices=Scope.choices,
                             default=Scope.TEAM)
    group = models.ForeignKey("peergroups.PeerGroup", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="questions", verbose_name=_("peer group"))
    anonymous = models.BooleanField(_("anonymous to everyone but the team"), default=False)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("question"), validators=bounds.text())
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    publish_consent_at = models.DateTimeField(_("author agreed to the knowledge base on"), null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["network", "status", "created_at"], name="questions_network_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def body_html(self) -> str:
        """The body's Markdown as safe HTML (:mod:`meute.core.markdown`)."""
        return render(self.body)

    @property
    def scope_shown(self) -> str:
        return str(SCOPE_SHOWN.get(self.scope, ""))


class Routing(models.Model):
    """The team asked ``expert`` to answer ``question``."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="routings")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routed_questions")
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "expert"], name="questions_one_routing")]

    def __str__(self) -> str:
        return f"{self.question_id} → {self.expert_id}"


class ExpertiseVersion(models.Model):
    """How many times what a network's members can answer changed (their expertise, company, accepted
    answers, memberships): routing proposals cached under an older count are no longer read."""

    network = models.OneToOneField("members.Network", primary_key=True, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.network_id}: {self.version}"


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    submission = submission_field()  # the answer form's one-time key: sent twice, answered once
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="answers")
    body = models.TextField(_("answer"), validators=bounds.text())
    by_team = models.BooleanField(default=False)  # written by the network's staff
    # A document of the network's library the answer points to; shown only to who may read it.
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="answers", verbose_name=_("document of the library"))
    accepted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"answer {self.pk} to {self.question_id}"

    @property
    def body_html(self) -> str:
        """The body's Markdown as safe HTML (:mod:`meute.core.markdown`)."""
        return render(self.body)


class HelpfulMark(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "user"], name="questions_one_helpful_mark")]

    def __str__(self) -> str:
        return f"{self.user_id} found {self.answer_id} helpful"


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("comment")
    DETAILS = "details", _("details asked")


class Comment(models.Model):
    """A comment on a question (the team asking for details, the author replying) or on an answer."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="comments")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    submission = submission_field()  # the comment form's one-time key: sent twice, commented once
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=CommentKind.choices, default=CommentKind.COMMENT)
    body = models.TextField(_("comment"), validators=bounds.text(bounds.MESSAGE_MAX))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.question_id}"


class Attachment(models.Model):
    """A file joined to a question or to one of its answers, served only through the question's check."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="attachments")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, max_length=200)
    name = models.CharField(_("name"), max_length=200)  # the safe display name (meute.files.checks.safe_name)
    mime = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """A knowledge-base article of a network: an anonymised resolved question, kept up to date."""

    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="articles")
    question = models.OneToOneField(Question, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="article")
    submission = submission_field()  # the publishing form's one-time key: sent twice, published once
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text"), validators=bounds.text(2 * bounds.TEXT_MAX))
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    valid_on = models.DateField(_("still valid on"), validators=bounds.dates())
    search_text = models.TextField(editable=False, blank=True)  # folded title, text and tags
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-valid_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def body_html(self) -> str:
        """The body's Markdown as safe HTML (:mod:`meute.core.markdown`)."""
        return render(self.body)


class Obligation(models.Model):
    """A recurring topic staff remind concerned members of, every year in ``month``."""

    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="obligations")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, validators=bounds.text())
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="obligations", verbose_name=_("tag"))
    min_headcount = models.CharField(_("for companies from"), max_length=8, choices=HeadcountBand.choices,
                                     default=HeadcountBand.NONE)
    month = models.PositiveSmallIntegerField(_("month of the reminder"), validators=bounds.int_range(1, 12))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month", "title"]

    def __str__(self) -> str:
        return self.title


class ObligationReminder(models.Model):
    """One reminder sent to one person for one year (so a reminder goes once, whatever the reruns)."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["obligation", "user", "year"],
                                               name="questions_one_reminder_a_year")]

    def __str__(self) -> str:
        return f"{self.obligation_id} → {self.user_id} ({self.year})"
