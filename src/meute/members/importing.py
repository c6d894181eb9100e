"""Import of members into a network: the trust rules, the plan, and the bulk write.

The same service serves the import page, the ``import-members`` command and the
"add one member" form. For each valid row (see :mod:`meute.members.spreadsheet`):

* **create** — no account has this e-mail: a user with an unusable password, a leader not
  listed in the directory whose e-mail and phone only the network's staff see, a membership
  in the network and a ``NEW_ACCOUNT`` invitation (not sent: staff send it later);
* **update** — the person is managed by the importer
  (:func:`meute.members.permissions.managed_user_ids`) and is a member of the network: the
  row's non-empty cells update their name, phone, function, company link and membership;
* **invite** — anyone else without a membership in the network: nothing about them changes
  and a ``JOIN`` invitation carries the row's membership status and fee;
* **unchanged** — anyone else already in the network: their profile stays as it is; only the
  membership in this network (status, fee) follows the row.

A company matched by SIRET is updated only when every leader attached to it is managed by
the importer; otherwise it is kept as it is and the row says so ("SIRET … known as « X »,
kept"). All or nothing: if any row is rejected, nothing is written. Nothing about a person
the importer does not manage is shown beyond what the file itself said.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import User
from meute.core.audit import actor_repr, log_action
from meute.core.bulk import bulk_insert, bulk_set
from meute.core.models import AuditEntry, AuditEntryNetwork
from meute.core.text import fold
from meute.members import permissions
from meute.members.access import touch_leaders
from meute.members.exceptions import ImportRejected, MemberError
from meute.members.invitations import _new_key
from meute.members.models import (
    Company,
    Invitation,
    InvitationKind,
    InvitationStatus,
    Leader,
    Membership,
    MembershipStatus,
    Network,
    Visibility,
)
from meute.members.services import copy_company_facts
from meute.members.signals import profiles_changed
from meute.members.spreadsheet import MemberRow, RowParser, detect_mapping, mapping_problems, read_table

BATCH = 500
SAMPLE_ROWS = 20
CREATE, UPDATE, INVITE, UNCHANGED = "create", "update", "invite", "unchanged"
Progress = Callable[[float], None]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass(frozen=True)
class RowNote:
    """A row not applied exactly as written, and why."""

    line: int
    email: str
    action: str
    message: str


@dataclass
class PlannedRow:
    line: int
    row: MemberRow
    action: str
    user_id: int | None = None
    leader_id: int | None = None
    company_id: int | None = None  # an existing company to link; None: the row's SIRET is new
    update_company: bool = False
    membership_id: int | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    invited: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[RowNote] = field(default_factory=list)
    sample: list[dict[str, Any]] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rejected(self) -> int:
        """Rows with at least one problem (a row may have several)."""
        return len({error.line for error in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows, "created": self.created, "updated": self.updated, "invited": self.invited,
            "unchanged": self.unchanged, "rejected": self.rejected, "applied": self.applied, "sample": self.sample,
            "errors": [asdict(e) for e in self.errors], "notes": [asdict(n) for n in self.notes],
        }


def _batches(items: list[Any], size: int = BATCH) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --------------------------------------------------------------------------- validation


def parse_rows(
    rows: list[tuple[int, list[str]]], mapping: list[str], progress: Progress | None = None,
) -> tuple[list[tuple[int, MemberRow]], list[RowError]]:
    """Every data row parsed; an e-mail twice in the file is an error on its second line."""
    problems = mapping_problems(mapping)
    if problems:
        raise ImportRejected(" ".join(problems))
    parser = RowParser(mapping, rows[0][1])
    parsed: list[tuple[int, MemberRow]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    total = len(rows) - 1
    for count, (line, cells) in enumerate(rows[1:], start=1):
        row, row_errors = parser.parse(cells)
        errors += [RowError(line, column, message) for column, message in row_errors]
        if progress is not None and count % 5000 == 0:
            progress(count / total)
        if row is None:
            continue
        if row.email in seen:
            errors.append(RowError(line, parser.column("email"),
                                   _("Duplicate e-mail: already on line %(n)s.") % {"n": seen[row.email]}))
            continue
        seen[row.email] = line
        parsed.append((line, row))
    return parsed, errors


# --------------------------------------------------------------------------- plan


def _format_siret(siret: str) -> str:
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"


def plan_rows(
    parsed: list[tuple[int, MemberRow]], *, network: Network, acting_user: Any,
) -> list[PlannedRow]:
    """Decide each row's action under the trust rules, reading the database in batches."""
    emails = [row.email for _line, row in parsed]
    users: dict[str, int] = {}
    for batch in _batches(emails):
        found = User.objects.filter(email__in=batch).order_by().values_list("pk", "email")
        users.update({email: pk for pk, email in found})
    user_ids = list(users.values())
    in_network: dict[int, tuple[int, int, str]] = {}  # user → (membership id, leader id, status)
    leaders: dict[int, int] = {}
    pending: set[int] = set()
    # Filtered by person in SQL and by network in Python: an index on the network would make
    # each batch scan every membership of the network (quadratic on large networks).
    for batch in _batches(user_ids):
        batch_leaders = dict(Leader.objects.filter(user_id__in=batch).order_by().values_list("user_id", "pk"))
        leaders.update(batch_leaders)
        by_leader = {leader_id: user_id for user_id, leader_id in batch_leaders.items()}
        for pk, leader_id, network_id, status in Membership.objects.filter(
            leader_id__in=list(by_leader)
        ).order_by().values_list("pk", "leader_id", "network_id", "status"):
            if network_id == network.pk:
                in_network[by_leader[leader_id]] = (pk, leader_id, status)
        pending |= {user_id for user_id, network_id in Invitation.objects.filter(
            user_id__in=batch, status=InvitationStatus.PENDING
        ).order_by().values_list("user_id", "network_id") if network_id == network.pk}

    sirets = list(dict.fromkeys(row.siret for _line, row in parsed))
    companies: dict[str, dict[str, Any]] = {}
    for batch in _batches(sirets):
        for company in Company.objects.filter(siret__in=batch).order_by().values("pk", "siret", "name", "commune_id"):
            companies[company["siret"]] = company
    company_users: dict[int, set[int]] = {}
    for batch in _batches([c["pk"] for c in companies.values()]):
        attached = Leader.objects.filter(company_id__in=batch).order_by().values_list("company_id", "user_id")
        for company_id, user_id in attached:
            company_users.setdefault(company_id, set()).add(user_id)
    everyone = set(user_ids) | {u for members in company_users.values() for u in members}
    managed = permissions.managed_user_ids(acting_user, everyone)

    plans = []
    for line, row in parsed:
        user_id = users.get(row.email)
        plan = PlannedRow(line, row, CREATE, user_id=user_id, leader_id=leaders.get(user_id))
        membership = in_network.get(user_id) if user_id else None
        active_here = membership is not None and membership[2] != MembershipStatus.LEFT
        if user_id is None:
            plan.action = CREATE
        elif user_id in managed and active_here:
            plan.action, plan.membership_id = UPDATE, membership[0]
        elif active_here:
            plan.action, plan.membership_id = UNCHANGED, membership[0]
            plan.notes.append(_(
                "This person's profile is not managed by your network alone: it is kept as it is; "
                "only their membership in your network follows the file."))
        elif user_id in pending:
            plan.action = UNCHANGED
            plan.notes.append(_("An invitation to join your network is already waiting for this person's answer."))
        else:
            plan.action = INVITE
            plan.notes.append(_(
                "An account already exists with this e-mail and is not managed by your network: "
                "nothing about it changes; the person is invited to join your network."))
        if plan.action in (CREATE, UPDATE):
            _plan_company(plan, companies.get(row.siret), company_users, managed)
        plans.append(plan)
    _one_company_per_siret(plans)
    return plans


