"""Reading member spreadsheets as French offices write them.

A file (CSV in UTF-8 or Windows-1252, comma, semicolon or tab; or XLSX) becomes a list of
rows; its header is mapped to meute's fields through synonyms in any order (``Nom``,
``Prénom``, ``Courriel``, ``Raison sociale``, ``Code NAF/APE``, ``Ville``, ``CP``,
``Portable``…); staff may correct the mapping column by column. Each row is then parsed
into a :class:`MemberRow`, or into the list of what is wrong with it, cell by cell.

Decisions: a SIREN alone is refused (a company in meute is an establishment, so its 14-digit
SIRET is needed); an empty cell never erases what meute holds; a commune may be given by
INSEE code, by name, by name and postal code, or by postal code alone.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meute.core.text import fold, fold_words
from meute.members.exceptions import ImportRejected, InvalidMemberData
from meute.members.models import FeeStatus, HeadcountBand, MembershipStatus, ProfileTag
from meute.members.validation import clean_naf, clean_phone, clean_siret, resolve_commune
from meute.naf.activities import AmbiguousActivity, UnknownActivity, resolve_activity
from meute.naf.reference import naf_codes

MAX_ROWS = 50_000
HEADER_SEARCH = 10  # lines above the header (a title, a date) that a file may carry
# Characters a cell may carry unseen and that would change how a name reads on every page (U+202E turns
# the text around): control characters but tab and line breaks, direction marks, zero-width spaces, BOM.
_INVISIBLE = dict.fromkeys(
    [*(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)), *range(0x7F, 0xA0), 0x200B, 0x200E, 0x200F,
     *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF])

# field → (label shown to staff, header synonyms compared as folded words joined by "_")
FIELDS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "email": (gettext_lazy("E-mail"), (
        "email", "e_mail", "courriel", "mail", "adresse_email", "adresse_mail", "adresse_e_mail", "mel",
        "adresse_courriel", "email_professionnel", "e_mail_professionnel")),
    "first_name": (gettext_lazy("First name"), ("prenom", "first_name", "firstname", "prenom_du_dirigeant")),
    "last_name": (gettext_lazy("Last name"), (
        "nom", "last_name", "lastname", "nom_de_famille", "nom_du_dirigeant", "nom_d_usage", "nom_usage")),
    "company": (gettext_lazy("Company name"), (
        "entreprise", "societe", "company", "raison_sociale", "denomination", "denomination_sociale",
        "nom_entreprise", "nom_de_l_entreprise", "nom_societe", "nom_de_la_societe", "enseigne", "etablissement")),
    "siret": ("SIRET", ("siret", "n_siret", "no_siret", "numero_siret", "num_siret", "code_siret")),
    "siren": ("SIREN", ("siren", "n_siren", "no_siren", "numero_siren", "num_siren")),
    "naf": (gettext_lazy("NAF code"), (
        "naf", "code_naf", "ape", "code_ape", "naf_code", "naf_ape", "code_naf_ape", "code_ape_naf", "activite_naf")),
    "activity": (gettext_lazy("Activity (in words)"), (
        "activite", "activites", "metier", "metiers", "activity", "secteur", "secteur_d_activite",
        "secteur_activite", "activite_principale", "libelle_naf", "libelle_ape", "libelle_activite",
        "profession", "domaine_d_activite", "domaine_activite")),
    "insee": (gettext_lazy("INSEE code"), ("code_insee", "insee", "commune_insee", "code_commune", "insee_commune")),
    "commune": (gettext_lazy("Commune"), ("commune", "ville", "city", "localite", "nom_commune", "nom_de_la_commune")),
    "postal_code": (gettext_lazy("Postal code"), ("code_postal", "cp", "postal_code", "zip", "c_p")),
    "phone": (gettext_lazy("Phone"), (
        "telephone", "tel", "phone", "portable", "mobile", "telephone_portable", "tel_portable", "telephone_mobile",
        "tel_mobile", "gsm", "telephone_fixe", "tel_fixe", "numero_de_telephone", "n_telephone")),
    "function": (gettext_lazy("Function"), (
        "fonction", "function", "poste", "titre", "qualite", "fonction_du_dirigeant")),
    "headcount": (gettext_lazy("Headcount"), (
        "effectif", "effectifs", "headcount", "salaries", "nb_salaries", "nombre_de_salaries", "nombre_salaries",
        "effectif_salarie", "effectifs_salaries")),
    # INSEE's band codes (SIRENE: NN, 00, 01 … 53), where "12" means 20 to 49 employees, not 12.
    "headcount_code": (gettext_lazy("Headcount band (INSEE code)"), (
        "tranche_effectif", "tranche_effectifs", "tranche_d_effectif", "tranche_d_effectifs",
        "tranche_effectif_salarie", "tranche_d_effectif_salarie", "code_effectif", "code_tranche_effectif",
        "trancheeffectifsetablissement", "trancheeffectifsunitelegale", "tefet", "tefen")),
    "website": (gettext_lazy("Website"), ("site_web", "website", "site", "site_internet", "url", "web")),
    "founded": (gettext_lazy("Founding year"), (
        "annee_creation", "annee_de_creation", "founded", "creation", "founded_year", "date_de_creation")),
    "tags": (gettext_lazy("Profile tags"), ("tags", "profil")),
    "expertise": (gettext_lazy("Expertise"), ("expertise", "competences", "expertises")),
    "offers": (gettext_lazy("What it offers"), ("offre", "offres", "offers")),
    "needs": (gettext_lazy("What it looks for"), ("besoins", "besoin", "needs")),
    "status": (gettext_lazy("Membership status"), ("statut", "status", "statut_adherent", "statut_d_adhesion")),
    "fee": (gettext_lazy("Fee"), ("cotisation", "fee", "fee_status", "statut_cotisation")),
}
REQUIRED = ("email", "first_name", "last_name", "company", "siret", "naf")
# Looser rules for headers no synonym matched: (field, words any of which names it).
_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("headcount_code", ("tranche",)),  # before "insee": « Tranche d'effectif (INSEE) »
    ("siret", ("siret",)), ("siren", ("siren",)), ("email", ("mail", "courriel", "email")),
    ("naf", ("naf", "ape")), ("activity", ("activite", "metier", "libelle")), ("insee", ("insee",)),
    ("postal_code", ("postal",)),
    ("phone", ("telephone", "tel", "portable", "mobile")), ("first_name", ("prenom",)),
    ("company", ("raison", "societe", "entreprise")), ("commune", ("ville", "commune")),
    ("headcount", ("effectif", "effectifs", "salaries")), ("function", ("fonction",)), ("website", ("site",)),
)

STATUS_WORDS = {
    "candidat": MembershipStatus.CANDIDATE, "candidate": MembershipStatus.CANDIDATE,
    "actif": MembershipStatus.ACTIVE, "active": MembershipStatus.ACTIVE, "adherent": MembershipStatus.ACTIVE,
    "membre": MembershipStatus.ACTIVE, "ancien": MembershipStatus.ALUMNI, "alumni": MembershipStatus.ALUMNI,
    "parti": MembershipStatus.LEFT, "left": MembershipStatus.LEFT, "sorti": MembershipStatus.LEFT,
}
FEE_WORDS = {
    "due": FeeStatus.DUE, "a payer": FeeStatus.DUE, "impayee": FeeStatus.DUE, "non payee": FeeStatus.DUE,
    "payee": FeeStatus.PAID, "paye": FeeStatus.PAID, "paid": FeeStatus.PAID, "reglee": FeeStatus.PAID,
    "exoneree": FeeStatus.EXEMPT, "exonere": FeeStatus.EXEMPT, "exempt": FeeStatus.EXEMPT,
}
_BANDS = [(0, "0"), (2, "1-2"), (5, "3-5"), (9, "6-9"), (19, "10-19"), (49, "20-49"), (99, "50-99"),
          (249, "100-249"), (499, "250-499")]
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+", re.IGNORECASE)
_HEADCOUNTS = frozenset(HeadcountBand.values)
_TAGS = frozenset(ProfileTag.values)
_RANGE = re.compile(r"^(\d+)\s*(?:-|a|à)\s*(\d+)")
_NUMBER = re.compile(r"^(\d+)")
_WORDS = re.compile(r"[^\W\d_]{3}")
_LEADING_CODE = re.compile(r"^\s*(\d{2}\s?[.,]?\s?\d{2}\s?[A-Za-z])(?![^\W\d_])")  # "62.01Z - Programmation…"


def field_label(name: str) -> str:
    return str(FIELDS[name][0]) if name in FIELDS else name


# --------------------------------------------------------------------------- reading files


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRejected(_("The file is encoded in UTF-16: save it as “CSV UTF-8” and import it again."))
    if b"\x00" in raw[:65536]:
        raise ImportRejected(_("This file is not a CSV text file (it contains binary data)."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRejected(
            _("The file's encoding is not recognised: save it as “CSV UTF-8” and import it again.")
        ) from None


def _read_csv(raw: bytes) -> list[list[str]]:
    text = _decode(raw)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if sample.count(";") > sample.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise ImportRejected(_("The CSV file is malformed: %(err)s.") % {"err": exc}) from None


def _xlsx_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(raw: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRejected(_("This file is not a valid XLSX workbook (%(err)s).") % {"err": exc}) from None
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append([_xlsx_cell(v) for v in values])
        if len(rows) > MAX_ROWS + 1:
            break
    workbook.close()
    return rows


def read_bytes(upload: Any) -> bytes:
    """The uploaded file's content, refused above ``MEUTE_IMPORT_MAX_BYTES``."""
    raw = upload.read(settings.MEUTE_IMPORT_MAX_BYTES + 1)
    if len(raw) > settings.MEUTE_IMPORT_MAX_BYTES:
        limit = settings.MEUTE_IMPORT_MAX_BYTES // (1024 * 1024)
        raise ImportRejected(_("The file is larger than %(mb)s MB.") % {"mb": limit})
    return raw


