"""Pages of pooled purchases: who sees what, commitments from the page, documents of a closed campaign."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from meute.purchases.models import Commitment
from meute.purchases.services import check_commit, close_campaign
from tests.factories import (
    CompanyFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    UserFactory,
)
from tests.purchases.factories import open_campaign

pytestmark = pytest.mark.django_db


def member_of(network):
    return MembershipFactory(network=network, leader=LeaderFactory(company=CompanyFactory())).leader.user


def _closed():
    campaign, item, staff = open_campaign()
    user = member_of(campaign.network)
    check_commit(item, user, quantity=20)
    close_campaign(campaign.pk, now=campaign.closes_at + datetime.timedelta(minutes=1))
    return campaign, item, staff, user


def _urls(campaign, item):
    line = campaign.order_lines.first()
    urls = [reverse("web:purchase", args=[campaign.pk]), reverse("web:purchase_progress", args=[campaign.pk]),
            reverse("web:purchase_order_pdf", args=[campaign.pk])]
    urls += [reverse("web:purchase_document", args=[campaign.pk, doc, "csv"])
             for doc in ("order", "delivery", "summary")]
    if line:
        urls.append(reverse("web:purchase_line", args=[campaign.pk, line.pk]))
    urls.append(reverse("web:purchase_commit", args=[campaign.pk, item.pk]))
    return urls


@pytest.mark.parametrize("who", ["anonymous", "account", "other_member", "other_staff"])
def test_outsiders_get_404_everywhere(client, who):
    """Nobody outside the networks taking part learns anything of a campaign, open or closed."""
    campaign, item, _staff, _user = _closed()
    other = NetworkFactory()
    people = {"account": UserFactory, "other_member": lambda: member_of(other),
              "other_staff": lambda: NetworkRoleFactory(network=other).user}
    if who != "anonymous":
        client.force_login(people[who]())
    for url in _urls(campaign, item):
        response = client.post(url) if "commit" in url or "lines" in url else client.get(url)
        assert response.status_code in (302, 404) if who == "anonymous" else response.status_code == 404, url
    if who != "anonymous":
        assert campaign.title not in client.get(reverse("web:purchases")).content.decode()


def test_member_commits_from_the_page(client):
    """A member of a network taking part commits for their company from the campaign's page."""
    campaign, item, _staff = open_campaign()
    user = member_of(campaign.network)
    client.force_login(user)
    response = client.post(reverse("web:purchase_commit", args=[campaign.pk, item.pk]),
                           {f"item{item.pk}-quantity": "12", f"item{item.pk}-tolerance": "3"})
    assert response.status_code == 302
    assert Commitment.objects.get(item=item).quantity == 12


def test_a_refused_commitment_shows_the_reason_on_the_field(client):
    """Above the cap, the page answers 400 with the reason and stores nothing."""
    campaign, item, _staff = open_campaign(cap_fixed=5)
    client.force_login(member_of(campaign.network))
    response = client.post(reverse("web:purchase_commit", args=[campaign.pk, item.pk]),
                           {f"item{item.pk}-quantity": "12"})
    assert response.status_code == 400 and "5" in response.content.decode()
    assert not Commitment.objects.exists()


def test_a_member_does_not_get_the_staff_documents(client):
    """The delivery list and summaries are for staff; a member sees only their own line."""
    campaign, _item, _staff, user = _closed()
    client.force_login(user)
    assert client.get(reverse("web:purchase_document", args=[campaign.pk, "summary", "csv"])).status_code == 404
    assert client.get(reverse("web:purchase", args=[campaign.pk])).status_code == 200


def test_supplier_order_xlsx_lists_the_quantities(client):
    """The supplier's order counts the units and packs ordered, as text cells."""
    campaign, _item, staff, _user = _closed()
    client.force_login(staff)
    response = client.get(reverse("web:purchase_document", args=[campaign.pk, "order", "xlsx"]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "Masque FFP2" and rows[1][3] == "2" and rows[1][4] == "20"


def test_supplier_order_pdf_renders(client):
    """The supplier's order PDF renders for the organisers."""
    campaign, _item, staff, _user = _closed()
    client.force_login(staff)
    response = client.get(reverse("web:purchase_order_pdf", args=[campaign.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_french_supplier_order_pdf_prints_amounts_with_a_decimal_comma(client, tmp_path):
    """The order's amounts read « 20,00 », not « 20.00 », on a French page."""
    import subprocess

    campaign, _item, staff, _user = _closed()
    client.force_login(staff)
    pdf = tmp_path / "order.pdf"
    pdf.write_bytes(client.get(reverse("web:purchase_order_pdf", args=[campaign.pk]),
                               headers={"accept-language": "fr"}).content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert ("20,00" in text, "20.00" in text) == (True, False)
