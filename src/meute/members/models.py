"""Companies, leaders, networks, memberships and roles.

State changes go through :mod:`meute.members.services`; reads of protected data through
:mod:`meute.members.queries`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meute.core import bounds


class HeadcountBand(models.TextChoices):
    NONE = "0", _("no employee")
    TINY = "1-2", _("1 to 2 employees")
    VERY_SMALL = "3-5", _("3 to 5 employees")
    SMALL = "6-9", _("6 to 9 employees")
    S10 = "10-19", _("10 to 19 employees")
    S20 = "20-49", _("20 to 49 employees")
    S50 = "50-99", _("50 to 99 employees")
    S100 = "100-249", _("100 to 249 employees")
    S250 = "250-499", _("250 to 499 employees")
    S500 = "500+", _("500 employees or more")


HEADCOUNT_ORDER = [band.value for band in HeadcountBand]


class ProfileTag(models.TextChoices):
    YOUNG_LEADER = "jeune_dirigeant", _("young leader")
    WOMAN_LEADER = "femme_dirigeante", _("woman leader")
    BUYER = "repreneur", _("business buyer (repreneur)")
    FOUNDER = "createur", _("founder (créateur)")


class Visibility(models.TextChoices):
    MEMBERS = "members", _("all members of the platform")
    NETWORK = "network", _("members of my networks")
    PRIVATE = "private", _("nobody (network staff only)")


class Company(models.Model):
    name = models.CharField(_("name"), max_length=200)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, db_index=True)
    siret = models.CharField(_("SIRET"), max_length=14, unique=True, null=True, blank=True)
    naf_code = models.CharField(_("NAF code"), max_length=6, db_index=True)
    naf_section = models.CharField(_("NAF section"), max_length=1, db_index=True, editable=False)
    # Blank when the band was not given (an empty cell, an empty field): unknown, never a guessed band.
    headcount = models.CharField(_("headcount"), max_length=8, choices=HeadcountBand.choices, blank=True, default="")
    commune = models.ForeignKey("territory.Commune", verbose_name=_("commune"), on_delete=models.PROTECT)
    department = models.ForeignKey("territory.Department", on_delete=models.PROTECT, editable=False, related_name="+")
    founded_year = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True,
                                                    validators=bounds.int_range(1800, bounds.YEAR_MAX))
    website = models.URLField(_("website"), blank=True)
    offers = models.TextField(_("what it offers"), blank=True, validators=bounds.text())
    needs = models.TextField(_("what it looks for"), blank=True, validators=bounds.text())
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["department", "naf_section"], name="members_company_dep_naf_idx")]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.name


class Leader(models.Model):
    """A business leader (dirigeant): the person behind a membership."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leader")
    company = models.ForeignKey(
        Company, verbose_name=_("company"), null=True, blank=True, on_delete=models.SET_NULL, related_name="leaders"
    )
    function = models.CharField(_("function"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    tags = models.CharField(
        _("profile tags"), max_length=200, blank=True, help_text="space-separated ProfileTag values"
    )
    expertise = models.TextField(_("expertise I can share"), blank=True, validators=bounds.text())
    listed = models.BooleanField(_("listed in the directory"), default=True)
    email_visibility = models.CharField(
        _("who sees my e-mail"), max_length=10, choices=Visibility.choices, default=Visibility.NETWORK
    )
    phone_visibility = models.CharField(
        _("who sees my phone"), max_length=10, choices=Visibility.choices, default=Visibility.NETWORK
    )
    # When the person agreed to appear in the directory (accepting an invitation, or choosing
    # "listed" themselves). Without it nobody else lists them, whatever ``listed`` says.
    directory_consent_at = models.DateTimeField(_("agreed to the directory on"), null=True, blank=True)
    # Set when the person's data was erased (anonymised) at their request.
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True, editable=False)
    # Kept by the services: listed, consenting and holding an active membership somewhere.
    in_directory = models.BooleanField(default=False, editable=False)
    # Lower-cased, accent-free text of name, company and expertise, kept by the services.
    search_text = models.TextField(editable=False, blank=True)
    expertise_search = models.TextField(editable=False, blank=True)  # folded expertise, kept by the services
    sort_name = models.CharField(max_length=310, editable=False, blank=True, db_index=True)
    # The company's département and NAF section, copied by the services that change a company or a
    # leader's company (``services.refresh_company_facts``), so the directory filters on one table.
    department = models.ForeignKey("territory.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   editable=False, related_name="+", db_index=False)
    naf_section = models.CharField(max_length=1, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_name", "id"]
        indexes = [models.Index(fields=["in_directory", "sort_name", "id"], name="members_leader_directory_idx"),
                   # the directory filtered by département (and section): a range in sort order; partial
                   # on in_directory, which PostgreSQL matches where a leading boolean column is not used
                   models.Index(fields=["department", "naf_section", "sort_name", "id"],
                                condition=models.Q(in_directory=True), name="members_leader_dep_naf_idx"),
                   models.Index(fields=["department", "sort_name", "id"], condition=models.Q(in_directory=True),
                                name="members_leader_dep_idx")]
        verbose_name = _("leader")
        verbose_name_plural = _("leaders")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        if self.anonymised_at is not None:
            return str(_("anonymised member"))
        return self.user.get_full_name() or self.user.email

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()

    def get_tag_labels(self) -> list[str]:
        labels = dict(ProfileTag.choices)
        return [str(labels.get(tag, tag)) for tag in self.tag_list]


class NetworkFamily(models.TextChoices):
    GEOGRAPHIC = "geographic", _("geographic club")
    THEMATIC = "thematic", _("thematic club")
    TRADE = "trade", _("trade or industry network")
    BUSINESS = "business", _("business club")
    PEER = "peer", _("peer-group programme")
    SOCIAL = "social", _("social network (support, rebound)")
    UNION = "union", _("employers' union")
    INCUBATOR = "incubator", _("incubator or coworking space")
    PATRONAGE = "patronage", _("cultural patronage")


class ScopeLevel(models.TextChoices):
    LOCAL = "local", _("local (a few communes)")
    DEPARTMENT = "department", _("département")
    REGION = "region", _("region")
    NATIONAL = "national", _("national")


class FeePeriod(models.TextChoices):
    YEAR = "year", _("per year")
    CYCLE = "cycle", _("per cycle")
    MONTH = "month", _("per month")
    NONE = "none", _("free")


class Network(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    family = models.CharField(_("family"), max_length=20, choices=NetworkFamily.choices)
    managed = models.BooleanField(_("run in meute"), default=True)
    scope = models.CharField(
        _("territory scope"), max_length=20, choices=ScopeLevel.choices, default=ScopeLevel.DEPARTMENT
    )
    departments = models.ManyToManyField("territory.Department", verbose_name=_("départements"), blank=True)
    home_commune = models.ForeignKey(
        "territory.Commune", verbose_name=_("main place"), null=True, blank=True, on_delete=models.SET_NULL
    )
    fee_amount = models.DecimalField(_("fee (€)"), max_digits=8, decimal_places=2, default=0,
                                     validators=bounds.money())
    fee_period = models.CharField(_("fee period"), max_length=10, choices=FeePeriod.choices, default=FeePeriod.YEAR)
    max_size = models.PositiveIntegerField(_("maximum size"), null=True, blank=True,
                                           validators=bounds.int_range(1, bounds.CAPACITY_MAX))
    cadence = models.CharField(_("meeting cadence"), max_length=100, blank=True)
    hours_per_month = models.PositiveSmallIntegerField(_("hours per month expected"), null=True, blank=True,
                                                       validators=bounds.int_range(0, bounds.HOURS_MAX))
    goals = models.TextField(_("goals"), blank=True, validators=bounds.text())
    admission = models.TextField(_("admission criteria"), blank=True, validators=bounds.text())
    allows_business = models.BooleanField(_("deal-making welcome"), default=True)
    runs_peer_groups = models.BooleanField(_("runs a peer-group programme"), default=False)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    # The network's terms, shown on the invitation page; accepting is recorded on the invitation.
    terms = models.TextField(_("terms of membership"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class MembershipStatus(models.TextChoices):
    CANDIDATE = "candidate", _("candidate")
    ACTIVE = "active", _("active")
    ALUMNI = "alumni", _("alumni")
    LEFT = "left", _("left")


class FeeStatus(models.TextChoices):
    DUE = "due", _("due")
    PAID = "paid", _("paid")
    EXEMPT = "exempt", _("exempt")


class Membership(models.Model):
    leader = models.ForeignKey(Leader, on_delete=models.CASCADE, related_name="memberships")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(
        _("status"), max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True, validators=bounds.dates())
    left_on = models.DateField(_("left on"), null=True, blank=True, validators=bounds.dates())
    fee_status = models.CharField(_("fee"), max_length=8, choices=FeeStatus.choices, default=FeeStatus.DUE)
    fee_paid_on = models.DateField(_("fee paid on"), null=True, blank=True, validators=bounds.dates())

    class Meta:
        constraints = [models.UniqueConstraint(fields=["leader", "network"], name="members_membership_unique")]
        # The cockpit counts a network's memberships by status and fee, and by month of joining:
        # both read from an index alone (no table row), whatever the network's size.
        indexes = [models.Index(fields=["network", "status", "fee_status"], name="members_ms_network_status_idx"),
                   models.Index(fields=["network", "joined_on"], name="members_ms_network_joined_idx")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.leader} @ {self.network} ({self.status})"


class Role(models.TextChoices):
    STAFF = "staff", _("network staff")
    FACILITATOR = "facilitator", _("facilitator")
    SPONSOR = "sponsor", _("sponsor")


class NetworkRole(models.Model):
    """A person's role in a network beyond membership. Site administrators are superusers."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_roles")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "network", "role"], name="members_role_unique")]
        verbose_name = _("network role")
        verbose_name_plural = _("network roles")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.network}"


class InvitationKind(models.TextChoices):
    # The network created the person (import, staff): accepting sets their password.
    NEW_ACCOUNT = "account", _("new account")
    # The person already had an account (another network, staff, administrator): accepting
    # adds the membership; until then the inviting network sees nothing of them.
    JOIN = "join", _("invitation to join")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    REVOKED = "revoked", _("withdrawn")


class Invitation(models.Model):
    """A network invites a person: to activate the account it created, or to join it.

    Changed only through :mod:`meute.members.invitations`. The link sent by e-mail carries a
    signed, expiring token of ``key``; a new sending draws a new key, so older links stop working.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(_("kind"), max_length=10, choices=InvitationKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    # The membership that accepting gives (JOIN) or confirms (NEW_ACCOUNT).
    membership_status = models.CharField(
        _("membership status"), max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    fee_status = models.CharField(_("fee"), max_length=8, choices=FeeStatus.choices, default=FeeStatus.DUE)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key = models.CharField(max_length=40, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    responded_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    # When the person accepted the network's terms (on accepting a NEW_ACCOUNT invitation).
    terms_accepted_at = models.DateTimeField(_("terms accepted on"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "user"], condition=models.Q(status="pending"), name="members_invitation_one_pending"
            )
        ]
        indexes = [models.Index(fields=["network", "status"], name="members_invitation_status_idx")]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.user} → {self.network} ({self.status})"


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the network's staff")
    DONE = "done", _("erased")
    CANCELLED = "cancelled", _("cancelled")


class ErasureRequest(models.Model):
    """A person asks that meute erase their data; the staff of their networks confirm it.

    Changed only through :mod:`meute.members.privacy`. Confirming anonymises the person.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="erasure_requests")
    status = models.CharField(
        _("status"), max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    created = models.DateTimeField(_("asked on"), auto_now_add=True)
    decided_at = models.DateTimeField(_("done on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="members_erasure_one_pending"
            )
        ]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")

    def __str__(self) -> str:
        return f"erasure #{self.pk} ({self.status})"
class ImportStatus(models.TextChoices):
    ANALYSING = "analysing", _("being checked")
    READY = "ready", _("ready to confirm")
    INVALID = "invalid", _("to correct")
    APPLYING = "applying", _("being imported")
    DONE = "done", _("imported")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    """A member file uploaded by staff: kept under ``MEUTE_DATA_DIR`` between preview and confirmation.

    Changed only through :mod:`meute.members.importjobs`; seen only by its owner and the
    network's staff (:func:`meute.members.queries.access_import_job`).
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="import_jobs")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(pgettext_lazy("import", "file"), max_length=255)
    stored_name = models.CharField(max_length=100, editable=False)  # under MEUTE_DATA_DIR/imports/
    rows = models.PositiveIntegerField(pgettext_lazy("import", "rows"), default=0)
    header = models.JSONField(default=list)  # the file's column titles
    mapping = models.JSONField(default=list)  # one field name per column ("" = ignored)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.ANALYSING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    message = models.TextField(blank=True)  # why it failed
    report = models.JSONField(default=dict)  # counts, sample rows, errors, notes
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self) -> str:
        return f"{self.filename} → {self.network} ({self.status})"

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.ANALYSING, ImportStatus.APPLYING)
