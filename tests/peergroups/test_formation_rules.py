"""Formation runs under the hard distance, with facilitators' capacities and slots, and a truthful review."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from meute.members.models import Leader, MembershipStatus, Role
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.formation import FormationParams, review
from meute.peergroups.models import FacilitatorOffer, PeerGroup, RunStatus
from meute.peergroups.services import check_publish, check_request_run, check_swap
from meute.territory.models import Commune
from tests.factories import CompanyFactory, LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory

pytestmark = pytest.mark.django_db
CODES = ["62.01Z", "43.22A", "47.11B", "56.10A", "69.20Z", "86.21Z", "41.20A", "70.22Z", "49.41A", "96.02A",
         "10.71C", "45.20A", "68.31Z", "71.12B", "81.21Z", "73.11Z", "25.62B", "55.10Z", "85.59A", "66.22Z",
         "43.21A", "62.02A", "47.19B", "56.30Z", "69.10Z", "86.90A", "41.10A", "70.21Z", "49.42Z", "96.04Z",
         "10.72Z", "45.11Z", "68.20A"]


def _candidate(network, code, commune=None):
    company = CompanyFactory(naf_code=code, **({"commune": commune} if commune else {}))
    return MembershipFactory(network=network, status=MembershipStatus.CANDIDATE,
                             leader=LeaderFactory(company=company)).leader


@pytest.fixture
def programme():
    network = NetworkFactory(family="peer", runs_peer_groups=True, slug="plato-rules")
    for code in CODES:
        _candidate(network, code)
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    return network, staff


def _run(network, staff, callbacks, **params):
    with callbacks(execute=True):
        run = check_request_run(network, FormationParams(size_min=10, size_max=12, seconds=1, **params),
                                acting_user=staff)
    run.refresh_from_db()
    return run


def test_isolated_candidate_is_left_out_with_reason(programme, django_capture_on_commit_callbacks):
    """A candidate 300 km away is left out of a 40 km run, with the reason and a radius that would seat them."""
    network, staff = programme
    far = _candidate(network, "74.10Z", Commune.objects.exclude(department_id="86").exclude(latitude=None)
                     .order_by("-latitude").first())
    run = _run(network, staff, django_capture_on_commit_callbacks, max_km=40)
    assert run.status == RunStatus.DONE
    assert far.pk not in {x for g in run.proposal["groups"] for x in g}
    (entry,) = run.proposal["left_out"]
    assert entry["leader"] == far.pk and "within 40 km" in entry["reason"] and entry["nearest_km"] > 40


def test_facilitator_capacity_and_slots_hold(programme, django_capture_on_commit_callbacks):
    """One facilitator offering two slots leads two groups in different slots; the third has none and says so."""
    network, staff = programme
    fac = NetworkRoleFactory(network=network, role=Role.FACILITATOR).user
    FacilitatorOffer.objects.create(network=network, user=fac, capacity=3, slots="tue-1;thu-3")
    run = _run(network, staff, django_capture_on_commit_callbacks, groups=3)
    facs, slots = run.proposal["facilitators"], run.proposal["slots"]
    assert facs.count(fac.pk) == 2 and facs.count(None) == 1
    assert sorted(s for f, s in zip(facs, slots, strict=True) if f) == ["thu-3", "tue-1"] and all(slots)
    reviews, problems = review(network, run.proposal, FormationParams.from_json(run.params), run.locks)
    assert not problems
    assert any("No facilitator" in w for g in reviews for w in g.warnings)


def test_published_meetings_follow_the_slot(programme, django_capture_on_commit_callbacks):
    """Published groups keep their slot and meet on its weekday and week of the month."""
    network, staff = programme
    fac = NetworkRoleFactory(network=network, role=Role.FACILITATOR).user
    FacilitatorOffer.objects.create(network=network, user=fac, capacity=2, slots="wed-2;fri-4")
    run = _run(network, staff, django_capture_on_commit_callbacks, groups=3)
    assert run.status == RunStatus.DONE, run.message
    with django_capture_on_commit_callbacks(execute=True):
        check_publish(run, acting_user=staff, reason="no sponsors in this test")
    groups = PeerGroup.objects.filter(network=network)
    assert sorted(g.meeting_slot for g in groups if g.facilitator_id == fac.pk) == ["fri-4", "wed-2"]
    for group in groups:
        day = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4}[group.meeting_slot[:3]], int(group.meeting_slot[-1])
        first = group.meetings.first().starts_at.date()
        assert (first.weekday(), (first.day - 1) // 7 + 1) == day


def test_banner_lists_unmet_preferences(programme, django_capture_on_commit_callbacks, client):
    """Without sponsors the review lists the shortfall group by group instead of "all rules respected"."""
    network, staff = programme
    NetworkRoleFactory(network=network, role=Role.FACILITATOR)
    NetworkRoleFactory(network=network, role=Role.FACILITATOR)
    run = _run(network, staff, django_capture_on_commit_callbacks, groups=3)
    reviews, problems = review(network, run.proposal, FormationParams.from_json(run.params), run.locks)
    assert not problems and all(any("sponsor" in w for w in g.warnings) for g in reviews)
    client.force_login(staff)
    html = client.get(reverse("web:formation_run", args=[run.pk])).content.decode()
    assert 'id="rules-missed"' in html and 'id="all-good"' not in html


def test_banner_says_all_rules_respected_when_true(programme, django_capture_on_commit_callbacks, client):
    """With enough sponsors and facilitators, and everyone close, the banner says every rule is respected."""
    network, staff = programme
    for _ in range(2):
        NetworkRoleFactory(network=network, role=Role.FACILITATOR)
    for _ in range(6):
        NetworkRoleFactory(network=network, role=Role.SPONSOR)
    run = _run(network, staff, django_capture_on_commit_callbacks, groups=3)
    reviews, problems = review(network, run.proposal, FormationParams.from_json(run.params), run.locks)
    assert not problems and not [w for g in reviews for w in g.warnings]
    assert all(2 <= len(g.sponsors) <= 3 for g in reviews)
    client.force_login(staff)
    html = client.get(reverse("web:formation_run", args=[run.pk])).content.decode()
    assert 'id="all-good"' in html and 'id="rules-missed"' not in html


def test_bad_distance_and_unknown_commune_are_refused(programme):
    """A maximum distance out of range or an unknown commune is a clear message; no run is queued."""
    network, staff = programme
    with pytest.raises(PeerGroupError, match="maximum distance"):
        check_request_run(network, FormationParams(max_km=5000), acting_user=staff)
    with pytest.raises(PeerGroupError, match="Unknown commune 99999"):
        check_request_run(network, FormationParams(around="99999", around_km=20), acting_user=staff)
    assert not network.formation_runs.exists()


def test_run_stays_in_the_programme_departments(programme, django_capture_on_commit_callbacks):
    """By default a run takes only the candidates of the programme's départements."""
    network, staff = programme
    network.departments.set(["86"])
    outside = _candidate(network, "74.10Z", Commune.objects.filter(department_id="79").first())
    run = _run(network, staff, django_capture_on_commit_callbacks)
    ids = {x for g in run.proposal["groups"] for x in g} | {x["leader"] for x in run.proposal["left_out"]}
    assert outside.pk not in ids and len(ids) == len(CODES)


