"""A person's rights over their data (GDPR): download everything, ask for erasure.

* :func:`personal_data` gathers everything meute holds about a person (the JSON download and
  the readable page show the same dictionary).
* :func:`check_request_erasure` records a request; :func:`list_pending_erasures` shows the
  requests to the staff of the person's networks; :func:`check_confirm_erasure` lets one of
  them (or the site administrator) confirm, which anonymises the person
  (:func:`do_anonymise`): names, e-mail (replaced by a placeholder address), phone, function,
  expertise, search text and free text they wrote are cleared or scrubbed, login is disabled,
  their company is detached (and erased if nobody else uses it). Rows that counts depend on
  (attendance, registrations, group memberships, invitations) stay and point to the
  anonymous person. Audit entries about them lose their name and e-mail.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import User
from meute.core.audit import log_action, redact_entries
from meute.core.models import AuditEntry
from meute.core.permissions import is_site_admin
from meute.members import permissions
from meute.members.access import touch_users
from meute.members.exceptions import MemberError
from meute.members.models import (
    ErasureRequest,
    ErasureStatus,
    Invitation,
    Leader,
    Membership,
    MembershipStatus,
    NetworkRole,
    Visibility,
)

PLACEHOLDER_DOMAIN = "anonyme.invalid"
SCRUBBED = "[anonymisé]"


def placeholder_email(user: User) -> str:
    """The address an anonymised account gets: unique, and no one's (``.invalid`` never resolves)."""
    return f"anonyme-{user.pk}@{PLACEHOLDER_DOMAIN}"


# --- Download ------------------------------------------------------------------------------