COMPANY_COLUMNS = ("company_name", "naf_code", "commune", "department", "commune_name", "headcount", "website",
                   "founded_year", "offers", "needs")


def _one_company_per_siret(plans: list[PlannedRow]) -> None:
    """A SIRET on several rows is one company, written from its first row (``_write_companies``): a
    later row describing it otherwise follows that row, with a note saying so."""
    first: dict[str, PlannedRow] = {}
    for plan in plans:
        if plan.action not in (CREATE, UPDATE):
            continue
        seen = first.setdefault(plan.row.siret, plan)
        written = not seen.company_id or seen.update_company  # else the stored company is kept for both
        if seen is plan or not written:
            continue
        if (plan.row.company_name, plan.row.naf_code, plan.row.commune) != (
                seen.row.company_name, seen.row.naf_code, seen.row.commune):
            plan.notes.append(
                _("SIRET %(siret)s is also on line %(line)s, as « %(name)s »: the company is written as on that line.")
                % {"siret": _format_siret(plan.row.siret), "line": seen.line, "name": seen.row.company_name})
        plan.row = replace(plan.row, **{name: getattr(seen.row, name) for name in COMPANY_COLUMNS})


def _plan_company(
    plan: PlannedRow, company: dict[str, Any] | None, company_users: dict[int, set[int]], managed: set[int],
) -> None:
    if company is None:
        return
    plan.company_id = company["pk"]
    plan.update_company = company_users.get(company["pk"], set()) <= managed
    if not plan.update_company and (company["name"] != plan.row.company_name
                                    or company["commune_id"] != plan.row.commune):
        plan.notes.append(
            _("SIRET %(siret)s known as « %(name)s », kept.")
            % {"siret": _format_siret(plan.row.siret), "name": company["name"]})