def read_table(raw: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """The non-empty rows of a file with their line numbers, from the header on (title lines above it dropped)."""
    if not raw.strip():
        raise ImportRejected(_("The file is empty."))
    is_xlsx = filename.lower().endswith((".xlsx", ".xlsm")) or raw[:4] == b"PK\x03\x04"
    rows = _read_xlsx(raw) if is_xlsx else _read_csv(raw)
    rows = [(number, row) for number, row in enumerate(rows, start=1) if any(str(c).strip() for c in row)]
    if not rows:
        raise ImportRejected(_("The file is empty."))
    rows = rows[_header_index(rows):]
    if len(rows) > MAX_ROWS + 1:
        raise ImportRejected(_("The file has more than %(n)s rows; split it.") % {"n": MAX_ROWS})
    if len(rows) == 1:
        raise ImportRejected(_("The file has a header but no member rows."))
    return rows


def _header_index(rows: list[tuple[int, list[str]]]) -> int:
    """Where the header is: the first of the first lines naming three fields (a title line may come before)."""
    for index, (_number, cells) in enumerate(rows[:HEADER_SEARCH]):
        if sum(1 for name in detect_mapping(cells) if name) >= 3:
            return index
    return 0


# --------------------------------------------------------------------------- column mapping


def header_key(text: str) -> str:
    return fold_words(str(text or "")).replace(" ", "_")


def detect_mapping(header: list[str]) -> list[str]:
    """The field each header column holds (``""``: ignored); each field at most once."""
    aliases = {alias: name for name, (_label, names) in FIELDS.items() for alias in names}
    mapping = [""] * len(header)
    used: set[str] = set()
    for index, title in enumerate(header):
        name = aliases.get(header_key(title))
        if name and name not in used:
            mapping[index] = name
            used.add(name)
    for index, title in enumerate(header):
        if mapping[index]:
            continue
        words = set(header_key(title).split("_"))
        for name, hints in _HINTS:
            if name not in used and words & set(hints):
                mapping[index] = name
                used.add(name)
                break
    return mapping


def mapping_problems(mapping: list[str]) -> list[str]:
    """What makes a mapping unusable (missing or doubled fields); empty when it is fine."""
    problems = []
    seen: dict[str, int] = {}
    for name in mapping:
        if name and name not in FIELDS:
            problems.append(_("Unknown field “%(f)s”.") % {"f": name})
        elif name:
            seen[name] = seen.get(name, 0) + 1
    for name, count in seen.items():
        if count > 1:
            problems.append(_("Two columns are marked as “%(f)s”: keep one.") % {"f": field_label(name)})
    if "siren" in seen and "siret" not in seen:
        problems.append(_(
            "The file gives a SIREN but no SIRET. A SIREN names the firm, not the establishment: "
            "meute needs each member's 14-digit SIRET (SIREN + NIC)."
        ))
    missing = [field_label(f) for f in REQUIRED if f not in seen and not _stands_in(f, seen)]
    if not {"insee", "commune", "postal_code"} & set(seen):
        missing.append(field_label("commune"))
    if missing:
        problems.append(_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})
    return problems


