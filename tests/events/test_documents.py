"""The printable documents: page counts, whole tables on a page, readable text."""

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from meute.events.models import RotationPlan
from meute.events.pdf import plan_layout, table_plan_pdf, table_sheets_pdf
from meute.events.rotations import run_plan
from tests.factories import EventFactory, MembershipFactory, NetworkRoleFactory, peer_group, speed_meeting

pytestmark = pytest.mark.django_db


def pages_of(content: bytes, folder: Path, name: str = "doc") -> list[str]:
    """Render the PDF with pdftoppm (one PNG per page) and return each page's text (pdftotext)."""
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "20", str(pdf), str(folder / name)], check=True)
    count = len(list(folder.glob(f"{name}-*.png")))
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout for n in range(1, count + 1)]


@pytest.fixture
def sixty():
    """A planned 60-person speed meeting (tables of 6, 8 rounds) and one of its staff."""
    event = speed_meeting(60)
    run_plan(RotationPlan.objects.create(event=event, seed=3, seconds=1).pk)
    return event, NetworkRoleFactory(network=event.network).user


def full_names(event):
    return {r.user_id: r.user.get_full_name() for r in event.registrations.select_related("user")}


def test_sixty_people_plan_has_one_page_per_round(client, sixty, tmp_path):
    """8 rounds of 60 people at tables of 6 print on exactly 8 pages."""
    event, staff = sixty
    client.force_login(staff)
    response = client.get(reverse("web:event_plan_pdf", args=[event.pk]))
    assert response["Content-Type"] == "application/pdf" and len(pages_of(response.content, tmp_path)) == 8


def test_every_table_of_a_round_is_whole_on_its_page(client, sixty, tmp_path):
    """Each page holds its round's header, every table's heading and every name seated at it."""
    event, staff = sixty
    client.force_login(staff)
    texts = pages_of(client.get(reverse("web:event_plan_pdf", args=[event.pk])).content, tmp_path)
    people, plan = full_names(event), event.plans.get()
    for number, (text, round_) in enumerate(zip(texts, plan.rounds, strict=True), start=1):
        assert f"Tour {number} sur 8" in text
        for t, table in enumerate(round_, start=1):
            assert f"Table {t}\n" in text and all(people[x] in text for x in table), (number, t)


def test_forty_tables_still_fit_one_page_per_round(tmp_path):
    """240 people (40 tables of 6) over 3 rounds print on 3 pages, each with its 40 tables."""
    event = EventFactory(kind="speed_meeting", table_size=6, rounds=3)
    ids = list(range(900_001, 900_241))
    rounds = [[ids[t * 6 + r:t * 6 + r + 6] if r == 0 else ids[t * 6:t * 6 + 6] for t in range(40)] for r in range(3)]
    plan = RotationPlan.objects.create(event=event, seed=1, status="done", rounds=rounds)
    texts = pages_of(table_plan_pdf(event, plan), tmp_path)
    assert len(texts) == 3 and all(f"Table {t}\n" in text for text in texts for t in range(1, 41))


def test_layout_adapts_to_the_number_of_tables():
    """Ten tables get a larger font than forty, and forty tables use more columns."""
    ten, forty = plan_layout(10, 6), plan_layout(40, 6)
    assert ten.font_pt > forty.font_pt >= 7.5 and forty.columns > ten.columns and ten.font_pt >= 14


def test_per_table_sheets_have_one_page_per_table_with_every_round(client, sixty, tmp_path):
    """Ten tables give ten sheets; sheet N lists who sits at table N in each of the 8 rounds."""
    event, staff = sixty
    client.force_login(staff)
    texts = pages_of(client.get(reverse("web:event_tables_pdf", args=[event.pk])).content, tmp_path)
    people, plan = full_names(event), event.plans.get()
    assert len(texts) == 10
    for t, text in enumerate(texts):
        assert f"Table {t + 1}" in text and all(people[x] in text for round_ in plan.rounds for x in round_[t])


def word_boxes(content: bytes, folder: Path, page: int = 1) -> list[tuple[str, float, float, float, float]]:
    """Each word of a page with its box (pdftotext -bbox): text, x0, y0, x1, y1 in points."""
    pdf = folder / "boxes.pdf"
    pdf.write_bytes(content)
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in found]


def test_a_long_event_title_never_runs_under_the_table_number(tmp_path):
    """On a per-table sheet, no word of a long title and date overlaps the large "Table N" heading."""
    event = speed_meeting(12, rounds=2, title="Speed meeting des dirigeants de la Vienne — printemps 2027, Poitiers")
    run_plan(RotationPlan.objects.create(event=event, seed=3, seconds=1).pk)
    boxes = word_boxes(table_sheets_pdf(event, event.plans.get()), tmp_path)
    heading = next(b for b in boxes if b[0] == "Table")
    big = [b for b in boxes if b[2] == heading[2] and b[4] == heading[4]]  # "Table" and its number
    others = [b for b in boxes if b not in big]
    overlaps = [o[0] for o in others for h in big if o[1] < h[3] and h[1] < o[3] and o[2] < h[4] and h[2] < o[4]]
    assert len(big) == 2 and not overlaps


def test_all_schedules_are_four_cards_per_page(client, sixty, tmp_path):
    """60 personal schedules print on 15 pages, each person's card whole on one page."""
    event, staff = sixty
    client.force_login(staff)
    texts = pages_of(client.get(reverse("web:event_schedules_pdf", args=[event.pk])).content, tmp_path)
    names = full_names(event).values()
    assert len(texts) == 15 and all(sum(name in text for text in texts) >= 1 for name in names)


