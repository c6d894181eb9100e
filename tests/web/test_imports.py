"""The member import pages: preview with an editable mapping, confirm, progress, add one member."""

import io

import pytest
from django.urls import reverse

from meute.core.models import AuditEntry
from meute.members.importjobs import INLINE_ROWS
from meute.members.models import ImportJob, ImportStatus, Invitation, Leader, Membership
from tests.factories import LeaderFactory, MembershipFactory, NetworkRoleFactory, UserFactory, valid_siret
from tests.members.test_importing import as_csv, rows_for

HEADER = ["Nom", "Prénom", "Courriel", "Société", "SIRET", "APE", "Localisation", "CP"]


def french_file(count=3, header=HEADER):
    lines = [";".join(header)]
    for i in range(count):
        lines.append(f"Nom{i};Prénom{i};p{i}@example.org;Société {i};{valid_siret(700 + i)};4322A;Poitiers;86000")
    upload = io.BytesIO("\n".join(lines).encode())
    upload.name = "adherents.csv"
    return upload


@pytest.fixture
def staff(db, client):
    grant = NetworkRoleFactory()
    client.force_login(grant.user)
    return grant


def upload(client, staff, file):
    response = client.post(reverse("web:network_import", args=[staff.network.slug]), {"file": file})
    assert response.status_code == 302
    return ImportJob.objects.get(network=staff.network)


def test_upload_shows_a_preview_and_writes_nothing(client, staff):
    """Uploading stores the file and shows the mapping and the first rows; no member is written."""
    file = french_file(header=[*HEADER[:6], "Ville", "CP"])
    job = upload(client, staff, file)
    page = client.get(reverse("web:import_job", args=[job.pk])).content.decode()
    assert job.status == ImportStatus.READY and "import-sample" in page and "Société 0" in page
    assert 'id="confirm"' in page and Leader.objects.count() == 0