def _stands_in(field: str, seen: dict[str, int]) -> bool:
    """A SIREN column stands in for a missing SIRET (to be refused with its reason), the activity in words for NAF."""
    return (field == "siret" and "siren" in seen) or (field == "naf" and "activity" in seen)


# --------------------------------------------------------------------------- rows


@dataclass
class MemberRow:
    """One member row, validated. ``None`` means "not given" (an empty cell erases nothing)."""

    email: str
    first_name: str
    last_name: str
    company_name: str
    siret: str
    naf_code: str
    commune: str  # INSEE code
    department: str
    commune_name: str
    phone: str | None = None
    function: str | None = None
    headcount: str | None = None
    website: str | None = None
    founded_year: int | None = None
    tags: list[str] | None = None
    expertise: str | None = None
    offers: str | None = None
    needs: str | None = None
    status: str | None = None
    fee_status: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def naf_section(self) -> str:
        return naf_codes()[self.naf_code].section

    @property
    def membership_status(self) -> str:
        return self.status or MembershipStatus.ACTIVE

    @property
    def membership_fee(self) -> str:
        return self.fee_status or FeeStatus.DUE


def _email(value: str) -> str:
    if not value:
        raise InvalidMemberData(_("The e-mail address is missing."), field="email")
    if len(value) > 254:
        raise InvalidMemberData(_("The e-mail address is longer than 254 characters."), field="email")
    try:
        validate_email(value)
    except ValidationError:
        raise InvalidMemberData(_("“%(value)s” is not an e-mail address.") % {"value": value}, field="email") from None
    return value.lower()


