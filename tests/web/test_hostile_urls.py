"""Every URL pattern of the project, walked with hostile values: no request ends in a 500.

The walk iterates the URL resolver (included patterns too), fills each path converter with
hostile values (huge and negative numbers, far years, 10,000-character strings, unicode
controls), adds every query parameter the views read, and POSTs hostile form values, as an
anonymous visitor, a member, the network's staff and the site administrator. Exceptions are turned into responses
(``raise_request_exception=False``), so a crash is counted as a 500.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import io
import pkgutil
import zlib
from collections import Counter
from unittest import mock
from urllib.parse import urlencode

import pytest
from django import forms
from django.conf import settings
from django.db import transaction
from django.template.base import Template
from django.test import Client
from django.test.utils import _TestState
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

import meute.web
from meute.accounts.services import calendar_token_for
from meute.events.checkin import checkin_code
from meute.events.models import RegistrationStatus, RotationPlan
from meute.events.rotations import run_plan
from meute.members.importjobs import check_start_import
from meute.members.models import Membership, MembershipStatus, Role
from meute.peergroups.formation import FormationParams
from meute.peergroups.models import DeclaredConflict, FormationRun, RunStatus
from tests.factories import (
    IntroductionFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkRoleFactory,
    TerritoryAdviserFactory,
    UserFactory,
    peer_group,
    speed_meeting,
    valid_siret,
)

pytestmark = pytest.mark.django_db

LONG = "x" * 10_000
UNICODE = "\u202eélévation\u200f\ufeff\u2028𝔪𝔢𝔲𝔱𝔢\u0301"
HUGE = "99999999999999999999"

# Values for each kind of path converter (the real value of the other arguments is kept).
PATH_VALUES = {
    "int": [HUGE, "2147483648", "9223372036854775808", "0", "000000000000000000001"],
    "id": [HUGE, "2147483648", "9223372036854775808", "0", "000000000000000000001"],
    "slug": [LONG, "-1", HUGE, "0"],
    "str": [LONG, "-1", UNICODE, HUGE, "99999", "%00", "..", "a b"],
    "path": [LONG, "-1", UNICODE, HUGE, "../../etc/passwd"],
}
# Values of the query parameters and form fields.
VALUES = [HUGE, "-" + HUGE, "-1", "0", "99999", "1e99", "nan", "-inf", LONG, UNICODE, "0001-01-01T00:00",
          "9999-12-31T23:59", "99999-01-01", "2026-02-30"]
# What the views read from request.GET.
QUERY_PARAMETERS = ["page", "q", "year", "month", "status", "format", "commune", "radius", "naf", "department",
                    "network", "expertise", "tag", "kind", "when", "family", "goal", "free_only", "next", "o",
                    "p", "_changelist_filters", "e", "by", "title", "themes", "receiver", "for", "need", "meeting",
                    "other", "start", "end"]
# What the views read from request.POST besides their forms' fields.
POST_KEYS = ["action", "leader", "group", "a", "b", "member", "status", "topic", "urgent", "answer", "active",
             "present", "other", "note", "done", "reason", "save", "username", "password", "language", "next",
             f"pos_{HUGE}", "pos_1", f"leader_{HUGE}", "leader_1", "accept", "helpful", "consent", "experts"]
ACTIONS = ["move", "swap", "lock", "rerun", "propose", "vote", "order", "attendance", "minutes", "meeting", "route",
           "details", "merge", "close"]
FORM_ENCODED = "application/x-www-form-urlencoded"
PARTS = 2  # each persona's walk is cut in two, so that the test workers share it evenly
# The views that dispatch on POST["action"].
ACTION_VIEWS = {"web:formation_run_edit", "web:meeting_action", "web:question_triage"}


def form_modules() -> list:
    """Every ``forms*`` module of the web interface (``web/forms_events.py``, ``web/<noun>/forms.py``…)."""
    return [importlib.import_module(info.name)
            for info in pkgutil.walk_packages(meute.web.__path__, "meute.web.")
            if info.name.rsplit(".", 1)[-1].startswith("forms")]


def form_field_names() -> list[str]:
    """The fields of every form of the web interface."""
    names = set()
    for module in form_modules():
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                names.update(name for name, field in cls.base_fields.items()
                             if not isinstance(field, forms.FileField))
    return sorted(names)


def url_patterns(resolver: URLResolver | None = None, namespace: str = "", converters: dict | None = None):
    """(name, {argument: converter kind}) for every named pattern, included ones too."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        found = dict(converters or {})
        found.update({name: _kind(conv) for name, conv in getattr(entry.pattern, "converters", {}).items()})
        regex_names = entry.pattern.regex.groupindex
        found.update({name: "str" for name in regex_names if name not in found})
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, inner, found)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", found