def sample_rows(plans: list[PlannedRow], limit: int = SAMPLE_ROWS) -> list[dict[str, Any]]:
    """The first rows as they will be stored (only what the file said, normalised)."""
    sample = []
    for plan in plans[:limit]:
        row = plan.row
        sample.append({
            "line": plan.line, "action": plan.action, "email": row.email,
            "name": f"{row.first_name} {row.last_name}", "company": row.company_name,
            "siret": _format_siret(row.siret), "naf": row.naf_code,
            "commune": f"{row.commune_name} ({row.department})", "phone": row.phone or "",
            "function": row.function or "", "status": row.membership_status, "fee": row.membership_fee,
            "notes": plan.notes,
        })
    return sample


def _report(plans: list[PlannedRow], errors: list[RowError], total: int) -> ImportReport:
    report = ImportReport(rows=total, errors=errors, sample=sample_rows(plans))
    counts = {CREATE: 0, UPDATE: 0, INVITE: 0, UNCHANGED: 0}
    for plan in plans:
        counts[plan.action] += 1
        report.notes += [RowNote(plan.line, plan.row.email, plan.action, note) for note in plan.notes]
    report.created, report.updated = counts[CREATE], counts[UPDATE]
    report.invited, report.unchanged = counts[INVITE], counts[UNCHANGED]
    return report


# --------------------------------------------------------------------------- write


def _search_fields(first: str, last: str, function: str, expertise: str, company: str, commune: str,
                   email: str) -> tuple[str, str, str]:
    search = fold(" ".join(p for p in (first, last, function, expertise, company, commune) if p))
    return search, fold(expertise), fold(f"{last} {first}") or fold(email)


def _company_values(row: MemberRow) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": row.company_name, "siren": row.siret[:9], "naf_code": row.naf_code, "naf_section": row.naf_section,
        "commune_id": row.commune, "department_id": row.department,
    }
    for name in ("headcount", "website", "founded_year", "offers", "needs"):
        value = getattr(row, name)
        if value is not None:
            values[name] = value
    return values


def _write_companies(plans: list[PlannedRow]) -> dict[str, int]:
    """Create the new companies and update those the importer manages; SIRET → id."""
    first: dict[str, PlannedRow] = {}
    for plan in plans:
        if plan.action in (CREATE, UPDATE):
            first.setdefault(plan.row.siret, plan)
    ids: dict[str, int] = {p.row.siret: p.company_id for p in first.values() if p.company_id}
    new = [Company(siret=siret, **_company_values(plan.row))  # an empty headcount stays blank: not given
           for siret, plan in first.items() if not plan.company_id]
    bulk_insert(Company, new, batch_size=BATCH)
    ids.update({company.siret: company.pk for company in new})
    changed = [p for p in first.values() if p.company_id and p.update_company]
    now = timezone.now()
    by_fields: dict[tuple[str, ...], list[Company]] = {}
    for plan in changed:
        values = _company_values(plan.row)
        by_fields.setdefault(tuple(sorted(values)), []).append(Company(pk=plan.company_id, updated=now, **values))
    for names, objects in by_fields.items():
        bulk_set(Company, objects, [*names, "updated"], batch_size=BATCH)
    return ids