def test_an_unrecognised_column_is_corrected_in_the_mapping_then_confirmed(client, staff):
    """Staff mark « Localisation » as the commune, check again, confirm: the members are written."""
    job = upload(client, staff, french_file())
    assert job.mapping[6] == "" and job.mapping[7] == "postal_code"
    mapping = {f"column-{i}": name for i, name in enumerate(job.mapping)}
    mapping["column-6"] = "commune"
    client.post(reverse("web:import_mapping", args=[job.pk]), mapping)
    job.refresh_from_db()
    assert job.mapping[6] == "commune" and job.status == ImportStatus.READY
    client.post(reverse("web:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Membership.objects.filter(network=staff.network).count() == 3
    assert AuditEntry.objects.filter(action="members.import.completed").count() == 1


def test_confirming_twice_imports_once(client, staff):
    """A second confirmation of the same preview is refused; members are not doubled."""
    job = upload(client, staff, french_file())
    client.post(reverse("web:import_confirm", args=[job.pk]))
    response = client.post(reverse("web:import_confirm", args=[job.pk]), follow=True)
    assert "pas prêt à être confirmé" in response.content.decode()
    assert AuditEntry.objects.filter(action="members.import.completed").count() == 1


def test_a_file_with_errors_cannot_be_confirmed(client, staff):
    """A preview with a rejected row offers no confirmation, and confirming anyway writes nothing."""
    rows = rows_for(3)
    rows[1][4] = "123"
    file = as_csv(rows)
    file.name = "m.csv"
    job = upload(client, staff, file)
    page = client.get(reverse("web:import_job", args=[job.pk])).content.decode()
    assert job.status == ImportStatus.INVALID and "import-errors" in page and 'id="confirm"' not in page
    client.post(reverse("web:import_confirm", args=[job.pk]))
    assert Leader.objects.count() == 0


@pytest.mark.parametrize("name", ["web:import_job", "web:import_status"])
def test_another_networks_staff_cannot_see_an_import(client, staff, name):
    """Staff of another network get a 404 on someone else's import."""
    job = upload(client, staff, french_file())
    client.force_login(NetworkRoleFactory().user)
    assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_another_networks_staff_cannot_confirm_an_import(client, staff):
    """Confirming someone else's import is a 404 and writes nothing."""
    job = upload(client, staff, french_file(header=[*HEADER[:6], "Ville", "CP"]))
    client.force_login(NetworkRoleFactory().user)
    assert client.post(reverse("web:import_confirm", args=[job.pk])).status_code == 404
    assert Leader.objects.count() == 0


def test_large_file_runs_as_a_background_job_with_status(client, staff, django_capture_on_commit_callbacks):
    """An 8,000-row file is checked by a task, the status view reports it, and confirming applies it."""
    rows = rows_for(8000, seed=3)
    file = as_csv(rows)
    file.name = "gros.csv"
    assert len(rows) > INLINE_ROWS
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(client, staff, file)
    status = client.get(reverse("web:import_status", args=[job.pk])).json()
    assert (status["status"], status["progress"], status["running"]) == ("ready", 100, False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Membership.objects.filter(network=staff.network).count() == 8000


def test_add_one_member_by_hand(client, staff):
    """Staff add one member with a commune by name: person, company, membership and invitation are created."""
    data = {"email": "Main@Example.org", "first_name": "Léa", "last_name": "Main", "company": "Main SARL",
            "siret": valid_siret(880), "naf": "43 22a", "commune": "st julien l'ars", "postal_code": "",
            "phone": "0549000003", "function": "Gérante", "status": "active", "fee": "due"}
    response = client.post(reverse("web:network_member_add", args=[staff.network.slug]), data)
    assert response.status_code == 302
    leader = Leader.objects.select_related("company").get(user__email="main@example.org")
    assert (leader.company.naf_code, leader.company.commune_id, leader.phone) == ("43.22A", "86226", "05 49 00 00 03")
    assert Invitation.objects.get(user=leader.user).kind == "account"
    assert AuditEntry.objects.filter(action="members.member.added", actor=staff.user).exists()


def test_adding_a_member_of_another_network_invites_them(client, staff):
    """Adding by hand someone who belongs to another network only creates an invitation."""
    other = MembershipFactory(leader=LeaderFactory(user=UserFactory(email="autre@example.org")))
    data = {"email": "autre@example.org", "first_name": "X", "last_name": "Y", "company": "Z",
            "siret": valid_siret(881), "naf": "6201Z", "commune": "Poitiers", "status": "active", "fee": "due"}
    client.post(reverse("web:network_member_add", args=[staff.network.slug]), data)
    other.leader.refresh_from_db()
    assert other.leader.user.first_name != "X" and Invitation.objects.get().kind == "join"
    assert not Membership.objects.filter(network=staff.network).exists()


def test_add_member_form_shows_errors_on_their_fields(client, staff):
    """A wrong SIRET and an unknown commune are shown on their fields; nothing is written."""
    data = {"email": "a@example.org", "first_name": "A", "last_name": "B", "company": "C", "siret": "123",
            "naf": "6201Z", "commune": "Chatelrault", "status": "active", "fee": "due"}
    response = client.post(reverse("web:network_member_add", args=[staff.network.slug]), data)
    form = response.context["form"]
    assert set(form.errors) == {"siret", "commune"} and "Châtellerault" in form.errors["commune"][0]
    assert Leader.objects.count() == 0


def test_the_preview_counts_rejected_rows_not_problems(client, staff):
    """A row with two problems is one rejected row on the preview."""
    rows = rows_for(3)
    rows[1][4] = "123"
    rows[1][0] = "pas-un-mail"
    file = as_csv(rows)
    file.name = "m.csv"
    job = upload(client, staff, file)
    page = client.get(reverse("web:import_job", args=[job.pk])).content.decode()
    assert page.count("<tr><td>3</td>") == 2 and '<dd id="count-errors">1</dd>' in page


def test_add_member_form_limits_the_company_name_like_the_company():
    """The company field lets one type no more than a company's name may hold."""
    from meute.members.models import Company
    from meute.web.imports.forms import AddMemberForm

    limit = Company._meta.get_field("name").max_length
    assert AddMemberForm().fields["company"].max_length == limit
    assert f'maxlength="{limit}"' in str(AddMemberForm()["company"])
