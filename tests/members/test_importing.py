import csv
import io

import pytest
from openpyxl import Workbook

from meute.core.models import AuditEntry
from meute.members.exceptions import ImportRejected
from meute.members.importing import import_members
from meute.members.models import Company, Leader, Membership
from meute.members.seeding import people
from tests.factories import NetworkFactory, NetworkRoleFactory

HEADER = ["email", "prenom", "nom", "entreprise", "siret", "naf", "commune", "effectif", "tags"]


def rows_for(count: int, seed: int = 7) -> list[list[str]]:
    return [
        [
            p.email,
            p.first_name,
            p.last_name,
            p.company_name,
            p.siret,
            p.naf_code,
            p.commune.insee,
            p.headcount,
            ",".join(p.tags),
        ]
        for p in people(seed, count, ["86", "79"])
    ]


def as_csv(
    rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ";", encoding: str = "utf-8"
) -> io.BytesIO:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(buffer.getvalue().encode(encoding))


@pytest.fixture
def network(db):
    return NetworkFactory()


@pytest.fixture
def staff(network):
    return NetworkRoleFactory(network=network).user


def test_valid_file_creates_members_companies_and_memberships(network, staff):
    """A valid file creates each leader, company and membership."""
    report = import_members(as_csv(rows_for(20)), "m.csv", network=network, acting_user=staff)
    assert (report.ok, report.created) == (True, 20)
    assert (Leader.objects.count(), Company.objects.count(), Membership.objects.filter(network=network).count()) == (
        20,
        20,
        20,
    )


def test_one_bad_row_imports_nothing_and_names_it(network, staff):
    """One invalid SIRET among 1,000 rows: nothing written, the row reported with line and column."""
    rows = rows_for(1000)
    rows[536][4] = "12345678901234"
    report = import_members(as_csv(rows), "m.csv", network=network, acting_user=staff)
    assert [(e.line, e.column) for e in report.errors] == [(538, "siret")]
    assert Leader.objects.count() == 0


def test_reimporting_updates_without_duplicates(network, staff):
    """Importing the same 1,000-row file twice yields 1,000 members, not 2,000."""
    rows = rows_for(1000)
    first = import_members(as_csv(rows), "m.csv", network=network, acting_user=staff)
    second = import_members(as_csv(rows), "m.csv", network=network, acting_user=staff)
    assert (first.created, second.created, second.updated) == (1000, 0, 1000)
    assert (Leader.objects.count(), Company.objects.count()) == (1000, 1000)


def test_import_is_audited(network, staff):
    """A successful import leaves an audit entry with its counts."""
    import_members(as_csv(rows_for(3)), "m.csv", network=network, acting_user=staff)
    entry = AuditEntry.objects.get(action="members.import.completed")
    assert entry.data["created"] == 3


def test_unknown_commune_and_naf_are_reported_per_column(network, staff):
    """Unknown commune and NAF code are both reported on their row."""
    rows = rows_for(2)
    rows[1][5], rows[1][6] = "00.00X", "99999"
    report = import_members(as_csv(rows), "m.csv", network=network, acting_user=staff)
    assert {(e.line, e.column) for e in report.errors} == {(3, "naf"), (3, "commune")}


def test_duplicate_email_in_file_is_reported(network, staff):
    """The same e-mail twice in a file is reported on its second line."""
    rows = rows_for(3)
    rows[2][0] = rows[0][0]
    report = import_members(as_csv(rows), "m.csv", network=network, acting_user=staff)
    assert [(e.line, e.column) for e in report.errors] == [(4, "email")]


def test_comma_separated_latin1_file_is_read(network, staff):
    """A comma-separated file saved in Windows-1252 (Excel) is read correctly."""
    rows = rows_for(3)
    rows[0][1] = "Éloïse"
    import_members(as_csv(rows, delimiter=",", encoding="cp1252"), "m.csv", network=network, acting_user=staff)
    assert Leader.objects.filter(user__first_name="Éloïse").exists()


def test_xlsx_file_is_imported(network, staff):
    """An XLSX workbook is imported like a CSV file."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows_for(5):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    report = import_members(buffer, "m.xlsx", network=network, acting_user=staff)
    assert report.created == 5


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "m.csv", "empty"),
        (b"email;prenom\na@b.fr;Anne\n", "m.csv", "Missing columns"),
        (";".join(HEADER).encode() + b"\n", "m.csv", "no member rows"),
        ("email;nom\n".encode("utf-16"), "m.csv", "UTF-16"),
        (bytes(range(256)) * 40, "m.csv", "binary"),
        (b"PK\x03\x04 not really a workbook", "m.xlsx", "XLSX"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(network, staff, content, filename, message):
    """Empty, headerless, UTF-16, binary and broken XLSX files are refused with a clear reason."""
    with pytest.raises(ImportRejected, match=message):
        import_members(io.BytesIO(content), filename, network=network, acting_user=staff)
    assert Leader.objects.count() == 0


def test_oversized_file_is_rejected(network, staff, settings):
    """A file above the size limit is refused before it is read in full."""
    settings.MEUTE_IMPORT_MAX_BYTES = 1000
    with pytest.raises(ImportRejected, match="larger than"):
        import_members(io.BytesIO(b"x" * 5000), "junk.csv", network=network, acting_user=staff)


def test_one_siret_named_twice_otherwise_is_one_company_written_from_its_first_row(network, staff):
    """Two rows with one SIRET and two company names: one company, named as on the first row."""
    rows = rows_for(2)
    rows[1][4], rows[1][3] = rows[0][4], "Autre nom SARL"
    import_members(as_csv(rows), "m.csv", network=network, acting_user=staff)
    assert list(Company.objects.values_list("name", flat=True)) == [rows[0][3]]


def test_one_siret_named_twice_otherwise_is_noted_on_the_later_row(network, staff):
    """The later row is told which line's company name is written."""
    rows = rows_for(2)
    rows[1][4], rows[1][3] = rows[0][4], "Autre nom SARL"
    report = import_members(as_csv(rows), "m.csv", network=network, acting_user=staff)
    assert [(n.line, n.message) for n in report.notes] == [
        (3, f"SIRET {rows[0][4][:3]} {rows[0][4][3:6]} {rows[0][4][6:9]} {rows[0][4][9:]} is also on line 2, "
            f"as « {rows[0][3]} »: the company is written as on that line.")]


def test_the_later_row_of_a_shared_siret_is_found_by_the_written_company_name(network, staff):
    """The directory's search text of the later row's leader names the company as it is written."""
    rows = rows_for(2)
    rows[1][4], rows[1][3] = rows[0][4], "Autre nom SARL"
    import_members(as_csv(rows), "m.csv", network=network, acting_user=staff)
    later = Leader.objects.get(user__email=rows[1][0])
    assert "autre nom" not in later.search_text
