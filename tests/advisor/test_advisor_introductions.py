import datetime

import pytest
from django.core import mail
from django.utils import timezone

from meute.advisor.exceptions import AdvisorError
from meute.advisor.introductions import (
    check_answer_introduction,
    check_request_introduction,
    list_suggestions,
)
from meute.advisor.models import Introduction, IntroductionStatus
from meute.advisor.queries import access_introduction, list_staff_introductions
from meute.core.exceptions import NotFound
from meute.core.models import AuditEntry
from meute.members.models import Visibility
from tests.advisor.helpers_advisor import index_vectors, member
from tests.factories import EventFactory, NetworkFactory, NetworkRoleFactory, UserFactory, peer_group

pytestmark = pytest.mark.django_db

NEED = "un expert-comptable réactif pour la trésorerie"


@pytest.fixture
def people():
    a, b = NetworkFactory(), NetworkFactory()
    me = member(a, needs=NEED, offers="développement de logiciels")
    accountant = member(b, offers="cabinet d'expert-comptable : trésorerie, bilans, fiscalité", needs="des clients")
    colleague = member(a, offers="expert-comptable et trésorerie", needs="")
    baker = member(b, offers="boulangerie pâtisserie", needs="un local commercial")
    index_vectors()
    return {"me": me, "accountant": accountant, "colleague": colleague, "baker": baker, "a": a, "b": b}


def test_suggestions_match_offers_to_needs_outside_my_networks(people):
    """The accountant in another network is suggested; a member of my own network is not."""
    ids = [s.leader_id for s in list_suggestions(people["me"].user)]
    assert ids[0] == people["accountant"].pk
    assert people["colleague"].pk not in ids and people["baker"].pk not in ids


def test_suggestions_carry_reasons_with_points(people):
    """Each suggestion says why, with the points of each reason."""
    first = list_suggestions(people["me"].user)[0]
    assert "comptable" in first.reasons[0] and "(+" in first.reasons[0]


def test_unlisted_members_are_never_suggested(people):
    """A leader who left the directory is not suggested."""
    people["accountant"].listed = False
    people["accountant"].in_directory = False
    people["accountant"].save()
    assert people["accountant"].pk not in [s.leader_id for s in list_suggestions(people["me"].user)]


def test_already_asked_members_are_not_suggested_again(people):
    """Once an introduction is asked, the pair leaves the suggestions."""
    check_request_introduction(people["accountant"].pk, acting_user=people["me"].user)
    assert people["accountant"].pk not in [s.leader_id for s in list_suggestions(people["me"].user)]


def test_fellow_peer_group_members_are_not_suggested(people):
    """Someone who shares (or shared) a peer group with me is known already."""
    from meute.peergroups.models import GroupMember

    group = peer_group(members=0)
    GroupMember.objects.create(group=group, leader=people["me"])
    GroupMember.objects.create(group=group, leader=people["accountant"])
    assert people["accountant"].pk not in [s.leader_id for s in list_suggestions(people["me"].user)]


def _shared_table(people, *, days: int) -> None:
    """A speed meeting ``days`` from now (negative: started) where me and the accountant sat together."""
    from meute.events.models import PlanStatus, Registration, RegistrationStatus, RotationPlan

    event = EventFactory(kind="speed_meeting", table_size=2, rounds=1,
                         starts_at=timezone.now() + datetime.timedelta(days=days))
    me, other = people["me"].user, people["accountant"].user
    for seq, user in enumerate((me, other)):
        Registration.objects.create(event=event, user=user, status=RegistrationStatus.CONFIRMED, seq=seq)
    RotationPlan.objects.create(event=event, status=PlanStatus.DONE, seed=0, rounds=[[[me.pk, other.pk]]])


def test_speed_meeting_tablemates_are_not_suggested(people):
    """Someone I sat with at a speed meeting that has started is known already."""
    _shared_table(people, days=-1)
    assert people["accountant"].pk not in [s.leader_id for s in list_suggestions(people["me"].user)]


def test_tables_of_a_speed_meeting_to_come_do_not_count(people):
    """A plan for a speed meeting that has not started yet is not a meeting: still suggested."""
    _shared_table(people, days=3)
    assert people["accountant"].pk in [s.leader_id for s in list_suggestions(people["me"].user)]


