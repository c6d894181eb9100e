"""Import of members and their companies from a CSV or XLSX file.

All or nothing: every row is validated first; the report lists each bad row with its line
number, column and reason, and nothing is written unless every row is valid. Re-importing
the same file updates leaders (matched by e-mail) and companies (matched by SIRET) and
creates no duplicates.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from meute.core.audit import log_action
from meute.core.text import fold
from meute.members.exceptions import ImportRejected, InvalidMemberData
from meute.members.models import FeeStatus, HeadcountBand, MembershipStatus, Network, ProfileTag
from meute.members.services import MemberData, do_upsert_member
from meute.members.validation import clean_naf, clean_siret, find_commune

# Canonical column → accepted headers (compared folded, with spaces/dashes as underscores).
COLUMNS: dict[str, tuple[str, ...]] = {
    "email": ("email", "e_mail", "courriel", "mail", "adresse_email"),
    "first_name": ("prenom", "first_name", "firstname"),
    "last_name": ("nom", "last_name", "lastname", "nom_de_famille"),
    "company": ("entreprise", "societe", "company", "raison_sociale"),
    "siret": ("siret",),
    "naf": ("naf", "code_naf", "ape", "code_ape", "naf_code"),
    "commune": ("commune", "code_insee", "insee", "commune_insee"),
    "postal_code": ("code_postal", "cp", "postal_code"),
    "city": ("ville", "city", "nom_commune"),
    "phone": ("telephone", "tel", "phone"),
    "function": ("fonction", "function", "poste"),
    "tags": ("tags", "profil"),
    "expertise": ("expertise", "competences"),
    "headcount": ("effectif", "headcount", "tranche_effectif"),
    "founded": ("annee_creation", "founded", "creation", "founded_year"),
    "website": ("site_web", "website", "site"),
    "offers": ("offre", "offres", "offers"),
    "needs": ("besoins", "besoin", "needs"),
    "status": ("statut", "status"),
    "fee": ("cotisation", "fee", "fee_status"),
}
REQUIRED = ("email", "first_name", "last_name", "company", "siret", "naf")
STATUS_WORDS = {
    "candidat": MembershipStatus.CANDIDATE, "candidate": MembershipStatus.CANDIDATE,
    "actif": MembershipStatus.ACTIVE, "active": MembershipStatus.ACTIVE, "": MembershipStatus.ACTIVE,
    "ancien": MembershipStatus.ALUMNI, "alumni": MembershipStatus.ALUMNI,
    "parti": MembershipStatus.LEFT, "left": MembershipStatus.LEFT,
}
FEE_WORDS = {
    "": FeeStatus.DUE, "due": FeeStatus.DUE, "a payer": FeeStatus.DUE, "impayee": FeeStatus.DUE,
    "payee": FeeStatus.PAID, "paid": FeeStatus.PAID, "exoneree": FeeStatus.EXEMPT, "exempt": FeeStatus.EXEMPT,
}
MAX_ROWS = 50_000


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _header_key(text: str) -> str:
    return fold(str(text or "")).replace(" ", "_").replace("-", "_").replace("'", "_")


def _map_header(header: list[str]) -> dict[str, int]:
    aliases = {alias: canon for canon, names in COLUMNS.items() for alias in names}
    mapping: dict[str, int] = {}
    for index, name in enumerate(header):
        canon = aliases.get(_header_key(name))
        if canon and canon not in mapping:
            mapping[canon] = index
    missing = [c for c in REQUIRED if c not in mapping]
    if "commune" not in mapping and "postal_code" not in mapping:
        missing.append("commune")
    if missing:
        raise ImportRejected(
            _("Missing columns: %(cols)s. Expected at least: %(req)s.")
            % {"cols": ", ".join(COLUMNS[c][0] for c in missing),
               "req": "email, prenom, nom, entreprise, siret, naf, commune (code INSEE)"}
        )
    return mapping


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


def _read_xlsx(raw: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRejected(_("This file is not a valid XLSX workbook (%(err)s).") % {"err": exc}) from None
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                     for v in values])
        if len(rows) > MAX_ROWS + 1:
            break
    workbook.close()
    return rows


def read_table(upload: BinaryIO, filename: str) -> list[tuple[int, list[str]]]:
    """The non-empty rows of an uploaded file with their line numbers (header first)."""
    raw = upload.read(settings.MEUTE_IMPORT_MAX_BYTES + 1)
    if len(raw) > settings.MEUTE_IMPORT_MAX_BYTES:
        limit = settings.MEUTE_IMPORT_MAX_BYTES // (1024 * 1024)
        raise ImportRejected(_("The file is larger than %(mb)s MB.") % {"mb": limit})
    if not raw.strip():
        raise ImportRejected(_("The file is empty."))
    is_xlsx = filename.lower().endswith((".xlsx", ".xlsm")) or raw[:4] == b"PK\x03\x04"
    rows = _read_xlsx(raw) if is_xlsx else _read_csv(raw)
    rows = [(number, row) for number, row in enumerate(rows, start=1) if any(str(c).strip() for c in row)]
    if not rows:
        raise ImportRejected(_("The file is empty."))
    if len(rows) > MAX_ROWS + 1:
        raise ImportRejected(_("The file has more than %(n)s rows; split it.") % {"n": MAX_ROWS})
    return rows


def _cell(row: list[str], mapping: dict[str, int], column: str) -> str:
    index = mapping.get(column)
    if index is None or index >= len(row):
        return ""
    return str(row[index]).strip()


def _parse_choice(value: str, words: dict[str, str], column: str, message: str) -> str:
    key = fold(value)
    if key not in words:
        raise InvalidMemberData(message % {"value": value}, field=column)
    return words[key]


def _parse_headcount(value: str) -> str:
    value = value.replace(" ", "")
    if not value:
        return HeadcountBand.TINY
    if value in HeadcountBand.values:
        return value
    if value.isdigit():
        count = int(value)
        bounds = [(0, "0"), (2, "1-2"), (5, "3-5"), (9, "6-9"), (19, "10-19"), (49, "20-49"), (99, "50-99"),
                  (249, "100-249"), (499, "250-499")]
        return next((band for top, band in bounds if count <= top), HeadcountBand.S500)
    raise InvalidMemberData(
        _("“%(value)s” is not a headcount (a number, or a band such as 10-19).") % {"value": value},
        field="headcount",
    )


def _parse_year(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 1800 <= int(value) <= 2100:
        raise InvalidMemberData(_("“%(value)s” is not a founding year.") % {"value": value}, field="founded")
    return int(value)


def _parse_tags(value: str) -> list[str]:
    words = [fold(w).replace(" ", "_") for w in value.replace(";", ",").split(",") if w.strip()]
    bad = [w for w in words if w not in ProfileTag.values]
    if bad:
        raise InvalidMemberData(
            _("Unknown profile tag “%(tag)s” (known: %(known)s).")
            % {"tag": bad[0], "known": ", ".join(ProfileTag.values)},
            field="tags",
        )
    return words


def _parse_email(value: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    if not value:
        raise InvalidMemberData(_("The e-mail address is missing."), field="email")
    try:
        validate_email(value)
    except ValidationError:
        raise InvalidMemberData(_("“%(value)s” is not an e-mail address.") % {"value": value}, field="email") from None
    return value.lower()


def _required(value: str, column: str, label: str) -> str:
    if not value:
        raise InvalidMemberData(_("The %(label)s is missing.") % {"label": label}, field=column)
    return value


def parse_row(row: list[str], mapping: dict[str, int]) -> tuple[MemberData | None, list[tuple[str, str]]]:
    """One row as :class:`MemberData`, or the list of (column, reason) that are wrong in it."""
    c = lambda name: _cell(row, mapping, name)  # noqa: E731
    values: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    parsers = {
        "email": lambda: _parse_email(c("email")),
        "first_name": lambda: _required(c("first_name"), "first_name", _("first name")),
        "last_name": lambda: _required(c("last_name"), "last_name", _("last name")),
        "company_name": lambda: _required(c("company"), "company", _("company name")),
        "siret": lambda: clean_siret(c("siret")),
        "naf_code": lambda: clean_naf(c("naf")),
        "commune": lambda: find_commune(c("commune"), postal_code=c("postal_code"), city=c("city")),
        "tags": lambda: _parse_tags(c("tags")),
        "headcount": lambda: _parse_headcount(c("headcount")),
        "founded_year": lambda: _parse_year(c("founded")),
        "status": lambda: _parse_choice(
            c("status"), STATUS_WORDS, "status", _("Unknown status “%(value)s” (candidat, actif, ancien, parti).")
        ),
        "fee_status": lambda: _parse_choice(
            c("fee"), FEE_WORDS, "fee", _("Unknown fee status “%(value)s” (due, payée, exonérée).")
        ),
    }
    for name, parse in parsers.items():
        try:
            values[name] = parse()
        except InvalidMemberData as exc:
            errors.append((_column_label(exc.field or name, mapping), exc.message))
    website = c("website")
    if website and not website.startswith(("http://", "https://")):
        website = "https://" + website
    if errors:
        return None, errors
    return MemberData(
        **values, phone=c("phone"), function=c("function"), expertise=c("expertise"), website=website,
        offers=c("offers"), needs=c("needs"),
    ), []


def _column_label(field_name: str, mapping: dict[str, int]) -> str:
    canon = {"naf_code": "naf", "company_name": "company", "founded_year": "founded", "fee_status": "fee"}.get(
        field_name, field_name
    )
    if canon == "commune" and "commune" not in mapping:
        canon = "postal_code"
    return COLUMNS.get(canon, (canon,))[0]


def validate_rows(rows: list[tuple[int, list[str]]]) -> tuple[list[MemberData], list[RowError]]:
    """Parse every data row; also reject an e-mail that appears twice in the file."""
    mapping = _map_header(rows[0][1])
    if len(rows) == 1:
        raise ImportRejected(_("The file has a header but no member rows."))
    members: list[MemberData] = []
    errors: list[RowError] = []
    seen_emails: dict[str, int] = {}
    for line, row in rows[1:]:
        data, row_errors = parse_row(row, mapping)
        errors += [RowError(line, column, message) for column, message in row_errors]
        if data is None:
            continue
        if data.email in seen_emails:
            errors.append(RowError(line, "email", _("Duplicate e-mail: already on line %(n)s.")
                                   % {"n": seen_emails[data.email]}))
            continue
        seen_emails[data.email] = line
        members.append(data)
    return members, errors


def import_members(upload: BinaryIO, filename: str, *, network: Network | None, acting_user: Any) -> ImportReport:
    """Validate the whole file, then write it in one transaction, or write nothing."""
    rows = read_table(upload, filename)
    members, errors = validate_rows(rows)
    report = ImportReport(rows=len(rows) - 1, errors=errors)
    if errors:
        return report
    with transaction.atomic():
        for data in members:
            _leader, created = do_upsert_member(data, network=network, acting_user=acting_user)
            report.created += int(created)
            report.updated += int(not created)
        log_action(
            "members.import.completed", actor=acting_user, obj=network,
            data={"file": filename, "rows": report.rows, "created": report.created, "updated": report.updated},
        )
    return report