def _company_names(plans: list[PlannedRow]) -> dict[int, tuple[str, str]]:
    """Company id → (name, commune name) as stored, for the directory's search text."""
    from meute.territory import reference

    kept = list({p.company_id for p in plans if p.company_id and not p.update_company})
    names: dict[int, tuple[str, str]] = {}
    communes = reference.communes()
    for batch in _batches(kept):
        found = Company.objects.filter(pk__in=batch).order_by().values_list("pk", "name", "commune_id")
        for pk, name, commune in found:
            names[pk] = (name, communes[commune].name if commune in communes else "")
    return names


def _create_people(plans: list[PlannedRow], company_ids: dict[str, int], network: Network,
                   acting_user: Any) -> list[Invitation]:
    creates = [p for p in plans if p.action == CREATE]
    if not creates:
        return []
    users = [User(email=p.row.email, first_name=p.row.first_name, last_name=p.row.last_name,
                  password=UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20)) for p in creates]
    bulk_insert(User, users, batch_size=BATCH)
    leaders = []
    for plan, user in zip(creates, users, strict=True):
        row = plan.row
        plan.user_id = user.pk
        search, expertise, sort = _search_fields(row.first_name, row.last_name, row.function or "",
                                                 row.expertise or "", row.company_name, row.commune_name, row.email)
        leaders.append(Leader(
            user_id=user.pk, company_id=company_ids[row.siret], function=row.function or "", phone=row.phone or "",
            tags=" ".join(sorted(set(row.tags or []))), expertise=row.expertise or "", listed=False,
            email_visibility=Visibility.PRIVATE, phone_visibility=Visibility.PRIVATE, in_directory=False,
            search_text=search, expertise_search=expertise, sort_name=sort[:310],
        ))
    bulk_insert(Leader, leaders, batch_size=BATCH)
    today = timezone.localdate()
    bulk_insert(Membership, [
        Membership(leader_id=leader.pk, network=network, status=plan.row.membership_status,
                   fee_status=plan.row.membership_fee, joined_on=today)
        for plan, leader in zip(creates, leaders, strict=True)
    ], batch_size=BATCH)
    return [_invitation(plan, network, acting_user, InvitationKind.NEW_ACCOUNT) for plan in creates]


def _invitation(plan: PlannedRow, network: Network, acting_user: Any, kind: str) -> Invitation:
    return Invitation(
        network=network, user_id=plan.user_id, kind=kind, membership_status=plan.row.membership_status,
        fee_status=plan.row.membership_fee, invited_by=acting_user if getattr(acting_user, "pk", None) else None,
        key=_new_key(),
    )


# The leader columns an import row may change; a row whose values are all as stored writes nothing.
LEADER_WRITTEN = ("company_id", "phone", "function", "expertise", "tags", "search_text", "expertise_search",
                  "sort_name")