def test_ask_then_accept_leaves_audit_and_mails(people, django_capture_on_commit_callbacks):
    """Asking mails the other member; accepting mails the asker with the contact; both are audited."""
    me, other = people["me"], people["accountant"]
    with django_capture_on_commit_callbacks(execute=True):
        intro = check_request_introduction(other.pk, message="Bonjour", acting_user=me.user)
    assert mail.outbox[-1].to == [other.user.email] and "comptable" in intro.reason
    with django_capture_on_commit_callbacks(execute=True):
        check_answer_introduction(intro, accept=True, acting_user=other.user)
    intro.refresh_from_db()
    assert intro.status == IntroductionStatus.ACCEPTED and intro.answered
    assert mail.outbox[-1].to == [me.user.email] and other.user.email in mail.outbox[-1].body
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"advisor.introduction.requested", "advisor.introduction.accepted"} <= actions


def test_only_the_target_answers_and_only_once(people):
    """The asker cannot accept their own request; a declined request cannot be accepted later."""
    intro = check_request_introduction(people["accountant"].pk, acting_user=people["me"].user)
    with pytest.raises(AdvisorError, match="Only the member asked for"):
        check_answer_introduction(intro, accept=True, acting_user=people["me"].user)
    check_answer_introduction(intro, accept=False, acting_user=people["accountant"].user)
    with pytest.raises(AdvisorError, match="already answered"):
        check_answer_introduction(intro, accept=True, acting_user=people["accountant"].user)


def test_cannot_ask_twice_or_oneself(people):
    """A pair is asked once (either way round), and nobody asks to meet themselves."""
    check_request_introduction(people["accountant"].pk, acting_user=people["me"].user)
    with pytest.raises(AdvisorError, match="already asked"):
        check_request_introduction(people["me"].pk, acting_user=people["accountant"].user)
    with pytest.raises(AdvisorError, match="yourself"):
        check_request_introduction(people["me"].pk, acting_user=people["me"].user)


def test_cannot_ask_for_someone_one_may_not_see(people):
    """An outsider without membership cannot ask for anyone."""
    from tests.factories import LeaderFactory

    outsider = LeaderFactory()
    with pytest.raises(AdvisorError):
        check_request_introduction(people["me"].pk, acting_user=outsider.user)
    assert not Introduction.objects.exists()


def test_who_sees_an_introduction(people):
    """The two members and the staff of their networks see an introduction; others get not found."""
    intro = check_request_introduction(people["accountant"].pk, acting_user=people["me"].user)
    staff_b = NetworkRoleFactory(network=people["b"]).user
    staff_other = NetworkRoleFactory(network=NetworkFactory()).user
    for user in (people["me"].user, people["accountant"].user, staff_b):
        assert access_introduction(user, intro.pk) == intro
    for user in (staff_other, UserFactory(), people["baker"].user):
        with pytest.raises(NotFound):
            access_introduction(user, intro.pk)
    assert list(list_staff_introductions(staff_b)) == [intro]
    assert not list_staff_introductions(staff_other).exists()


def test_accepted_contact_respects_nothing_more_than_consent(people, django_capture_on_commit_callbacks):
    """A declined request never reveals the other member's e-mail to the asker."""
    people["accountant"].email_visibility = Visibility.PRIVATE
    people["accountant"].save()
    with django_capture_on_commit_callbacks(execute=True):
        intro = check_request_introduction(people["accountant"].pk, acting_user=people["me"].user)
        check_answer_introduction(intro, accept=False, acting_user=people["accountant"].user)
    assert people["accountant"].user.email not in mail.outbox[-1].body


def test_introduction_requests_are_limited_per_sender_and_day(people, settings):
    """Past the daily limit a request is refused with a clear message and changes nothing."""
    settings.MEUTE_INTRODUCTIONS_PER_DAY = 2
    me = people["me"]
    check_request_introduction(people["accountant"].pk, acting_user=me.user)
    check_request_introduction(people["baker"].pk, acting_user=me.user)
    with pytest.raises(AdvisorError, match="2 introduction requests per 24 hours"):
        check_request_introduction(people["colleague"].pk, acting_user=me.user)
    assert Introduction.objects.filter(requester=me).count() == 2
    assert AuditEntry.objects.filter(action="advisor.introduction.requested").count() == 2


def test_the_daily_limit_is_a_rolling_24_hours(people, settings):
    """A request sent more than 24 hours ago frees its place; other members keep their own limit."""
    settings.MEUTE_INTRODUCTIONS_PER_DAY = 1
    me = people["me"]
    first = check_request_introduction(people["accountant"].pk, acting_user=me.user)
    check_request_introduction(people["colleague"].pk, acting_user=people["baker"].user)
    with pytest.raises(AdvisorError):
        check_request_introduction(people["baker"].pk, acting_user=me.user)
    Introduction.objects.filter(pk=first.pk).update(created=timezone.now() - datetime.timedelta(hours=25))
    assert check_request_introduction(people["baker"].pk, acting_user=me.user).target == people["baker"]
