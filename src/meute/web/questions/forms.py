"""Forms of the question and knowledge-base pages: they parse and validate; services change state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meute.core import bounds
from meute.members.models import HeadcountBand
from meute.questions.models import TITLE_MAX, Scope
from meute.web.bounded import BoundedForm
from meute.web.once import SentOnce

MONTHS = [(1, _("January")), (2, _("February")), (3, _("March")), (4, _("April")), (5, _("May")), (6, _("June")),
          (7, _("July")), (8, _("August")), (9, _("September")), (10, _("October")), (11, _("November")),
          (12, _("December"))]


class AskForm(SentOnce, BoundedForm):
    title = forms.CharField(label=_("Your question in one line"), max_length=TITLE_MAX)
    body = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Markdown: **bold**, *italics*, lists, links."))
    tags = forms.CharField(label=_("Themes"), required=False, max_length=300,
                           help_text=_("separated by commas, e.g. recrutement, DUERP"))
    scope = forms.ChoiceField(label=pgettext_lazy("question", "Who may read it"), widget=forms.RadioSelect)
    group = forms.TypedChoiceField(label=_("Peer group"), required=False, coerce=int, empty_value=None)
    anonymous = forms.BooleanField(label=_("Anonymous: only the team will know it is me"), required=False)
    attachment = forms.FileField(label=_("Attached file"), required=False,
                                 help_text=_("PDF, image, office file or text; 10 MB at most"))

    def __init__(self, *args, scopes=(), groups=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Scope.choices)
        self.fields["scope"].choices = [(s, labels[s]) for s in scopes]
        self._groups = {g.pk: g for g in groups}
        self.fields["group"].choices = [("", "—")] + [(g.pk, g.name) for g in groups]
        if not groups:
            del self.fields["group"]

    def clean_group(self):
        pk = self.cleaned_data.get("group")
        return self._groups.get(pk) if pk else None


class AnswerForm(SentOnce, BoundedForm):
    """Field ids start with ``answer_``: several forms share the question's page."""

    body = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Markdown: **bold**, *italics*, lists, links."))
    attachment = forms.FileField(label=_("Attached file"), required=False,
                                 help_text=_("PDF, image, office file or text; 10 MB at most"))
    document = forms.TypedChoiceField(label=_("A document of the library"), required=False, coerce=int,
                                      empty_value=None)

    def __init__(self, *args, documents=(), **kwargs) -> None:
        kwargs.setdefault("auto_id", "answer_%s")
        super().__init__(*args, **kwargs)
        self._documents = {d.pk: d for d in documents}
        self.fields["document"].choices = [("", "—")] + [(d.pk, d.title) for d in documents]
        if not documents:
            del self.fields["document"]

    def clean_document(self):
        pk = self.cleaned_data.get("document")
        return self._documents.get(pk) if pk else None


class CommentForm(SentOnce, BoundedForm):
    """Field ids start with ``comment_``: several forms share the question's page."""

    body = forms.CharField(label=_("Comment"), max_length=bounds.MESSAGE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "comment_%s")
        super().__init__(*args, **kwargs)


class DetailsForm(BoundedForm):
    """Field ids start with ``details_``: several forms share the question's page."""

    body = forms.CharField(label=_("Details to ask for"), max_length=bounds.MESSAGE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "details_%s")
        super().__init__(*args, **kwargs)


class RouteForm(forms.Form):
    experts = forms.TypedMultipleChoiceField(label=_("Experts"), coerce=int, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, proposals=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["experts"].choices = [(p.user.pk, str(p.user.leader) if hasattr(p.user, "leader") else
                                           p.user.get_full_name()) for p in proposals]


class MergeForm(BoundedForm):
    """Field ids start with ``merge_``: several forms share the question's page."""

    into = forms.IntegerField(label=_("Number of the question to merge into"), min_value=1,
                              max_value=bounds.ID_MAX)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "merge_%s")
        super().__init__(*args, **kwargs)


class ArticleForm(BoundedForm):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(label=_("Text"), max_length=2 * bounds.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 12}),
                           help_text=_("Check that nothing identifies the author or their company."))
    tags = forms.CharField(label=_("Themes"), required=False, max_length=300)
    valid_on = forms.DateField(label=_("Still valid on"),
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class PublishForm(SentOnce, ArticleForm):
    """A new article of the knowledge base (editing one uses :class:`ArticleForm`, which creates nothing)."""


class ObligationForm(BoundedForm):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    tag = forms.CharField(label=_("Theme (one tag)"), max_length=50)
    min_headcount = forms.ChoiceField(label=_("For companies from"), choices=HeadcountBand.choices)
    month = forms.TypedChoiceField(label=_("Month of the reminder"), choices=MONTHS, coerce=int)