def _dt(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


AUDIT_LIMIT = 2000  # entries of each audit list in the download


def _audit_about(user: User, leader: Leader | None) -> QuerySet[AuditEntry]:
    about = Q(content_type__app_label="accounts", content_type__model="user", object_id=str(user.pk))
    if leader is not None:
        about |= Q(content_type__app_label="members", content_type__model="leader", object_id=str(leader.pk))
        about |= Q(content_type__app_label="members", content_type__model="membership",
                   object_id__in=[str(pk) for pk in leader.memberships.values_list("pk", flat=True)])
    about |= Q(content_type__app_label="members", content_type__model="invitation",
               object_id__in=[str(pk) for pk in Invitation.objects.filter(user=user).values_list("pk", flat=True)])
    return AuditEntry.objects.filter(about)


def personal_data(user: User) -> dict[str, Any]:
    """Everything meute holds about ``user``, as plain JSON-ready data."""
    from meute.advisor.models import Introduction
    from meute.engagement.models import RiskSignal
    from meute.events.models import Registration
    from meute.peergroups.models import Attendance, GroupMember, MeetingReply, Topic

    leader = Leader.objects.select_related("company", "company__commune").filter(user=user).first()
    data: dict[str, Any] = {
        "account": {
            "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
            "language": user.language, "date_joined": _dt(user.date_joined), "last_login": _dt(user.last_login),
            "active": user.is_active,
        },
        "leader": None, "company": None, "memberships": [], "peer_groups": [], "attendance": [],
        "meeting_replies": [], "engagement_signals": [], "introductions": [],
    }
    if leader is not None:
        data["leader"] = {
            "function": leader.function, "phone": leader.phone, "tags": leader.tag_list,
            "expertise": leader.expertise, "listed": leader.listed,
            "directory_consent_at": _dt(leader.directory_consent_at), "in_directory": leader.in_directory,
            "email_visibility": leader.email_visibility, "phone_visibility": leader.phone_visibility,
        }
        company = leader.company
        if company is not None:
            data["company"] = {
                "name": company.name, "siret": company.siret, "naf_code": company.naf_code,
                "commune": company.commune.name, "headcount": company.headcount, "website": company.website,
                "founded_year": company.founded_year, "offers": company.offers, "needs": company.needs,
            }
        data["memberships"] = [
            {"network": m.network.name, "status": m.status, "joined_on": _dt(m.joined_on), "left_on": _dt(m.left_on),
             "fee_status": m.fee_status, "fee_paid_on": _dt(m.fee_paid_on)}
            for m in leader.memberships.select_related("network").order_by("network__name")
        ]
        data["peer_groups"] = [
            {"group": g.group.name, "network": g.group.network.name, "status": g.status, "fee_status": g.fee_status}
            for g in GroupMember.objects.filter(leader=leader).select_related("group__network")
        ]
        data["attendance"] = [
            {"group": a.meeting.group.name, "meeting": _dt(a.meeting.starts_at), "status": a.status}
            for a in Attendance.objects.filter(leader=leader).select_related("meeting__group")
        ]
        data["meeting_replies"] = [
            {"group": r.meeting.group.name, "meeting": _dt(r.meeting.starts_at), "answer": r.answer,
             "answered_at": _dt(r.answered_at)}
            for r in MeetingReply.objects.filter(leader=leader).select_related("meeting__group")
        ]
        data["engagement_signals"] = [
            {"network": r.network.name, "reason": r.reason, "created": _dt(r.created),
             "resolved_at": _dt(r.resolved_at)}
            for r in RiskSignal.objects.filter(leader=leader).select_related("network")
        ]
        data["introductions"] = [
            {"with": (i.target if i.requester_id == leader.pk else i.requester).full_name,
             "asked_by_me": i.requester_id == leader.pk, "status": i.status, "message": i.message,
             "created": _dt(i.created)}
            for i in Introduction.objects.filter(Q(requester=leader) | Q(target=leader)).select_related(
                "requester__user", "target__user")
        ]
    from meute.advisor.models import Advice

    data["advice"] = [
        {"created": _dt(a.created), "reason": a.reason, "profile": a.profile}
        for a in Advice.objects.filter(Q(leader=leader) | Q(email__iexact=user.email) if leader else Q(
            email__iexact=user.email))
    ]
    data["roles"] = [
        {"network": r.network.name, "role": r.role, "since": _dt(r.created)}
        for r in NetworkRole.objects.filter(user=user).select_related("network")
    ]
    data["registrations"] = [
        {"event": r.event.title, "starts_at": _dt(r.event.starts_at), "status": r.status, "offers": r.offers,
         "needs": r.needs, "checked_in_at": _dt(r.checked_in_at), "absent": r.absent}
        for r in Registration.objects.filter(user=user).select_related("event")
    ]
    data["topics"] = [
        {"group": t.meeting.group.name, "title": t.title, "details": t.details}
        for t in Topic.objects.filter(proposed_by=user).select_related("meeting__group")
    ]
    data["invitations"] = [
        {"network": i.network.name, "kind": i.kind, "status": i.status, "created": _dt(i.created),
         "sent_at": _dt(i.sent_at), "send_count": i.send_count, "responded_at": _dt(i.responded_at),
         "terms_accepted_at": _dt(i.terms_accepted_at)}
        for i in Invitation.objects.filter(user=user).select_related("network")
    ]
    data["erasure_requests"] = [
        {"status": e.status, "created": _dt(e.created), "decided_at": _dt(e.decided_at)}
        for e in ErasureRequest.objects.filter(user=user)
    ]
    from meute.documents.models import DocumentVersion

    # The files the person uploaded to a network's library (the files stay the network's).
    data["document_uploads"] = [
        {"network": v.document.network.name, "document": v.document.title, "version": v.number, "file": v.name,
         "note": v.note, "uploaded_at": _dt(v.uploaded_at)}
        for v in DocumentVersion.objects.filter(uploaded_by=user).select_related("document__network")
    ]
    from meute.questions.models import Answer, Question

    # What the person asked and answered (their own texts; anonymous or not, they are the author).
    data["questions"] = [
        {"network": q.network.name, "title": q.title, "text": q.body, "scope": q.scope, "anonymous": q.anonymous,
         "status": q.status, "asked_at": _dt(q.created_at),
         "files": list(q.attachments.filter(uploaded_by=user).values_list("name", flat=True))}
        for q in Question.objects.filter(author=user).select_related("network")
    ]
    data["answers"] = [
        {"question": a.question.title, "text": a.body, "accepted": a.accepted_at is not None,
         "answered_at": _dt(a.created_at)}
        for a in Answer.objects.filter(author=user).select_related("question")
    ]
    from meute.referrals.queries import personal_referrals

    data["referrals"], data["one_to_ones"] = personal_referrals(user)
    data["notifications"] = _notifications_of(user)
    data["messages_sent"] = _messages_sent_by(user)
    data["audit"] = [
        {"when": _dt(a.created), "action": a.action, "object": a.object_repr, "changes": a.changes,
         "details": a.data}
        for a in _audit_about(user, leader).order_by("created", "id")[:AUDIT_LIMIT]
    ]
    # The entries written under the person's name (and erased with it, see _scrub_audit).
    data["audit_as_actor"] = [
        {"when": _dt(a.created), "action": a.action, "object": a.object_repr}
        for a in AuditEntry.objects.filter(actor=user).order_by("created", "id")[:AUDIT_LIMIT]
    ]
    return data


def _notifications_of(user: User) -> dict[str, Any]:
    from meute.notifications.models import Notification, Preference

    return {
        "preferences": dict(Preference.objects.filter(user=user).values_list("kind", "channel")),
        "received": [{"kind": n.kind, "title": n.title, "body": n.body, "created": _dt(n.created),
                      "read_at": _dt(n.read_at)}
                     for n in Notification.objects.filter(recipient=user).order_by("created", "id")[:2000]],
    }


def _messages_sent_by(user: User) -> dict[str, Any]:
    """What the person sent as staff or facilitator: announcements (their text) and event messages (the
    subject is what is kept of those; their text went out by e-mail only)."""
    from meute.events.models import Mailing
    from meute.notifications.models import Announcement

    return {
        "announcements": [{"subject": a.subject, "text": a.body, "status": a.status, "recipients": a.recipients,
                           "created": _dt(a.created)}
                          for a in Announcement.objects.filter(sender=user).order_by("created", "id")],
        "event_messages": [{"event": m.event.title, "subject": m.subject, "recipients": m.recipients,
                            "sent_at": _dt(m.sent_at)}
                           for m in Mailing.objects.filter(sender=user).select_related("event")
                           .order_by("sent_at", "id")],
    }


def _scrub_notifications(user: User, needles: list[str]) -> None:
    """The person's own notifications go; others' notifications about what they did, or naming them
    (« Hélène Vasseur leaves the group »), lose their name."""
    from meute.notifications.models import Announcement, Notification, Preference

    Notification.objects.filter(recipient=user).delete()
    Preference.objects.filter(user=user).delete()
    # Chosen as the audit's entries are (_scrub_audit): by the e-mail or the whole name, not a last name alone.
    naming = Q(actor=user)
    for needle in needles:
        if "@" in needle or " " in needle:
            naming |= Q(title__icontains=needle) | Q(body__icontains=needle)
    told = Notification.objects.filter(naming)
    for title, body in told.values_list("title", "body").distinct():
        scrubbed = (_scrub(title, needles)[:300], _scrub(body, needles))
        if scrubbed != (title, body):
            told.filter(title=title, body=body).update(title=scrubbed[0], body=scrubbed[1])
    for announcement in Announcement.objects.filter(sender=user):
        announcement.subject = _scrub(announcement.subject, needles)[:150]
        announcement.body = _scrub(announcement.body, needles)
        announcement.save(update_fields=["subject", "body"])
    from meute.events.models import Mailing

    for mailing in Mailing.objects.filter(sender=user):
        mailing.subject = _scrub(mailing.subject, needles)[:150]
        mailing.save(update_fields=["subject"])


def personal_data_json(user: User) -> str:
    return json.dumps(personal_data(user), ensure_ascii=False, indent=2, default=str)


# --- Erasure -------------------------------------------------------------------------------


def check_request_erasure(user: User, *, reason: str = "", acting_user: Any) -> ErasureRequest:
    """The person asks for the erasure of their data (only for themselves, once at a time)."""
    if getattr(acting_user, "pk", None) != user.pk:
        raise MemberError(_("Only the person may ask for the erasure of their data."))
    if len(reason) > 2000:
        raise MemberError(_("Keep the reason under 2,000 characters."), field="reason")
    return do_request_erasure(user, reason=reason, acting_user=acting_user)


@transaction.atomic
def do_request_erasure(user: User, *, reason: str = "", acting_user: Any) -> ErasureRequest:
    existing = ErasureRequest.objects.filter(user=user, status=ErasureStatus.PENDING).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(user=user, reason=reason)
    except IntegrityError:  # a concurrent request created it first
        return ErasureRequest.objects.get(user=user, status=ErasureStatus.PENDING)
    log_action("members.erasure.requested", actor=acting_user, obj=request, data={"user": user.pk})
    return request


def _network_ids_of(user_id: int) -> frozenset[int]:
    return frozenset(
        Membership.objects.filter(leader__user_id=user_id).exclude(status=MembershipStatus.LEFT)
        .values_list("network_id", flat=True)
    ) | frozenset(NetworkRole.objects.filter(user_id=user_id).values_list("network_id", flat=True))


def can_confirm_erasure(acting_user: Any, request: ErasureRequest) -> bool:
    """The site administrator, or the staff of one of the person's networks (never the person)."""
    if getattr(acting_user, "pk", None) == request.user_id and not is_site_admin(acting_user):
        return False
    return is_site_admin(acting_user) or bool(
        _network_ids_of(request.user_id) & permissions.staff_network_ids(acting_user)
    )


def list_pending_erasures(user: Any) -> QuerySet[ErasureRequest]:
    """Pending requests of the people of the networks ``user`` manages (all, for the administrator)."""
    pending = ErasureRequest.objects.filter(status=ErasureStatus.PENDING).select_related("user")
    if is_site_admin(user):
        return pending
    staff = permissions.staff_network_ids(user)
    if not staff:
        return ErasureRequest.objects.none()
    people = Membership.objects.filter(network_id__in=staff).exclude(status=MembershipStatus.LEFT).values(
        "leader__user_id")
    return pending.filter(user_id__in=people).exclude(user_id=user.pk)


def check_confirm_erasure(request: ErasureRequest, *, acting_user: Any) -> ErasureRequest:
    if not can_confirm_erasure(acting_user, request):
        raise MemberError(_("Only the staff of this person's networks may confirm the erasure."))
    return do_confirm_erasure(request, acting_user=acting_user)


@transaction.atomic
def do_confirm_erasure(request: ErasureRequest, *, acting_user: Any) -> ErasureRequest:
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ErasureStatus.PENDING:
        raise MemberError(_("This request was already handled."))
    do_anonymise(request.user, acting_user=acting_user)
    request.status, request.decided_at = ErasureStatus.DONE, timezone.now()
    request.decided_by = acting_user if getattr(acting_user, "pk", None) else None
    request.reason = ""
    request.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    log_action("members.erasure.confirmed", actor=acting_user, obj=request, data={"user": request.user_id})
    return request


def _scrub(text: str, needles: list[str]) -> str:
    for needle in needles:
        if needle and needle.lower() in text.lower():
            start = text.lower().find(needle.lower())
            while start >= 0:
                text = text[:start] + SCRUBBED + text[start + len(needle):]
                start = text.lower().find(needle.lower(), start + len(SCRUBBED))
    return text


def _scrub_json(value: Any, needles: list[str]) -> Any:
    if isinstance(value, str):
        return _scrub(value, needles)
    if isinstance(value, list):
        return [_scrub_json(v, needles) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_json(v, needles) for k, v in value.items()}
    return value


def _needles(user: User) -> list[str]:
    full = user.get_full_name()
    reverse = f"{user.last_name} {user.first_name}".strip()
    # Longest first, so "Hélène Vasseur" goes before "Vasseur"; a first name alone is too common to scrub.
    return sorted({n for n in (user.email, full, reverse, user.last_name) if n and len(n) >= 3}, key=len, reverse=True)


def _scrub_free_text(user: User, leader: Leader | None, needles: list[str]) -> None:
    from meute.advisor.models import CafeSubscription, Introduction, TextVectors
    from meute.events.models import FollowUp, Registration
    from meute.peergroups.models import ActionItem, Topic

    Registration.objects.filter(user=user).update(offers="", needs="")
    from meute.documents.services import forget_uploader

    forget_uploader(user, lambda text: _scrub(text, needles))  # the network keeps the documents
    _scrub_notifications(user, needles)
    FollowUp.objects.filter(user=user).delete()  # their private notes about people met
    for follow_up in FollowUp.objects.filter(other=user).exclude(note=""):
        follow_up.note = _scrub(follow_up.note, needles)
        follow_up.save(update_fields=["note"])
    for topic in Topic.objects.filter(proposed_by=user):
        topic.title, topic.details = _scrub(topic.title, needles)[:200], _scrub(topic.details, needles)
        topic.save(update_fields=["title", "details"])
    if leader is None:
        return
    from meute.advisor.models import Advice
    from meute.peergroups.models import Meeting

    Introduction.objects.filter(requester=leader).update(message="")
    Introduction.objects.filter(target=leader).update(reason="")  # quoted their offers
    Advice.objects.filter(Q(leader=leader) | Q(email__iexact=user.email)).delete()
    for meeting in Meeting.objects.filter(group__members__leader=leader).exclude(minutes="").distinct():
        scrubbed = _scrub(meeting.minutes, needles)
        if scrubbed != meeting.minutes:
            meeting.minutes = scrubbed
            meeting.save(update_fields=["minutes"])
    for item in ActionItem.objects.filter(owner=leader):
        item.text = _scrub(item.text, needles)[:300]
        item.save(update_fields=["text"])
    TextVectors.objects.filter(leader=leader).delete()
    CafeSubscription.objects.filter(leader=leader).delete()


def _scrub_audit(user: User, leader: Leader | None, needles: list[str], placeholder: str) -> int:
    """Entries about the person, by them, or naming them lose the name and the e-mail.

    Through :func:`meute.core.audit.redact_entries`, the one path that may rewrite the text of
    stored entries: what happened (action, date, ids, networks) stays.
    """
    about = _audit_about(user, leader)
    mentions = AuditEntry.objects.annotate(
        text=Cast("data", TextField()), changes_text=Cast("changes", TextField())
    ).filter(
        Q(text__icontains=user.email) | Q(changes_text__icontains=user.email) | Q(object_repr__icontains=user.email)
        | Q(actor_repr__icontains=user.email)
        | (Q(object_repr__icontains=user.get_full_name()) | Q(changes_text__icontains=user.get_full_name())
           if user.get_full_name() else Q(pk__in=[]))
    )
    entries = (about | AuditEntry.objects.filter(pk__in=mentions.values("pk"))
               | AuditEntry.objects.filter(actor=user)).distinct().select_related("content_type")

    def rewrite(entry: AuditEntry) -> dict[str, Any]:
        object_repr = _scrub(entry.object_repr, needles) if entry.object_repr else ""
        if entry.content_type and entry.content_type.model in ("user", "leader") and entry.object_id in (
            str(user.pk), str(leader.pk if leader else ""),
        ):
            object_repr = placeholder
        actor_repr = placeholder if entry.actor_id == user.pk else _scrub(entry.actor_repr, needles)
        return {
            "object_repr": object_repr[:200], "actor_repr": actor_repr[:300],
            "data": _scrub_json(entry.data, needles), "changes": _scrub_json(entry.changes, needles),
        }

    return redact_entries(entries, rewrite)


def _detach_company(leader: Leader) -> str:
    company = leader.company
    if company is None:
        return "none"
    leader.company, leader.department, leader.naf_section = None, None, ""
    leader.save(update_fields=["company", "department", "naf_section"])
    if company.leaders.exists():
        return "kept"  # others work there: the company is theirs too
    try:
        company.delete()
    except ProtectedError:
        company.name, company.siret, company.website, company.offers, company.needs = SCRUBBED, None, "", "", ""
        company.save(update_fields=["name", "siret", "website", "offers", "needs"])
    return "erased"


@transaction.atomic
def do_anonymise(user: User, *, acting_user: Any) -> None:
    """Erase the person's identity everywhere; rows counts depend on stay, pointing to them anonymised."""
    user = User.objects.select_for_update().get(pk=user.pk)
    leader = Leader.objects.select_for_update().filter(user=user).first()
    needles = _needles(user)
    placeholder = placeholder_email(user)
    _scrub_free_text(user, leader, needles)
    audited = _scrub_audit(user, leader, needles, placeholder)
    company = "none"
    if leader is not None:
        company = _detach_company(leader)
        leader.function = leader.phone = leader.expertise = leader.tags = ""
        leader.search_text = leader.expertise_search = leader.sort_name = ""
        leader.listed, leader.in_directory, leader.directory_consent_at = False, False, None
        leader.email_visibility = leader.phone_visibility = Visibility.PRIVATE
        leader.anonymised_at = timezone.now()
        leader.save()
        leader.memberships.exclude(status=MembershipStatus.LEFT).update(
            status=MembershipStatus.LEFT, left_on=timezone.localdate())
        touch_users([user.pk])  # an update sends no signal
    NetworkRole.objects.filter(user=user).delete()
    from meute.advisor.models import TerritoryAdviser

    TerritoryAdviser.objects.filter(user=user).delete()
    user.email, user.first_name, user.last_name = placeholder, "", ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.calendar_token = None
    user.save()
    log_action("members.person.anonymised", actor=acting_user, obj=leader or user,
               data={"user": user.pk, "company": company, "audit_entries_scrubbed": audited})
