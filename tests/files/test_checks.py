"""Uploads are judged by their content: accepted formats pass, mislabelled and hostile files are refused."""

import pytest

from meute.files.checks import UploadRefused, check_upload, safe_name
from tests.files import samples
from tests.files.samples import upload

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(("name", "data", "kind", "mime"), [
    ("atelier.pdf", samples.pdf_bytes(), "pdf", "application/pdf"),
    ("photo.PNG", samples.image_bytes("PNG"), "image", "image/png"),
    ("photo.jpeg", samples.image_bytes("JPEG"), "image", "image/jpeg"),
    ("photo.webp", samples.image_bytes("WEBP"), "image", "image/webp"),
    ("logo.gif", samples.image_bytes("GIF"), "image", "image/gif"),
    ("modele.docx", samples.docx_bytes(), "office", "application/vnd.openxmlformats-officedocument."
                                                    "wordprocessingml.document"),
    ("risques.xlsx", samples.xlsx_bytes(), "office", "application/vnd.openxmlformats-officedocument."
                                                     "spreadsheetml.sheet"),
    ("guide.odt", samples.odt_bytes(), "office", "application/vnd.oasis.opendocument.text"),
    ("liste.csv", "nom;métier\nDupont;avocat\n".encode(), "text", "text/csv"),
    ("notes.txt", "Réunion de l’équipe".encode("cp1252"), "text", "text/plain"),
])
def test_accepted_formats_are_recognised_by_content(name, data, kind, mime):
    """Each accepted format is recognised, with its size and digest."""
    checked = check_upload(upload(name, data, "text/html"))
    assert (checked.kind, checked.mime, checked.size) == (kind, mime, len(data))
    assert len(checked.sha256) == 64


def test_jpeg_extension_is_canonical():
    """A .jpeg is stored with the canonical extension jpg."""
    assert check_upload(upload("a.jpeg", samples.image_bytes("JPEG"))).extension == "jpg"


HOSTILE = {
    "html named pdf": ("devis.pdf", samples.HTML_PAGE, "mismatch"),
    "exe named pdf": ("devis.pdf", b"MZ\x90\x00" + b"\0" * 200, "mismatch"),
    "pdf without end": ("devis.pdf", b"%PDF-1.4\n" + b"x" * 100, "mismatch"),
    "svg with script named png": ("logo.png", samples.SVG_SCRIPT, "mismatch"),
    "jpeg named png": ("logo.png", samples.image_bytes("JPEG"), "mismatch"),
    "png then html": ("logo.png", samples.image_bytes("PNG") + samples.HTML_PAGE, "mismatch"),
    "png then zip (polyglot)": ("logo.png", samples.image_bytes("PNG") + samples.docx_bytes(), "mismatch"),
    "pdf then zip (polyglot)": ("guide.pdf", samples.pdf_bytes() + samples.docx_bytes(), "mismatch"),
    "decompression bomb": ("big.png", samples.png_bomb_bytes(), "mismatch"),
    "zip named docx without document": ("cv.docx", samples.zip_bytes({"[Content_Types].xml": b"<T/>"}),
                                        "mismatch"),
    "xlsx named docx": ("cv.docx", samples.xlsx_bytes(), "mismatch"),
    "docx with macros": ("cv.docx", samples.docx_bytes({"word/vbaProject.bin": b"\0" * 10}), "mismatch"),
    "docx climbing out": ("cv.docx", samples.docx_bytes({"../../etc/cron.d/x": b"x"}), "mismatch"),
    "odt without mimetype first": ("a.odt", samples.zip_bytes({"content.xml": b"<x/>"}), "mismatch"),
    "html named txt": ("notes.txt", b"  <html><script>alert(1)</script>", "mismatch"),
    "svg named txt": ("notes.txt", samples.SVG_SCRIPT, "mismatch"),
    "binary named csv": ("liste.csv", b"a;b\n\x00\x01\x02", "mismatch"),
    "svg": ("logo.svg", samples.SVG_SCRIPT, "type"),
    "html": ("page.html", samples.HTML_PAGE, "type"),
    "exe": ("setup.exe", b"MZ\x90\x00", "type"),
    "no extension": ("README", b"hello", "type"),
    "pdf as html by double extension": ("devis.pdf.html", samples.pdf_bytes(), "type"),
    "empty": ("vide.pdf", b"", "empty"),
}


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_and_mislabelled_files_are_refused(case):
    """Every file whose content is not what its name says, or not an accepted format, is refused."""
    name, data, code = case
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload(name, data, "application/pdf"))
    assert refused.value.code == code


def test_too_large_names_the_limit(settings):
    """A file over the limit is refused with the limit in the message (setting or per call)."""
    settings.MEUTE_UPLOAD_MAX_BYTES = 100
    with pytest.raises(UploadRefused, match="100") as refused:
        check_upload(upload("a.txt", b"x" * 101))
    assert refused.value.code == "too_large"
    assert check_upload(upload("a.txt", b"x" * 101), max_bytes=200).size == 101


def test_kinds_restrict_what_is_accepted():
    """A caller that accepts only images refuses a PDF as a type not accepted."""
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload("a.pdf", samples.pdf_bytes()), kinds={"image"})
    assert refused.value.code == "type"
    assert "png" in refused.value.message


def test_a_lying_size_does_not_bypass_the_limit():
    """The limit holds on the bytes read, not only on the size the upload claims."""
    uploaded = upload("a.txt", b"x" * 500)
    uploaded.size = 10
    with pytest.raises(UploadRefused) as refused:
        check_upload(uploaded, max_bytes=100)
    assert refused.value.code == "too_large"


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\x\\devis.pdf", "devis.pdf"),
    ("facture\u202efdp.exe", "facturefdp.exe"),
    ("<script>alert(1)</script>.pdf", "script.pdf"),
    ("<img src=x onerror=alert(1)>.pdf", "img src=x onerror=alert(1).pdf"),
    ("a\x00b\nc\td.pdf", "abcd.pdf"),
    ("zero\u200bwidth.pdf", "zerowidth.pdf"),
    ("  ..  ", "fichier"),
    ("", "fichier"),
    ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
])
def test_safe_name(name, expected):
    """Names lose paths, controls, bidi overrides and markup characters, and stay within 200 characters."""
    assert safe_name(name) == expected


def test_rlo_name_cannot_disguise_the_extension():
    """A right-to-left override cannot make an .exe pass for a .pdf: the real extension decides."""
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload("devis\u202efdp.exe", samples.pdf_bytes()))
    assert refused.value.code == "type"


def test_checked_carries_the_safe_name():
    """The accepted file's display name is the cleaned one."""
    checked = check_upload(upload("../<b>plan</b>\u202e.pdf", samples.pdf_bytes()))
    assert checked.safe_name == "b.pdf"


def test_messages_speak_french(settings):
    """The refusal is told in the interface's language, with the limit."""
    from django.utils import translation

    with translation.override("fr"), pytest.raises(UploadRefused) as refused:
        check_upload(upload("a.pdf", samples.HTML_PAGE))
    assert refused.value.message.startswith("Le contenu de ce fichier n’est pas un PDF")