def _kind(converter: object) -> str:
    name = type(converter).__name__.removesuffix("Converter").lower()
    return name if name in PATH_VALUES else "str"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, built once for the module's tests on a test worker, in a transaction rolled back after them;
    each test runs in a savepoint inside it, so what one walk changes is undone before the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def build_world() -> dict:
    """A demo-like network: a programme with a group and its meetings, a speed meeting with a plan."""
    group = peer_group(members=4)
    network = group.network
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    TerritoryAdviserFactory(user=staff)
    member_leader = group.members.select_related("leader__user").first().leader
    event = speed_meeting(6, table_size=3, rounds=2, network=network)
    from meute.events.services import do_register

    registration = do_register(event, member_leader.user, offers="conseil", needs="clients", wishes=[])
    run_plan(RotationPlan.objects.create(event=event, seed=1, seconds=0.5).pk)
    leaders = [m.leader_id for m in group.members.all()]
    for _ in range(2):
        MembershipFactory(network=network, status=MembershipStatus.CANDIDATE)
    run = FormationRun.objects.create(
        network=network, seed=1, status=RunStatus.DONE, params=FormationParams(size_min=2, size_max=4).__dict__,
        proposal={"groups": [leaders[:2], leaders[2:]], "sponsors": [[], []], "places": [None, None]})
    introduction = IntroductionFactory(requester=LeaderFactory(), target=member_leader)
    assert registration.status == RegistrationStatus.CONFIRMED
    conflict = DeclaredConflict.objects.create(network=network, leader_id=leaders[0], other_id=leaders[1],
                                               kind="family", declared_by=staff)
    upload = io.BytesIO(f"Nom;Prénom;Courriel;Société;SIRET;APE;Ville\nDurand;Léa;lea@example.org;Léa SAS;"
                        f"{valid_siret(9)};6201Z;Poitiers\n".encode())
    job = check_start_import(upload, "membres.csv", network=network, acting_user=staff)
    member_role = NetworkRoleFactory(network=network, role=Role.FACILITATOR)
    valid = {
        "event_id": event.pk, "registration_id": registration.pk, "run_id": run.pk, "group_id": group.pk,
        "meeting_id": group.meetings.first().pk, "leader_id": member_leader.pk, "introduction_id": introduction.pk,
        "slug": network.slug, "fmt": "csv", "code": checkin_code(registration.pk),
        "token": calendar_token_for(member_leader.user), "app_label": "accounts", "model_name": "user",
        "object_id": str(staff.pk), "content_type_id": "1", "url": "x", "uidb64": "x", "path": "x",
        "membership_id": Membership.objects.get(network=network, leader=member_leader).pk,
        "role_id": member_role.pk, "job_id": job.pk, "plan_id": RotationPlan.objects.get(event=event).pk,
        "conflict_id": conflict.pk,
    }
    valid.update(_newer_nouns(network, staff, member_leader.user))
    administrator = UserFactory(is_superuser=True, is_staff=True)
    return {"anonymous": None, "member": member_leader.user, "staff": staff, "administrator": administrator,
            "valid": valid}


def _newer_nouns(network, staff, member) -> dict:
    """A closed pooled purchase with an order line, a notification, an announcement and a linked document."""
    import datetime

    from meute.notifications.models import Announcement, Kind, Notification
    from meute.purchases.services import check_commit, close_campaign
    from tests.purchases.factories import open_campaign

    campaign, item, _staff = open_campaign(networks=[network], staff=staff)
    check_commit(item, member, quantity=10)
    close_campaign(campaign.pk, now=campaign.closes_at + datetime.timedelta(minutes=1))
    announcement = Announcement.objects.create(sender=staff, subject="Info", body="Texte", token="walk",
                                               segment={"networks": [network.pk]})
    notification = Notification.objects.create(recipient=member, kind=Kind.ANNOUNCEMENT, url="/", title="Info")
    questions = _questions(network, staff, member)
    from meute.documents.services import check_add_document, check_link
    from tests.files.samples import pdf_bytes, upload

    document = check_add_document(network, acting_user=staff, title="Guide", scope="network",
                                  uploaded=upload("guide.pdf", pdf_bytes()))
    link = check_link(document, acting_user=staff, event=network.events.first())
    referral, one_to_one = _referral_nouns(network, member)
    return {**questions, "document_id": document.pk, "version_id": document.current_id, "link_id": link.pk,
            "referral_id": referral.pk, "one_to_one_id": one_to_one.pk,
            "campaign_id": campaign.pk, "item_id": item.pk, "point_id": campaign.points.first().pk,
            "line_id": campaign.order_lines.first().pk, "document": "summary", "announcement_id": announcement.pk,
            "notification_id": notification.pk, "key": "members-status"}