def test_badges_are_ten_per_page_with_a_qr_code(client, sixty, tmp_path):
    """60 badges print on 6 pages; each carries a name and the company."""
    event, staff = sixty
    client.force_login(staff)
    response = client.get(reverse("web:event_badges_pdf", args=[event.pk]))
    texts = pages_of(response.content, tmp_path)
    first = event.registrations.select_related("user__leader__company").order_by("user__last_name").first()
    assert len(texts) == 6 and first.user.leader.company.name in "".join(texts)


def test_attendance_sheet_of_a_workshop_lists_the_confirmed_with_a_signature_column(client, tmp_path):
    """A workshop's sign-in sheet names each confirmed participant, not those waiting."""
    from meute.events.services import do_register

    event = EventFactory(capacity=2)
    people = [MembershipFactory(network=event.network).leader.user for _ in range(3)]
    for user in people:
        do_register(event, user, offers="", needs="", wishes=[])
    client.force_login(NetworkRoleFactory(network=event.network).user)
    text = "".join(pages_of(client.get(reverse("web:event_attendance_pdf", args=[event.pk])).content, tmp_path))
    assert "Signature" in text and all(u.get_full_name() in text for u in people[:2])
    assert people[2].get_full_name() not in text


def test_attendance_sheet_of_a_peer_group_meeting_is_for_its_facilitator(client, tmp_path):
    """The facilitator prints the meeting's sign-in sheet with the group's members."""
    group = peer_group(members=4)
    meeting = group.meetings.first()
    client.force_login(group.facilitator)
    text = "".join(pages_of(client.get(reverse("web:meeting_attendance_pdf", args=[meeting.pk])).content, tmp_path))
    assert all(m.leader.user.get_full_name() in text for m in group.members.select_related("leader__user"))


def test_attendance_sheet_of_a_meeting_is_404_for_a_group_member(client):
    """A member of the group cannot print the sheet (only those who lead its meetings)."""
    group = peer_group(members=2)
    client.force_login(group.members.first().leader.user)
    assert client.get(reverse("web:meeting_attendance_pdf", args=[group.meetings.first().pk])).status_code == 404


@pytest.mark.parametrize("name", ["web:event_tables_pdf", "web:event_schedules_pdf"])
def test_plan_documents_without_a_plan_explain_and_redirect(client, name):
    """Sheets and schedules before any plan: a message on the plan page, not an error."""
    event = speed_meeting(6, table_size=3, rounds=2)
    client.force_login(NetworkRoleFactory(network=event.network).user)
    response = client.get(reverse(name, args=[event.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:event_plan", args=[event.pk])
    assert "compute it first" in response.content.decode() or "calculez" in response.content.decode().lower()


def test_badges_of_an_event_with_nobody_explain_and_redirect(client):
    """Badges of an event without confirmed participants: a message, no PDF."""
    event = EventFactory()
    client.force_login(NetworkRoleFactory(network=event.network).user)
    response = client.get(reverse("web:event_badges_pdf", args=[event.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:event", args=[event.pk])


@pytest.mark.parametrize("name", ["web:event_tables_pdf", "web:event_schedules_pdf", "web:event_badges_pdf",
                                  "web:event_attendance_pdf"])
def test_documents_are_404_for_staff_of_another_network(client, name):
    """Staff of network B cannot print network A's documents."""
    event = EventFactory(kind="speed_meeting", audience="public")
    client.force_login(NetworkRoleFactory().user)
    assert client.get(reverse(name, args=[event.pk])).status_code == 404


@pytest.fixture
def long_company():
    """A planned 8-person speed meeting where one company's name is far longer than a card is wide."""
    event = speed_meeting(8, table_size=4, rounds=2)
    run_plan(RotationPlan.objects.create(event=event, seed=3, seconds=1).pk)
    company = event.registrations.select_related("user__leader__company").first().user.leader.company
    company.name = "Benard Autre mise à disposition de ressources humaines et gestion de personnel du Haut-Poitou"
    company.save(update_fields=["name"])
    return event, NetworkRoleFactory(network=event.network).user


CARD_WIDTH = 297.64  # points: a schedule card is 105 mm wide, two to a row


def test_a_company_name_too_long_for_a_schedule_card_is_cut_within_the_card(client, long_company, tmp_path):
    """The name is shortened with « … » where the card ends: no word runs into the next card or off the page."""
    event, staff = long_company
    client.force_login(staff)
    content = client.get(reverse("web:event_schedules_pdf", args=[event.pk])).content
    pages = len(pages_of(content, tmp_path))
    boxes = [box for page in range(1, pages + 1) for box in word_boxes(content, tmp_path, page)]
    beyond = [word for word, x0, _y0, x1, _y1 in boxes if x1 > (x0 // CARD_WIDTH + 1) * CARD_WIDTH]
    assert beyond == []


def test_a_company_name_too_long_for_a_badge_ends_with_an_ellipsis(client, long_company, tmp_path):
    """On a badge the name takes two lines at most, the second ending with « … »."""
    event, staff = long_company
    client.force_login(staff)
    text = "".join(pages_of(client.get(reverse("web:event_badges_pdf", args=[event.pk])).content, tmp_path))
    assert ("Benard Autre" in text, "…" in text, "Haut-Poitou" in text) == (True, True, False)
