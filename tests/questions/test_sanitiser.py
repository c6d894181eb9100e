"""A corpus of XSS payloads, in Markdown and in attachments' names: none survives rendering."""

import contextlib
import re

import pytest
from django.urls import reverse

from meute.core.markdown import plain, render
from meute.questions import services
from meute.questions.exceptions import QuestionError
from tests.files.samples import pdf_bytes, upload
from tests.questions.factories import ask

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](java\tscript:alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[clic](vbscript:msgbox(1))",
    '[clic](https://example.org "x" onclick="alert(1)")',
    "![x](javascript:alert(1))",
    "![x](https://evil.example/pixel.png)",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<details open ontoggle=alert(1)>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "<<script>script>alert(1)<</script>/script>",
    "[a](<javascript:alert(1)>)",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<object data=javascript:alert(1)>",
    "<base href=javascript:alert(1)//>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "[x](https://ok.example/\" onmouseover=\"alert(1))",
    "<style>@import 'javascript:alert(1)';</style>",
    "*<img src=x onerror=alert(1)>*",
    "> <script>alert(1)</script>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
]
NAMES = ["<script>alert(1)</script>.pdf", "\"><img src=x onerror=alert(1)>.pdf", "../../etc/passwd.pdf",
         "facture\u202efdp.exe.pdf", "a\x00b.pdf", "<svg onload=alert(1)>.pdf"]

DANGEROUS = re.compile(r"<\s*(script|img|svg|iframe|object|embed|style|form|base|meta|math|details)\b"
                       r"|\bon[a-z]+\s*=|javascript:|vbscript:|data:text|style\s*=", re.IGNORECASE)


def _tags_and_attributes(html: str) -> str:
    """Only the markup of ``html`` (escaped text such as &lt;script&gt; is text, not markup)."""
    return " ".join(re.findall(r"<[^>]*>", html))


@pytest.mark.nodb
@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_the_renderer(payload):
    """Rendered Markdown holds no dangerous tag, attribute or URL scheme."""
    html = str(render(payload))
    assert not DANGEROUS.search(_tags_and_attributes(html)), html


@pytest.mark.nodb
def test_links_are_kept_with_nofollow_and_only_safe_schemes():
    """An https link stays, with rel nofollow noopener; the checker would catch a script (it can fail)."""
    html = str(render("[site](https://example.org) [mail](mailto:a@example.org)"))
    assert 'href="https://example.org"' in html and 'rel="nofollow noopener noreferrer"' in html
    assert "mailto:a@example.org" in html
    assert DANGEROUS.search(_tags_and_attributes("<p><script>alert(1)</script></p>"))


@pytest.mark.nodb
def test_plain_text_keeps_words_and_drops_markup():
    """The plain version (e-mails, search) has the words and no markup."""
    assert plain("**Bonjour** <script>x</script> [site](https://example.org)") == (
        "Bonjour <script>x</script> site")


@pytest.mark.django_db
def test_question_page_renders_no_payload_from_bodies_titles_or_file_names(client):
    """Payloads in a question's title, body, answer and files' names come out as text on its page."""
    question = ask(title=PAYLOADS[1], body="\n\n".join(PAYLOADS), scope="network")
    for name in NAMES:
        with contextlib.suppress(QuestionError):  # a refused name is fine too: it is not rendered
            services.check_attach(question, upload(name, pdf_bytes()), acting_user=question.author)
    client.force_login(question.author)
    html = client.get(reverse("web:question", args=[question.pk])).content.decode()
    written = re.findall(r'<h1 id="question-title">.*?</h1>|<div class="md">.*?</div>|<ul class="files">.*?</ul>',
                         html, re.DOTALL)
    assert len(written) == 3 and "bilan" not in written[2]
    assert not DANGEROUS.search(_tags_and_attributes("".join(written)))
    assert "../" not in "".join(question.attachments.values_list("name", flat=True))
    assert "\u202e" not in "".join(question.attachments.values_list("name", flat=True))
