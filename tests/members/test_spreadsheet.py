"""Spreadsheets as French offices write them (issue 11, item 2)."""

import csv
import io

import pytest

from meute.members.exceptions import ImportRejected
from meute.members.importing import import_members, import_table
from meute.members.models import Company, Leader
from meute.members.spreadsheet import detect_mapping, mapping_problems
from tests.factories import NetworkFactory, NetworkRoleFactory, valid_siret

HEADER = ["Code postal", "Société", "Mail", "Nom", "Prénom", "N° SIRET", "Code APE", "Ville", "Portable",
          "Fonction", "Effectif", "Site web"]
# (postal code, city, NAF, phone) → expected (INSEE, NAF, phone)
CASES = [
    ("86000", "Poitiers", "4322A", "0549000000", "86194", "43.22A", "05 49 00 00 00"),
    ("", "CHATELLERAULT", "43.22A", "+33 6 12 34 56 78", "86066", "43.22A", "06 12 34 56 78"),
    ("86800", "St Julien l'Ars", "43.22 A", "06.12.34.56.79", "86226", "43.22A", "06 12 34 56 79"),
    ("", "Paris 15e", "4322 a", "549000001", "75056", "43.22A", "05 49 00 00 01"),
    ("69003", "Lyon 3e arrondissement", "43 22A", "04 78 00 00 00", "69123", "43.22A", "04 78 00 00 00"),
    ("", "Marseille 13", "62.01Z", "", "13055", "62.01Z", ""),
    ("", "ste maure de touraine", "6201z", "+32 2 555 12 12", "37226", "62.01Z", "+32 2 555 12 12"),
    ("93200", "Saint Denis", "62 01 Z", "", "93066", "62.01Z", ""),
    ("94240", "L Haÿ les Roses", "6201Z", "", "94038", "62.01Z", ""),
    ("", "Niort", "6201Z", "", "79191", "62.01Z", ""),
]


def table(rows, header=HEADER):
    return [(1, header)] + [(i, r) for i, r in enumerate(rows, start=2)]


def french_rows():
    return [
        [cp, f"Entreprise {i}", f"p{i}@example.org", f"Nom{i}", f"Prénom{i}", valid_siret(500 + i), naf, city, phone,
         "Gérant", "12", "www.exemple.fr"]
        for i, (cp, city, naf, phone, *_expected) in enumerate(CASES)
    ]


@pytest.fixture
def staff(db):
    return NetworkRoleFactory(network=NetworkFactory())


def test_french_headers_in_any_order_are_recognised():
    """Synonyms such as Mail, Société, N° SIRET, Code APE, Ville, Portable map to meute's fields."""
    assert detect_mapping(HEADER) == ["postal_code", "company", "email", "last_name", "first_name", "siret", "naf",
                                      "commune", "phone", "function", "headcount", "website"]


def test_spreadsheet_with_french_cities_and_mixed_naf_spellings_imports_every_row(staff):
    """City names (accents, St/Ste, arrondissements), postal codes, NAF and phone spellings all import."""
    report = import_table(table(french_rows()), network=staff.network, acting_user=staff.user)
    assert report.errors == [] and report.created == len(CASES)
    for i, (*_given, insee, naf, phone) in enumerate(CASES):
        leader = Leader.objects.select_related("company").get(user__email=f"p{i}@example.org")
        assert (leader.company.commune_id, leader.company.naf_code, leader.phone) == (insee, naf, phone)
    assert set(Company.objects.values_list("headcount", "website").distinct()) == {("10-19", "https://www.exemple.fr")}


@pytest.mark.parametrize(("city", "cp", "column", "expected"), [
    ("Saint-Denis", "", "Ville", "Saint-Denis (93200"),
    ("Chatelrault", "", "Ville", "Did you mean: Châtellerault (86100, 86)"),
    ("Poitiers", "75001", "Ville", "known: Poitiers (86000"),
    ("Paris 25e", "", "Ville", "no arrondissement 25"),
    ("", "8600", "Code postal", "Several communes share the postal code 08600"),
    ("", "99999", "Code postal", "No commune has the postal code 99999"),
])
def test_unknown_or_ambiguous_commune_is_a_row_error_listing_candidates(staff, city, cp, column, expected):
    """An ambiguous or unknown commune is reported on its row, with the close candidates."""
    rows = french_rows()[:2]
    rows[1][0], rows[1][7] = cp, city
    report = import_table(table(rows), network=staff.network, acting_user=staff.user)
    assert [(e.line, e.column) for e in report.errors] == [(3, column)] and expected in report.errors[0].message
    assert Leader.objects.count() == 0


@pytest.mark.parametrize(("index", "value", "column", "expected"), [
    (5, "310000043", "N° SIRET", "is a SIREN"),
    (8, "06 12", "Portable", "not a valid phone number"),
    (1, "X" * 300, "Société", "300 characters, at most 200"),
    (6, "43.22", "Code APE", "not a NAF"),
    (2, "jean@", "Mail", "not an e-mail"),
])
def test_bad_cells_are_reported_on_their_column(staff, index, value, column, expected):
    """A SIREN for a SIRET, an invalid phone, a 300-character name: a message on the file's own column."""
    rows = french_rows()[:3]
    rows[2][index] = value
    report = import_table(table(rows), network=staff.network, acting_user=staff.user)
    assert [(e.line, e.column) for e in report.errors] == [(4, column)] and expected in report.errors[0].message