def _questions(network, staff, member) -> dict:
    """A resolved question of the network with an answer, a file and its knowledge-base article; an obligation."""
    import datetime

    from meute.questions import knowledge, obligations, services
    from tests.files.samples import pdf_bytes, upload

    question = services.check_ask(network, acting_user=member, title="Recrutement", body="Un CDI ?", scope="network",
                                  tags="recrutement")
    services.check_attach(question, upload("note.pdf", pdf_bytes()), acting_user=member)
    answer = services.check_answer(question, acting_user=staff, body="Oui.")
    services.check_accept(answer, acting_user=member)
    services.check_consent(question, acting_user=member)
    article = knowledge.check_publish(question, acting_user=staff, title="Recruter", body="Un CDI.", tags="recrutement",
                                      valid_on=datetime.date.today())
    obligation = obligations.check_create_obligation(network, acting_user=staff, title="DUERP", tag="duerp",
                                                     min_headcount="10-19", month=1)
    return {"question_id": question.pk, "answer_id": answer.pk, "attachment_id": question.attachments.get().pk,
            "article_id": article.pk, "obligation_id": obligation.pk}


def _referral_nouns(network, member):
    """A referral the member received from a fellow member, and a one-to-one between them."""
    from tests.referrals.factories import give, one_to_one

    other = MembershipFactory(network=network).leader.user
    return give(other, member), one_to_one(member.leader, other.leader)


class Walker:
    """Sends the requests and counts the answers; a 500 is recorded with its URL."""

    def __init__(self, user) -> None:
        self.user = user
        self.client = Client(raise_request_exception=False)
        self.statuses: Counter[int] = Counter()
        self.failures: list[str] = []
        self.session_key = ""
        self._login()

    def _login(self) -> None:
        if self.user is not None:
            self.client.force_login(self.user)
            self.session_key = self._cookie()

    def _cookie(self) -> str:
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        return cookie.value if cookie else ""

    def send(self, method: str, url: str, data: dict | None = None) -> None:
        if method == "post":  # a form's own encoding: the views read the same request.POST, parsed faster
            response = self.client.post(url, urlencode(data or {}), content_type=FORM_ENCODED)
        else:
            response = self.client.get(url, data or {})
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None) or (None, None)
            body = {key: value[:20] for key, value in (data or {}).items() if key in ("action", "leader")}
            self.failures.append(f"{method.upper()} {url[:160]} {body} -> {response.status_code} {error[1]!r:.200}")
        # Logging out flushes the session, which changes its cookie: only then is the session read again
        # (reading it after every request doubled the session queries of the walk).
        if self.user is not None and self._cookie() != self.session_key:
            if "_auth_user_id" in self.client.session:
                self.session_key = self._cookie()
            else:
                self._login()  # the walk went through logout


def hostile_urls(valid: dict) -> list[tuple[str, str, bool]]:
    """(pattern name, url, all arguments valid) for each pattern and hostile argument."""
    urls = []
    for name, arguments in url_patterns():
        base = {arg: valid.get(arg, "x") for arg in arguments}
        variants = [(base, True)] + [({**base, arg: value}, False) for arg, kind in arguments.items()
                                     for value in PATH_VALUES[kind]]
        for kwargs, is_valid in variants:
            try:
                urls.append((name, reverse(name, kwargs=kwargs or None), is_valid))
            except NoReverseMatch:
                continue  # the pattern cannot hold this value: the resolver answers 404 by itself
    return urls


def payloads() -> list[dict]:
    """Hostile POST bodies: every form field and POST key at once, for each value."""
    return [dict.fromkeys(form_field_names() + POST_KEYS, value) for value in VALUES]


