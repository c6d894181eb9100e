"""A company's headcount band: a blank one is stored as unknown (blank), never as a guessed band."""

import pytest

from meute.core.models import AuditEntry
from meute.members.exceptions import InvalidMemberData
from meute.members.importing import import_table
from meute.members.models import Company
from meute.members.services import check_update_company, check_update_profile
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