def test_a_siren_column_without_siret_is_refused_with_the_reason():
    """A file with SIREN but no SIRET is refused before any row: an establishment needs its SIRET."""
    problems = mapping_problems(["email", "first_name", "last_name", "company", "siren", "naf", "commune"])
    assert any("SIREN" in p and "SIRET" in p for p in problems)


def test_a_corrected_mapping_is_applied(staff):
    """When staff mark an unrecognised column as the commune, the rows import."""
    header = ["Code", *HEADER[1:7], "Localisation", *HEADER[8:]]
    mapping = detect_mapping(header)
    assert mapping[7] == ""
    with pytest.raises(ImportRejected, match="Missing columns"):
        import_table(table(french_rows()[1:3], header), network=staff.network, acting_user=staff.user)
    mapping[7] = "commune"
    report = import_table(table(french_rows()[1:3], header), network=staff.network, acting_user=staff.user,
                          mapping=mapping)
    assert report.applied and Leader.objects.count() == 2


def test_xlsx_numbers_keep_their_digits(staff):
    """An XLSX whose SIRET and postal code are numbers (leading zero lost) imports."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Prénom", "E-mail", "Raison sociale", "SIRET", "NAF", "Commune", "CP"])
    sheet.append(["Durand", "Léa", "lea@example.org", "Léa SARL", int(valid_siret(77)), "6201Z", "Bourg-en-Bresse",
                  1000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    report = import_members(buffer, "m.xlsx", network=staff.network, acting_user=staff.user)
    assert report.applied and Company.objects.get().commune_id == "01053"


def test_csv_with_tab_separator_and_windows_encoding(staff):
    """A tab-separated file in Windows-1252 with French headers imports."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t")
    writer.writerow(HEADER)
    writer.writerows(french_rows()[:3])
    report = import_members(io.BytesIO(buffer.getvalue().encode("cp1252")), "m.csv", network=staff.network,
                            acting_user=staff.user)
    assert report.created == 3


def test_title_lines_above_the_header_are_skipped(staff):
    """An XLSX whose first lines are a title and a date finds its header below them; lines keep their numbers."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Liste des adhérents 2026"])
    sheet.append(["Export du 02/12/2026", None, "Page 1"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append(french_rows()[0])
    sheet.append([*french_rows()[1][:2], "pas-un-mail", *french_rows()[1][3:]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    report = import_members(buffer, "m.xlsx", network=staff.network, acting_user=staff.user, dry_run=True)
    assert report.rows == 2 and report.created == 1 and [e.line for e in report.errors] == [6]


def test_invisible_direction_and_control_characters_are_removed_from_cells(staff):
    """A name carrying U+202E (text turned around), a zero-width space or a NUL is stored without them."""
    row = french_rows()[0]
    row[3], row[4], row[1] = "Mer\u202ecier\u200b", "Ugo\x00", "\u2066Société\u2069 Nord\ufeff"
    report = import_table(table([row]), network=staff.network, acting_user=staff.user)
    assert report.errors == []
    leader = Leader.objects.select_related("user", "company").get()
    assert (leader.user.last_name, leader.user.first_name, leader.company.name) == ("Mercier", "Ugo", "Société Nord")


def activity_header():
    return [*HEADER[:6], "Activité", *HEADER[7:]]


def test_an_activity_column_in_words_stands_in_for_the_naf_code():
    """A file with « Activité » (or « Métier », « Libellé APE ») instead of a NAF code is complete."""
    mapping = detect_mapping(activity_header())
    assert mapping[6] == "activity" and mapping_problems(mapping) == []


@pytest.mark.parametrize(("words", "naf"), [
    ("Plombier", "43.22A"), ("expert-comptable", "69.20Z"), ("Coiffeur", "96.02A"),
    ("Conseil en systèmes et logiciels informatiques", "62.02A"),
])
def test_an_activity_in_words_imports_with_its_naf_code(staff, words, naf):
    """The trade or the official label of one sous-classe gives the company its NAF code."""
    rows = french_rows()[:1]
    rows[0][6] = words
    report = import_table(table(rows, activity_header()), network=staff.network, acting_user=staff.user)
    assert report.errors == [] and Company.objects.get().naf_code == naf


@pytest.mark.parametrize(("words", "expected"), [
    ("Boulanger", "10.71C Boulangerie"), ("Informatique", "62.01Z Programmation informatique"),
    ("Garagiste spatial", "No activity matches"),
])
def test_words_naming_several_activities_or_none_are_a_row_error_on_the_activity_column(staff, words, expected):
    """Ambiguous words list the candidate codes; unknown ones say what to write; nothing is imported."""
    rows = french_rows()[:2]
    rows[1][6] = words
    report = import_table(table(rows, activity_header()), network=staff.network, acting_user=staff.user)
    assert [(e.line, e.column) for e in report.errors] == [(3, "Activité")] and expected in report.errors[0].message
    assert Leader.objects.count() == 0


@pytest.mark.parametrize(("cell", "naf"), [("62.01Z - Programmation informatique", "62.01Z"), ("Plombier", "43.22A")])
def test_a_naf_column_holding_a_code_with_its_label_or_a_trade_is_understood(staff, cell, naf):
    """« Code APE » cells such as « 62.01Z - Programmation informatique » or « Plombier » import."""
    rows = french_rows()[:1]
    rows[0][6] = cell
    report = import_table(table(rows), network=staff.network, acting_user=staff.user)
    assert report.errors == [] and Company.objects.get().naf_code == naf