def test_a_second_run_over_placed_candidates_is_refused_by_name(programme, django_capture_on_commit_callbacks, client):
    """Two runs over the same candidates: once one is published, the other names who is placed and cannot publish."""
    network, staff = programme
    first = _run(network, staff, django_capture_on_commit_callbacks, groups=3)
    second = _run(network, staff, django_capture_on_commit_callbacks, groups=3)
    with django_capture_on_commit_callbacks(execute=True):
        check_publish(first, acting_user=staff, reason="no sponsors in this test")
    placed = PeerGroup.objects.filter(network=network).first().members.first().leader
    _reviews, problems = review(network, second.proposal, FormationParams.from_json(second.params), second.locks)
    assert any(placed.full_name in p and "no longer a waiting candidate" in p for p in problems)
    with pytest.raises(PeerGroupError, match="no longer waiting candidates"):
        check_publish(second, acting_user=staff, reason="publish anyway")
    second.refresh_from_db()
    assert second.status == RunStatus.DONE and PeerGroup.objects.filter(network=network).count() == 3
    client.force_login(staff)
    html = client.get(reverse("web:formation_run", args=[second.pk])).content.decode()
    assert 'id="rules-broken"' in html and 'id="all-good"' not in html
    published = client.get(reverse("web:formation_run", args=[first.pk])).content.decode()
    assert "no longer a waiting candidate" not in published


def test_review_names_clashes_with_groups_published_after_the_run(programme, django_capture_on_commit_callbacks,
                                                                   client):
    """A proposal computed before other groups were published: its facilitator's and sponsors' clashes and
    capacities against those running groups are listed, and the banner no longer says all is well."""
    network, staff = programme
    facs = [NetworkRoleFactory(network=network, role=Role.FACILITATOR).user for _ in range(2)]
    sponsors = [NetworkRoleFactory(network=network, role=Role.SPONSOR).user for _ in range(6)]
    run = _run(network, staff, django_capture_on_commit_callbacks, groups=3)
    assert not [w for g in review(network, run.proposal, FormationParams.from_json(run.params), run.locks)[0]
                for w in g.warnings]
    first = 0
    fac = next(u for u in facs if u.pk == run.proposal["facilitators"][first])
    slot, mine = run.proposal["slots"][first], run.proposal["sponsors"][first][0]
    for name, other_slot in (("Déjà", slot), ("Aussi", "fri-4")):
        running = PeerGroup.objects.create(network=network, name=name, cycle_start="2026-01-01",
                                           cycle_end="2028-01-01", facilitator=fac, meeting_slot=other_slot)
        running.sponsors.set([mine])
    reviews, _problems = review(network, run.proposal, FormationParams.from_json(run.params), run.locks)
    warnings = " ".join(reviews[first].warnings)
    who = next(u for u in sponsors if u.pk == mine)
    assert "Déjà" in warnings and fac.get_full_name() in warnings and who.get_full_name() in warnings
    assert "capacity" in warnings
    client.force_login(staff)
    html = client.get(reverse("web:formation_run", args=[run.pk])).content.decode()
    assert 'id="all-good"' not in html and 'id="rules-missed"' in html


