"""A company's headcount band: a blank one is stored as unknown (blank), never as a guessed band."""

import pytest

from meute.core.models import AuditEntry
from meute.members.backoffice import check_update_company
from meute.members.exceptions import InvalidMemberData
from meute.members.importing import import_table
from meute.members.models import Company
from meute.members.services import check_update_profile
from tests.factories import LeaderFactory, MembershipFactory, NetworkRoleFactory, valid_siret

pytestmark = pytest.mark.django_db
HEADER = ["Mail", "Nom", "Prénom", "Société", "SIRET", "Code APE", "Code postal", "Ville", "Effectif"]


def import_one(staff, headcount: str, siret: str | None = None):
    row = [
        "lea@example.org",
        "Roux",
        "Léa",
        "Roux SARL",
        siret or valid_siret(901),
        "62.01Z",
        "86000",
        "Poitiers",
        headcount,
    ]
    report = import_table([(1, HEADER), (2, row)], network=staff.network, acting_user=staff.user)
    assert report.errors == []
    return Company.objects.get(siret=siret or valid_siret(901))


@pytest.fixture
def staff():
    return NetworkRoleFactory()


def test_an_imported_row_with_an_empty_effectif_stores_an_unknown_headcount(staff):
    """An empty « Effectif » cell creates the company with a blank band, not « 1 à 2 »."""
    assert import_one(staff, "").headcount == ""


def test_an_imported_effectif_is_kept(staff):
    """A filled « Effectif » cell is stored as its band."""
    assert import_one(staff, "3-5").headcount == "3-5"


def test_an_empty_effectif_does_not_erase_the_band_of_a_company_already_known(staff):
    """Re-importing a managed company with an empty cell leaves its band as it was."""
    membership = MembershipFactory(network=staff.network, leader__company__headcount="20-49")
    company = membership.leader.company
    row = [membership.leader.user.email, "Roux", "Léa", company.name, company.siret, "62.01Z", "86000", "Poitiers", ""]
    report = import_table([(1, HEADER), (2, row)], network=staff.network, acting_user=staff.user)
    assert report.errors == []
    company.refresh_from_db()
    assert company.headcount == "20-49"


def test_a_company_edited_with_an_empty_headcount_becomes_unknown():
    """The company service stores an empty headcount as blank, and audits the change."""
    leader = LeaderFactory(company__headcount="1-2")
    check_update_company(leader, acting_user=leader.user, headcount="")
    leader.company.refresh_from_db()
    assert leader.company.headcount == ""
    entry = AuditEntry.objects.get(action="members.company.updated", actor=leader.user)
    assert entry.data["changed"]["headcount"] == ["1-2", ""]


def test_an_unknown_band_is_refused_and_changes_nothing():
    """A headcount that is no band is refused with a message on its field; the company keeps its band."""
    leader = LeaderFactory(company__headcount="6-9")
    with pytest.raises(InvalidMemberData) as refused:
        check_update_company(leader, acting_user=leader.user, headcount="7")
    assert refused.value.field == "headcount"
    leader.company.refresh_from_db()
    assert leader.company.headcount == "6-9"


def test_the_profile_service_refuses_an_unknown_band():
    """The profile service refuses a headcount that is no band; the company keeps its band."""
    leader = LeaderFactory(company__headcount="6-9")
    with pytest.raises(InvalidMemberData):
        check_update_profile(leader, acting_user=leader.user, headcount="lots")
    leader.company.refresh_from_db()
    assert leader.company.headcount == "6-9"


@pytest.mark.parametrize("cell", ["NC", "n.c.", "Non communiqué", "inconnu", "N/R", "-", "?"])
def test_a_headcount_marked_as_not_given_is_stored_as_unknown(staff, cell):
    """« NC », « inconnu », « - »… in an Effectif cell mean unknown: the row imports with a blank band."""
    assert import_one(staff, cell).headcount == ""


def _import_with(staff, header: list[str], cells: list[str]):
    row = ["lea@example.org", "Roux", "Léa", "Roux SARL", valid_siret(902), "62.01Z", "86000", "Poitiers", *cells]
    return import_table([(1, HEADER[:8] + header), (2, row)], network=staff.network, acting_user=staff.user)


@pytest.mark.parametrize(("code", "band"), [("NN", "0"), ("00", "0"), ("02", "3-5"), ("12", "20-49"),
                                             ("22", "100-249"), ("31", "100-249"), ("53", "500+"),
                                             ("12.0", "20-49"), ("3", "6-9"), ("nn", "0")])
def test_a_tranche_d_effectif_column_reads_insee_codes(staff, code, band):
    """In a « Tranche d'effectif » column, 12 is INSEE's code for 20 to 49 employees, not twelve."""
    report = _import_with(staff, ["Tranche d'effectif"], [code])
    assert report.errors == []
    assert Company.objects.get(siret=valid_siret(902)).headcount == band


def test_an_effectif_column_reads_a_count(staff):
    """In an « Effectif » column, 12 is twelve employees."""
    assert import_one(staff, "12").headcount == "10-19"


def test_a_count_beside_a_code_wins(staff):
    """A row giving both an Effectif and a Tranche keeps the count it was given."""
    _import_with(staff, ["Effectif", "Tranche effectif salarié"], ["4", "12"])
    assert Company.objects.get(siret=valid_siret(902)).headcount == "3-5"


def test_an_unknown_insee_code_is_an_error_on_its_row(staff):
    """A code INSEE does not use is refused on its row, naming the codes, and nothing is written."""
    report = _import_with(staff, ["Tranche d'effectif"], ["13"])
    assert report.errors and "NN, 00" in str(report.errors[0])
    assert not Company.objects.filter(siret=valid_siret(902)).exists()