def _update_people(plans: list[PlannedRow], company_ids: dict[str, int]) -> list[int]:
    updates = [p for p in plans if p.action == UPDATE]
    if not updates:
        return []
    kept = _company_names(updates)
    leaders = {}
    for batch in _batches([p.leader_id for p in updates]):
        leaders.update({leader.pk: leader for leader in Leader.objects.filter(pk__in=batch).select_related("user")})
    users, changed_leaders, updated_ids = [], [], []
    for plan in updates:
        row, leader = plan.row, leaders[plan.leader_id]
        user = leader.user
        updated_ids.append(leader.pk)
        if (user.first_name, user.last_name) != (row.first_name, row.last_name):
            user.first_name, user.last_name = row.first_name, row.last_name
            users.append(user)
        before = tuple(getattr(leader, name) for name in LEADER_WRITTEN)
        leader.company_id = company_ids[row.siret]
        for name in ("phone", "function", "expertise"):
            if getattr(row, name) is not None:
                setattr(leader, name, getattr(row, name))
        if row.tags is not None:
            leader.tags = " ".join(sorted(set(row.tags)))
        company, commune = kept.get(leader.company_id, (row.company_name, row.commune_name))
        leader.search_text, leader.expertise_search, sort = _search_fields(
            user.first_name, user.last_name, leader.function, leader.expertise, company, commune, user.email)
        leader.sort_name = sort[:310]
        if tuple(getattr(leader, name) for name in LEADER_WRITTEN) != before:  # rewrite only what changed
            leader.updated = timezone.now()
            changed_leaders.append(leader)
    bulk_set(User, users, ["first_name", "last_name"], batch_size=BATCH)
    bulk_set(Leader, changed_leaders, [*LEADER_WRITTEN, "updated"], batch_size=BATCH)
    return updated_ids


def _update_memberships(plans: list[PlannedRow]) -> None:
    """Status and fee of the memberships in the importing network, where the row gives them."""
    rows = [p for p in plans if p.membership_id and (p.row.status is not None or p.row.fee_status is not None)]
    today = timezone.localdate()
    objects = {}
    for batch in _batches([p.membership_id for p in rows]):
        objects.update({m.pk: m for m in Membership.objects.filter(pk__in=batch)})
    changed = []
    for plan in rows:
        membership = objects[plan.membership_id]
        before = (membership.status, membership.fee_status)
        if plan.row.status is not None:
            membership.status = plan.row.status
            if plan.row.status in (MembershipStatus.LEFT, MembershipStatus.ALUMNI) and membership.left_on is None:
                membership.left_on = today
        if plan.row.fee_status is not None:
            membership.fee_status = plan.row.fee_status
        if (membership.status, membership.fee_status) != before:
            changed.append(membership)
    bulk_set(Membership, changed, ["status", "fee_status", "left_on"], batch_size=BATCH)
    touch_leaders(m.leader_id for m in changed)  # bulk writes send no signal


def _refresh_directory_flags(leader_ids: list[int]) -> None:
    for batch in _batches(leader_ids):
        active = set(Membership.objects.filter(leader_id__in=batch, status=MembershipStatus.ACTIVE)
                     .values_list("leader_id", flat=True))
        listed = set(Leader.objects.filter(  # the rule of services.refresh_directory_flag
            pk__in=batch, listed=True, directory_consent_at__isnull=False, anonymised_at__isnull=True,
        ).order_by().values_list("pk", flat=True))
        flagged = listed & active
        # Only the rows whose flag changes are written.
        Leader.objects.filter(pk__in=batch, in_directory=True).exclude(pk__in=flagged).update(in_directory=False)
        Leader.objects.filter(pk__in=flagged, in_directory=False).update(in_directory=True)


def _save_invitations(invitations: list[Invitation], acting_user: Any, network: Network) -> None:
    """Bulk twin of :func:`meute.members.invitations.do_invite`: same rows, same audit entries."""
    bulk_insert(Invitation, invitations, batch_size=BATCH)
    content_type = ContentType.objects.get_for_model(Invitation)
    actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
    entries = [
        AuditEntry(action="members.invitation.created", actor=actor, actor_repr=actor_repr(actor) if actor else "",
                   content_type=content_type, object_id=str(i.pk), object_repr=f"{i.user_id} → {network.slug}"[:200],
                   data={"network": network.slug, "kind": i.kind, "user": i.user_id})
        for i in invitations
    ]
    bulk_insert(AuditEntry, entries, batch_size=BATCH)
    bulk_insert(AuditEntryNetwork, [AuditEntryNetwork(entry=e, network=network) for e in entries], batch_size=BATCH)


def _recheck(plans: list[PlannedRow], acting_user: Any) -> None:
    """Inside the transaction: the people to update are still managed by the importer."""
    updates = [p.user_id for p in plans if p.action == UPDATE]
    if updates and len(permissions.managed_user_ids(acting_user, updates)) != len(set(updates)):
        raise ImportRejected(_("Members changed while the file was being imported: check it again."))


