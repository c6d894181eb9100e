"""A small world for the phone, offline and accessibility journeys: one network running a peer
group (member, facilitator, staff), a workshop, a planned speed meeting the member attends and a
pending invitation of a person with a long name."""

from __future__ import annotations

from dataclasses import dataclass

from meute.events.models import PlanStatus
from meute.events.rotations import check_request_plan, run_plan
from meute.events.services import do_register
from meute.members.invitations import do_invite
from meute.members.models import InvitationKind, Role
from tests.factories import EventFactory, NetworkRoleFactory, UserFactory, peer_group, speed_meeting


@dataclass
class World:
    member: object
    facilitator: object
    staff: object
    group: object
    meeting: object
    event: object
    speed: object
    other_leader: object

    def pages(self, role: str) -> list[str]:
        """The main pages of each role."""
        if role == "member":
            return ["/", "/directory/", "/events/", "/groups/", f"/groups/{self.group.pk}/",
                    f"/meetings/{self.meeting.pk}/", f"/events/{self.event.pk}/", "/meetings/", "/advisor/",
                    f"/members/{self.other_leader.pk}/", f"/events/{self.speed.pk}/schedule/", "/me/",
                    "/search/?q=entreprise"]
        if role == "facilitator":
            return ["/", "/groups/", f"/groups/{self.group.pk}/", f"/meetings/{self.meeting.pk}/"]
        network = self.group.network.slug
        return ["/", "/networks/", f"/networks/{network}/", f"/networks/{network}/members/",
                f"/networks/{network}/invitations/", "/events/", f"/events/{self.event.pk}/",
                f"/events/{self.speed.pk}/plan/", "/directory/"]


def build_world() -> World:
    group = peer_group(members=4)
    network = group.network
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    member_leader = group.members.first().leader
    meeting = group.meetings.order_by("starts_at").last()
    event = EventFactory(network=network, title="Atelier : transmettre son entreprise")
    speed = speed_meeting(7, table_size=4, rounds=3, network=network, title="Speed meeting d'affaires")
    do_register(speed, member_leader.user, offers="", needs="", wishes=[])
    plan = check_request_plan(speed, acting_user=staff, seconds=0.5)
    plan.refresh_from_db()
    if plan.status == PlanStatus.PENDING:
        run_plan(plan.pk)
    invited = UserFactory(first_name="Marie-Christine", last_name="de La Fontaine-Beaumarchais",
                          email="marie-christine.de-la-fontaine-beaumarchais@exemple-entreprise.fr")
    do_invite(invited, network, kind=InvitationKind.NEW_ACCOUNT, acting_user=staff)
    other = group.members.exclude(leader=member_leader).first().leader
    return World(member=member_leader.user, facilitator=group.facilitator, staff=staff, group=group,
                 meeting=meeting, event=event, speed=speed, other_leader=other)