def action_payloads() -> list[dict]:
    """Hostile POST bodies for each action of the views that dispatch on one (with an answer for the others)."""
    keys = form_field_names() + POST_KEYS
    return [{**dict.fromkeys(keys, value), "action": action, "answer": "accept", "present": "1", "active": "1"}
            for action in ACTIONS for value in (HUGE, "-1", LONG, "0001-01-01T00:00")]


def in_part(name: str, part: int, parts: int) -> bool:
    """Whether the pattern ``name`` is walked in ``part`` of ``parts`` (each pattern is in exactly one part)."""
    return zlib.crc32(name.encode()) % parts == part


def walk(world: dict, persona: str, part: int = 0, parts: int = 1) -> Walker:
    with mock.patch.object(Template, "_render", _TestState.saved_data.template_render):
        return _walk(world, persona, part, parts)


def _walk(world: dict, persona: str, part: int, parts: int) -> Walker:
    """The walk itself. Templates render as in production meanwhile: the test environment's rendering sends a
    signal with which the test client keeps a copy of every template context of the response, which the walk
    never reads."""
    walker = Walker(world[persona])
    bodies, action_bodies = payloads(), action_payloads()
    queries = [dict.fromkeys(QUERY_PARAMETERS, value) for value in VALUES]
    for name, url, is_valid in hostile_urls(world["valid"]):
        if not in_part(name, part, parts):
            continue
        walker.send("get", url)
        walker.send("post", url, bodies[0])
        if is_valid:
            # Of the admin's pages, only the lists read query parameters (search, order, page, filters).
            for query in queries if not name.startswith("admin:") or name.endswith("_changelist") else []:
                walker.send("get", url + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
            for body in bodies[1:] + (action_bodies if name in ACTION_VIEWS else []):
                walker.send("post", url, body)
    return walker


@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize("persona", ["anonymous", "member", "staff", "administrator"])
def test_no_hostile_request_ends_in_a_500(world, persona, part):
    """Hostile values in every path, query and form of every URL give no 500 and no escaped exception.

    Each persona's walk is cut into parts (by pattern) that the test workers share out."""
    walker = walk(world, persona, part, PARTS)
    assert walker.failures == [], "\n".join(walker.failures[:40])
    assert sum(walker.statuses.values()) > 1000


def test_the_parts_walk_each_pattern_once():
    """Every named pattern falls in exactly one part of the walk."""
    names = {name for name, _arguments in url_patterns()}
    assert sorted(sum(in_part(name, part, PARTS) for part in range(PARTS)) for name in names) == [1] * len(names)
    assert all(any(in_part(name, part, PARTS) for name in names) for part in range(PARTS))


def test_the_walk_covers_every_project_url():
    """The walk reaches every named URL of the project, included patterns too."""
    names = {name for name, _arguments in url_patterns()}
    assert {"login", "web:home", "web:event_checkin", "web:meeting_action", "web:formation_run_edit",
            "web:calendar_feed", "web:introduction_answer", "admin:index", "set_language"} <= names


def test_the_walk_opens_every_pattern_with_valid_arguments(world):
    """Every argument of every pattern has a real value, so each page is walked with its queries and forms."""
    missing = {name: sorted(set(arguments) - set(world["valid"])) for name, arguments in url_patterns()}
    assert {name: args for name, args in missing.items() if args} == {}


def test_the_walk_posts_the_fields_of_every_form_module():
    """The fields posted include those of every forms module, the newest nouns too."""
    assert {"meute.web.conflicts.forms", "meute.web.forms_events", "meute.web.imports.forms"} <= {
        module.__name__ for module in form_modules()}


def test_the_walk_counts_a_crash_as_a_500(world, monkeypatch):
    """A view that raises is counted as a failure: the walk can fail."""
    from meute.web.home import views as home

    monkeypatch.setattr(home, "render", lambda *a, **k: 1 / 0)
    walker = Walker(world["member"])
    walker.send("get", reverse("web:home"))
    assert walker.failures and walker.statuses[500] == 1


def test_the_calendar_of_year_99999_is_not_a_crash(client, world):
    """A far year in the calendar URL shows the current month instead of failing."""
    client.force_login(world["member"])
    response = client.get(reverse("web:event_calendar"), {"year": "99999", "month": "12"})
    assert response.status_code == 200 and str(datetime.date.today().year) in response.content.decode()