def write_plan(plans: list[PlannedRow], *, network: Network, acting_user: Any) -> None:
    """Write every planned row in one transaction (the caller holds it)."""
    _recheck(plans, acting_user)
    company_ids = _write_companies(plans)
    invitations = _create_people(plans, company_ids, network, acting_user)
    updated = _update_people(plans, company_ids)
    for batch in _batches(sorted(set(company_ids.values()))):  # the directory's copy of département and section
        copy_company_facts(Leader.objects.filter(company_id__in=batch))
    _update_memberships(plans)
    _refresh_directory_flags(updated + [p.leader_id for p in plans if p.action == UNCHANGED and p.leader_id])
    invitations += [_invitation(p, network, acting_user, InvitationKind.JOIN) for p in plans if p.action == INVITE]
    _save_invitations(invitations, acting_user, network)
    written = set(updated) | {p.leader_id for p in plans if p.leader_id}
    for batch in _batches(sorted(set(company_ids.values()))):  # leaders of the written companies, new ones too
        written |= set(Leader.objects.filter(company_id__in=batch).values_list("pk", flat=True))
    profiles_changed.send(sender=Leader, leader_ids=sorted(written))  # bulk writes send no model signal


# --------------------------------------------------------------------------- entry points


def check_importer(network: Network, acting_user: Any) -> None:
    if not permissions.can_manage_network(acting_user, network):
        raise MemberError(_("Only the staff of %(n)s may import members into it.") % {"n": network.name})


def import_table(
    rows: list[tuple[int, list[str]]], *, network: Network, acting_user: Any, mapping: list[str] | None = None,
    source: str = "", dry_run: bool = False, progress: Progress | None = None,
) -> ImportReport:
    """Validate and plan every row; then, unless it is a dry run or a row is rejected, write them all."""
    check_importer(network, acting_user)
    mapping = list(mapping) if mapping is not None else detect_mapping(rows[0][1])
    parsed, errors = parse_rows(rows, mapping, progress=(lambda f: progress(f * 0.5)) if progress else None)
    plans = plan_rows(parsed, network=network, acting_user=acting_user)
    report = _report(plans, errors, len(rows) - 1)
    if progress:
        progress(0.6)
    if errors or dry_run:
        return report
    try:
        with transaction.atomic():
            write_plan(plans, network=network, acting_user=acting_user)
            log_action(
                "members.import.completed", actor=acting_user, obj=network,
                data={"file": source, "rows": report.rows, "created": report.created, "updated": report.updated,
                      "invited": report.invited, "unchanged": report.unchanged},
            )
    except IntegrityError:
        raise ImportRejected(_("Members changed while the file was being imported: check it again.")) from None
    report.applied = True
    return report


def import_members(
    upload: Any, filename: str, *, network: Network, acting_user: Any, dry_run: bool = False,
) -> ImportReport:
    """Read a file and import it (all or nothing); see :func:`import_table`."""
    from meute.members.spreadsheet import read_bytes

    rows = read_table(read_bytes(upload), filename)
    return import_table(rows, network=network, acting_user=acting_user, source=filename, dry_run=dry_run)


def check_add_member(
    values: dict[str, str], *, network: Network, acting_user: Any,
) -> tuple[ImportReport, PlannedRow | None]:
    """Staff add one member by hand: the same validation and trust rules as one import row."""
    names = list(values)
    rows = [(1, names), (2, [str(values[n] or "") for n in names])]
    check_importer(network, acting_user)
    problems = mapping_problems(names)
    if problems:
        raise ImportRejected(" ".join(problems))
    parsed, errors = parse_rows(rows, names)
    plans = plan_rows(parsed, network=network, acting_user=acting_user)
    report = _report(plans, errors, 1)
    if errors:
        return report, None
    with transaction.atomic():
        write_plan(plans, network=network, acting_user=acting_user)
        plan = plans[0]
        log_action("members.member.added", actor=acting_user, obj=network,
                   data={"action": plan.action, "email": plan.row.email})
    report.applied = True
    return report, plans[0]
