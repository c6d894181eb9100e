"""Finding English left in a page rendered in French."""

import re
from html.parser import HTMLParser

# Words that appear in English sentences and never in French ones (nor in the demo's names).
ENGLISH_WORDS = frozenset("""
the your you and with this that these those of to is are was were has have be been will would should
could can't don't not no yet here there which who whom what when where why how my our their his her
its it they them we he she by from at into out up down about after before for if then than so all
any each every some more most other such only own same too very just members member network networks
event events group groups search home directory people log logout profile edit save send add new
next previous none nothing
""".split())  # noqa: SIM905
_CODES = re.compile(r"[\w*]+(?:\.[\w*]+)+|\S+@\S+")  # action codes (events.registration.created), e-mails
VISIBLE_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt", "value")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attributes = dict(attrs)
        for name in VISIBLE_ATTRIBUTES:
            # A value is shown only on an <input> button; a <button>'s value is sent, not shown.
            hidden_value = name == "value" and (tag != "input" or attributes.get("type") not in ("submit", "button"))
            if attributes.get(name) and not hidden_value:
                self.parts.append(attributes[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_left(html: str, allowed: set[str] = frozenset()) -> list[str]:
    """Bits of the page's visible text that read as English: "word (… context …)"."""
    parser = _Text()
    parser.feed(html)
    found = []
    for part in parser.parts:
        for match in re.finditer(r"[^\W\d_]+", _CODES.sub(" ", part)):
            if match.group(0).isupper() and len(match.group(0)) <= 3:
                continue  # initials and acronyms (« AT » for Aurélie Texier, « IT »), not English words
            word = match.group(0).lower()
            if word in ENGLISH_WORDS and word not in allowed:
                found.append(f"{word} ({part.strip()[:80]})")
    return found
