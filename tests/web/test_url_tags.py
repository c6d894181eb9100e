"""``url_with_id`` writes the links ``{% url %}`` writes, without a reversal per row."""

from django.template import Context, Template
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from meute.core.bounds import ID_MAX
from meute.web.templatetags.url_tags import url_with_id


@settings(deadline=None)  # the first call loads the URL conf
@given(st.integers(min_value=1, max_value=ID_MAX))
def test_an_id_gives_the_reversed_route(pk):
    """For any id a row can have, the link is the one reverse() gives."""
    assert url_with_id(pk, "web:profile") == reverse("web:profile", args=[pk])


def test_a_text_id_goes_through_reverse():
    """A text is reversed as {% url %} would reverse it."""
    assert url_with_id("42", "web:profile") == reverse("web:profile", args=["42"])


def test_the_template_filter_writes_what_the_url_tag_writes():
    """In a template, the filter and the tag give the same href."""
    template = Template('{% load url_tags %}{{ n|url_with_id:"web:event" }}|{% url "web:event" n %}')
    html = template.render(Context({"n": 7}))
    left, right = html.split("|")
    assert left == right
