import pytest

from meute.members.models import ImportJob, ImportStatus, Invitation, Membership
from tests.browser.helpers import log_in
from tests.factories import LeaderFactory, MembershipFactory, NetworkRoleFactory, UserFactory, valid_siret


def spreadsheet() -> bytes:
    lines = ["Nom;Prénom;Courriel;Raison sociale;N° SIRET;Code APE;Localisation;Portable"]
    cities = ["Poitiers", "Chatellerault", "St Julien l'Ars", "Paris 15e"]
    for i, city in enumerate(cities):
        lines.append(f"Nom{i};Prénom{i};p{i}@example.org;Société {i};{valid_siret(600 + i)};43.22 a;{city};"
                     f"06 12 34 56 7{i}")
    lines.append(f"Martin;Alice;alice@example.org;Autre nom;{valid_siret(650)};6201Z;Niort;0549000000")
    return "\n".join(lines).encode("cp1252")


@pytest.mark.django_db(transaction=True)
def test_staff_upload_correct_the_mapping_and_confirm(live_server, page):
    """Staff upload a spreadsheet, mark an unrecognised column as the commune in the preview, and confirm."""
    grant = NetworkRoleFactory(user=UserFactory(email="equipe@example.org"))
    MembershipFactory(leader=LeaderFactory(user=UserFactory(email="alice@example.org", first_name="Alice")))
    log_in(page, live_server, "equipe@example.org")
    page.goto(f"{live_server.url}/networks/{grant.network.slug}/members/")
    page.get_by_role("link", name="Importer des membres").click()
    page.set_input_files("#id_file", files=[{"name": "adherents.csv", "mimeType": "text/csv",
                                             "buffer": spreadsheet()}])
    page.click("#upload-form button[type=submit]")
    assert "Colonnes manquantes" in page.locator("#import-rejected").inner_text()
    page.select_option("#id_column-6", "commune")
    page.click("#recheck")
    assert page.locator("#import-sample tbody tr").count() == 5
    assert "Châtellerault (86)" in page.locator("#import-sample").inner_text()
    assert page.locator("#count-invited").inner_text() == "1"
    page.click("#confirm")
    assert "4 créés, 0 mis à jour, 1 invités, 0 inchangés" in page.locator("#import-done").inner_text()
    assert Membership.objects.filter(network=grant.network).count() == 4
    assert Invitation.objects.filter(network=grant.network, kind="join").count() == 1
    assert ImportJob.objects.get().status == ImportStatus.DONE