def _text(value: str, name: str, limit: int, *, required: bool = False) -> str | None:
    if not value:
        if required:
            raise InvalidMemberData(_("The %(label)s is missing.") % {"label": field_label(name).lower()}, field=name)
        return None
    if len(value) > limit:
        raise InvalidMemberData(
            _("%(label)s: %(n)s characters, at most %(max)s allowed.")
            % {"label": field_label(name), "n": len(value), "max": limit}, field=name)
    return value


def _siret(value: str, siren: str) -> str:
    digits = "".join(ch for ch in value if not ch.isspace() and ch not in ".-")
    if not digits and siren:
        raise InvalidMemberData(_(
            "Only a SIREN is given: meute needs the establishment's 14-digit SIRET (SIREN + NIC)."), field="siret")
    if len(digits) == 9 and digits.isdigit():
        raise InvalidMemberData(
            _("“%(value)s” is a SIREN (9 digits): give the establishment's 14-digit SIRET.") % {"value": value},
            field="siret")
    siret = clean_siret(digits)
    siren_digits = "".join(ch for ch in siren if ch.isdigit())
    if siren_digits and siren_digits != siret[:9]:
        raise InvalidMemberData(
            _("The SIRET %(siret)s does not belong to the SIREN %(siren)s.") % {"siret": value, "siren": siren},
            field="siret")
    return siret


# What a spreadsheet writes for a headcount nobody gave: stored as unknown, like an empty cell.
_UNKNOWN_HEADCOUNT = frozenset({
    "nc", "noncommunique", "nr", "nonrenseigne", "nd", "nondisponible", "np", "nonprecise", "inconnu", "inconnue",
    "na", "sansobjet", "unknown", "?", "-", "--", "—", "–",
})
# INSEE's band codes: "NN" is a firm with no employee; 22 (100–199) and 31 (200–249) share meute's 100–249.
_INSEE_BANDS = {
    "NN": "0", "00": "0", "01": "1-2", "02": "3-5", "03": "6-9", "11": "10-19", "12": "20-49", "21": "50-99",
    "22": "100-249", "31": "100-249", "32": "250-499", "41": "500+", "42": "500+", "51": "500+", "52": "500+",
    "53": "500+",
}