def test_an_uneven_spread_of_a_tag_is_named_by_its_label(programme, django_capture_on_commit_callbacks):
    """Swapping the women leaders into one group makes the review name the imbalance with the tag's label."""
    network, staff = programme
    run = _run(network, staff, django_capture_on_commit_callbacks, groups=3)
    groups = run.proposal["groups"]
    women = groups[1][:2] + groups[2][:2]
    Leader.objects.filter(pk__in=women).update(tags="femme_dirigeante")
    for a, b in zip(women, groups[0][:4], strict=True):
        check_swap(run, a, b, acting_user=staff)
    run.refresh_from_db()
    reviews, _problems = review(network, run.proposal, FormationParams.from_json(run.params), run.locks)
    warnings = " ".join(reviews[0].warnings)
    assert "woman leader" in warnings and "femme_dirigeante" not in warnings


def test_a_radius_nobody_can_meet_fails_with_a_french_message_and_the_nearest_radius(
        programme, django_capture_on_commit_callbacks):
    """A 1 km hard distance over candidates spread across a département: the run fails, says why in French
    with the radius that would work and the people concerned; nothing is proposed."""
    network, staff = programme
    communes = list(Commune.objects.filter(department_id="86").exclude(latitude=None).order_by("pk")[::8][:12])
    spread = [_candidate(network, code, c) for code, c in zip(CODES[:12], communes, strict=True)]
    Leader.objects.exclude(pk__in=[x.pk for x in spread]).filter(memberships__network=network).delete()
    with translation.override("fr"):
        run = _run(network, staff, django_capture_on_commit_callbacks, max_km=1)
    assert run.status == RunStatus.FAILED and not run.proposal
    assert "km de son lieu de réunion" in run.message and "rayon" in run.message and "within" not in run.message
    assert spread[0].full_name in run.message


def test_shortfalls_name_the_people_or_say_there_is_nobody(programme, django_capture_on_commit_callbacks):
    """More groups than the facilitators and sponsors can serve: the review names who is at capacity; with
    nobody at all, it says the programme has none rather than blaming capacities."""
    network, staff = programme
    run = _run(network, staff, django_capture_on_commit_callbacks, groups=3)
    reviews, _problems = review(network, run.proposal, FormationParams.from_json(run.params), run.locks)
    warnings = " ".join(reviews[0].warnings)
    assert "no facilitator yet" in warnings and "no sponsor yet" in warnings and "capacity" not in warnings
    fac = NetworkRoleFactory(network=network, role=Role.FACILITATOR).user
    FacilitatorOffer.objects.create(network=network, user=fac, capacity=1, slots="tue-1;thu-3")
    sponsor = NetworkRoleFactory(network=network, role=Role.SPONSOR).user
    run = _run(network, staff, django_capture_on_commit_callbacks, groups=3)
    reviews, _problems = review(network, run.proposal, FormationParams.from_json(run.params), run.locks)
    unstaffed = next(g for g in reviews if g.facilitator is None)
    warnings = " ".join(unstaffed.warnings)
    assert fac.get_full_name() in warnings and sponsor.get_full_name() in warnings


def test_distances_in_french_sentences_use_a_decimal_comma(programme, django_capture_on_commit_callbacks):
    """A member beyond the preferred radius is named with the distance written as French writes it (26,8 km)."""
    network, staff = programme
    communes = list(Commune.objects.filter(department_id="86").exclude(latitude=None).order_by("pk")[::8][:12])
    spread = [_candidate(network, code, c) for code, c in zip(CODES[:12], communes, strict=True)]
    Leader.objects.exclude(pk__in=[x.pk for x in spread]).filter(memberships__network=network).delete()
    run = _run(network, staff, django_capture_on_commit_callbacks, max_km=200, groups=1)
    with translation.override("fr"):
        reviews, _problems = review(network, run.proposal, FormationParams.from_json(run.params), run.locks)
    far = next(w for w in reviews[0].warnings if "souhaités" in w)
    assert re.search(r"le plus loin à \d+,\d km", far), far