def _unknown_headcount(value: str) -> bool:
    return not value or re.sub(r"[\s./]", "", fold(value)) in _UNKNOWN_HEADCOUNT


def _headcount_code(value: str) -> str | None:
    """An INSEE band code (or its wording, « 10 à 19 salariés ») as meute's band; unknown markers as None."""
    if _unknown_headcount(value):
        return None
    code = re.sub(r"\.0+$", "", value.strip().upper())  # a spreadsheet's number cell: 12.0
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    if code in _INSEE_BANDS:
        return _INSEE_BANDS[code]
    if not code.isdigit():
        try:
            return _headcount(value)
        except InvalidMemberData:
            pass
    raise InvalidMemberData(
        _("“%(value)s” is not an INSEE headcount band (NN, 00, 01, 02, 03, 11, 12, 21, 22, 31, 32, 41, 42, 51, "
          "52 or 53).") % {"value": value},
        field="headcount_code")


def _headcount(value: str) -> str | None:
    if _unknown_headcount(value):
        return None
    compact = fold(value).replace(" ", "")
    if compact in _HEADCOUNTS:
        return compact
    match = _RANGE.match(fold(value)) or _NUMBER.match(compact)
    if match:
        count = int(match.groups()[-1])
        return next((band for top, band in _BANDS if count <= top), HeadcountBand.S500)
    raise InvalidMemberData(
        _("“%(value)s” is not a headcount (a number, or a band such as 10-19).") % {"value": value},
        field="headcount")


def _activity(value: str, field: str) -> str:
    try:
        return resolve_activity(value).code
    except AmbiguousActivity as exc:
        raise InvalidMemberData(_(
            "“%(value)s” names several activities (%(codes)s): write the NAF code."
        ) % {"value": value, "codes": "; ".join(f"{n.code} {n.label}" for n in exc.candidates)}, field=field) from None
    except UnknownActivity:
        raise InvalidMemberData(_(
            "No activity matches “%(value)s”: write the NAF code (e.g. 43.22A) or the trade (e.g. plombier)."
        ) % {"value": value}, field=field) from None


def _naf(code: str, activity: str) -> str:
    """The NAF code of a row: its code, or else its activity in plain words (``plombier`` → 43.22A).

    Either column may hold either form: a code (with its label after it), or words.
    """
    cell, field = (code, "naf_code") if code or not activity else (activity, "activity")
    if not cell:
        return clean_naf(cell)
    leading = _LEADING_CODE.match(cell)
    try:
        return clean_naf(leading.group(1) if leading else cell)
    except InvalidMemberData as exc:
        if leading or not _WORDS.search(cell):
            exc.field = field
            raise
        return _activity(cell, field)


def _year(value: str) -> int | None:
    if not value:
        return None
    match = re.search(r"(1[89]\d\d|20\d\d|2100)", value)
    if not match:
        raise InvalidMemberData(_("“%(value)s” is not a founding year.") % {"value": value}, field="founded")
    return int(match[1])


def _tags(value: str) -> list[str] | None:
    if not value:
        return None
    words = [fold(w).replace(" ", "_") for w in value.replace(";", ",").split(",") if w.strip()]
    bad = [w for w in words if w not in _TAGS]
    if bad:
        raise InvalidMemberData(
            _("Unknown profile tag “%(tag)s” (known: %(known)s).")
            % {"tag": bad[0], "known": ", ".join(ProfileTag.values)},
            field="tags")
    return words


def _choice(value: str, words: dict[str, str], name: str, message: str) -> str | None:
    if not value:
        return None
    key = fold(value)
    if key in words.values():
        return key
    if key not in words:
        raise InvalidMemberData(message % {"value": value}, field=name)
    return words[key]


def _website(value: str) -> str | None:
    if not value:
        return None
    if not value.startswith(("http://", "https://")):
        value = "https://" + value
    parts = urlsplit(value)
    host = parts.hostname or ""
    if " " in value or "." not in host or not _HOST.fullmatch(host):
        raise InvalidMemberData(_("“%(value)s” is not a web address.") % {"value": value}, field="website")
    if len(value) > 200:
        raise InvalidMemberData(_("The web address is longer than 200 characters."), field="website")
    return value


class RowParser:
    """Parses rows under one mapping; caches the slow look-ups (communes, phones, NAF)."""

    def __init__(self, mapping: list[str], header: list[str] | None = None) -> None:
        self.index = {name: i for i, name in enumerate(mapping) if name}
        self.header = header or [field_label(name) for name in mapping]
        self._communes: dict[tuple[str, str, str], Any] = {}
        self._phones: dict[str, Any] = {}
        self._nafs: dict[str, Any] = {}

    def column(self, name: str) -> str:
        """The file's own header for a field (what staff see in the report)."""
        index = self.index.get(name)
        if index is None and name == "commune":
            index = self.index.get("insee", self.index.get("postal_code"))
        if index is None or index >= len(self.header):
            return field_label(name)
        return str(self.header[index]).strip() or field_label(name)

    def _cached(self, cache: dict, key: Any, function: Any) -> Any:
        if key not in cache:
            try:
                cache[key] = function()
            except InvalidMemberData as exc:
                cache[key] = exc
        value = cache[key]
        if isinstance(value, InvalidMemberData):
            raise value
        return value

    def parse(self, cells: list[str]) -> tuple[MemberRow | None, list[tuple[str, str]]]:
        """One row as a :class:`MemberRow`, or its list of (column, reason)."""
        def c(name: str) -> str:
            index = self.index.get(name)
            return str(cells[index]).translate(_INVISIBLE).strip() if index is not None and index < len(cells) else ""

        values: dict[str, Any] = {}
        errors: list[tuple[str, str]] = []
        parsers = {
            "email": lambda: _email(c("email")),
            "first_name": lambda: _text(c("first_name"), "first_name", 150, required=True),
            "last_name": lambda: _text(c("last_name"), "last_name", 150, required=True),
            "company_name": lambda: _text(c("company"), "company", 200, required=True),
            "siret": lambda: _siret(c("siret"), c("siren")),
            "naf_code": lambda: self._cached(
                self._nafs, (c("naf"), c("activity")), lambda: _naf(c("naf"), c("activity"))),
            "commune": lambda: self._cached(
                self._communes, (c("commune"), c("postal_code"), c("insee")),
                lambda: resolve_commune(c("commune"), postal_code=c("postal_code"), insee=c("insee"))),
            "phone": lambda: self._cached(self._phones, c("phone"), lambda: clean_phone(c("phone")))
            if c("phone") else None,
            "function": lambda: _text(c("function"), "function", 100),
            "headcount": lambda: _headcount(c("headcount")) if c("headcount") or not c("headcount_code")
            else _headcount_code(c("headcount_code")),
            "website": lambda: _website(c("website")),
            "founded_year": lambda: _year(c("founded")),
            "tags": lambda: _tags(c("tags")),
            "expertise": lambda: _text(c("expertise"), "expertise", 5000),
            "offers": lambda: _text(c("offers"), "offers", 5000),
            "needs": lambda: _text(c("needs"), "needs", 5000),
            "status": lambda: _choice(c("status"), STATUS_WORDS, "status",
                                      _("Unknown status “%(value)s” (candidat, actif, ancien, parti).")),
            "fee_status": lambda: _choice(c("fee"), FEE_WORDS, "fee",
                                          _("Unknown fee status “%(value)s” (due, payée, exonérée).")),
        }
        for name, parse in parsers.items():
            try:
                values[name] = parse()
            except InvalidMemberData as exc:
                errors.append((self.column(_FIELD_OF.get(exc.field or name, exc.field or name)), exc.message))
        if errors:
            return None, errors
        commune = values.pop("commune")
        return MemberRow(**values, commune=commune.insee, department=commune.department,
                         commune_name=commune.name), []


_FIELD_OF = {"naf_code": "naf", "company_name": "company", "founded_year": "founded", "fee_status": "fee"}
