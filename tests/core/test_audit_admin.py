"""Role and superuser changes made in the Django admin are audited with old and new values."""

import pytest
from django.urls import reverse

from meute.accounts.models import User
from meute.core.audit import entries_for
from meute.core.models import AuditEntry
from meute.members.models import NetworkRole, Role
from tests.factories import NetworkFactory, NetworkRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def test_role_granted_in_the_admin_is_audited(admin_client_, admin_user):
    """Adding a role in the admin leaves an entry with the new values, attributed to the network."""
    person, network = UserFactory(email="paul@example.org"), NetworkFactory()
    response = admin_client_.post(reverse("admin:members_networkrole_add"),
                                  {"user": person.pk, "network": network.pk, "role": Role.STAFF})
    assert response.status_code == 302
    role = NetworkRole.objects.get(user=person, network=network)
    entry = entries_for(role).get(action="members.role.granted")
    assert (entry.actor, entry.changes["role"], entry.changes["user"], list(entry.networks.all())) == (
        admin_user, [None, "staff"], [None, "paul@example.org"], [network])


def test_role_changed_in_the_admin_keeps_old_and_new(admin_client_):
    """Changing a role in the admin records the old and the new role."""
    role = NetworkRoleFactory(role=Role.SPONSOR)
    response = admin_client_.post(reverse("admin:members_networkrole_change", args=[role.pk]),
                                  {"user": role.user_id, "network": role.network_id, "role": Role.STAFF})
    assert response.status_code == 302
    entry = entries_for(role).get(action="members.role.changed")
    assert entry.changes == {"role": ["sponsor", "staff"]}


def test_role_deleted_in_the_admin_is_audited(admin_client_):
    """Removing a role in the admin (one, or several at once) leaves an entry per role with its old values."""
    role, other = NetworkRoleFactory(role=Role.FACILITATOR), NetworkRoleFactory()
    admin_client_.post(reverse("admin:members_networkrole_delete", args=[role.pk]), {"post": "yes"})
    admin_client_.post(reverse("admin:members_networkrole_changelist"),
                       {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"})
    assert not NetworkRole.objects.filter(pk__in=[role.pk, other.pk]).exists()
    revoked = AuditEntry.objects.filter(action="members.role.revoked")
    assert {e.object_id for e in revoked} == {str(role.pk), str(other.pk)}
    assert revoked.get(object_id=str(role.pk)).changes["role"] == ["facilitator", None]
    assert set(revoked.get(object_id=str(role.pk)).networks.all()) == {role.network}


def _user_form(user, **overrides):
    data = {"email": user.email, "first_name": user.first_name, "last_name": user.last_name, "language": "fr",
            "is_active": "on", "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S")}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_superuser_flag_given_in_the_admin_is_audited(admin_client_, admin_user):
    """Making someone site administrator in the admin is logged with the flag's old and new value."""
    person = UserFactory()
    response = admin_client_.post(reverse("admin:accounts_user_change", args=[person.pk]),
                                  _user_form(person, is_superuser="on", is_staff="on"))
    assert response.status_code == 302, response.content[:2000]
    person.refresh_from_db()
    entry = entries_for(person).get(action="accounts.superuser.granted")
    assert (person.is_superuser, entry.actor, entry.changes["is_superuser"], entry.changes["is_staff"]) == (
        True, admin_user, [False, True], [False, True])


def test_superuser_flag_removed_in_the_admin_is_audited(admin_client_):
    """Taking the site administrator's flag away is logged too."""
    person = UserFactory(is_superuser=True, is_staff=True)
    admin_client_.post(reverse("admin:accounts_user_change", args=[person.pk]), _user_form(person, is_staff="on"))
    assert not User.objects.get(pk=person.pk).is_superuser
    assert entries_for(person).get(action="accounts.superuser.revoked").changes == {"is_superuser": [True, False]}


def test_audit_entries_are_read_only_in_the_admin(admin_client_, admin_user):
    """The admin shows an entry but offers no way to change or delete it."""
    entry = AuditEntry.objects.create(action="x.y")
    assert admin_client_.get(reverse("admin:core_auditentry_change", args=[entry.pk])).status_code == 200
    assert admin_client_.post(reverse("admin:core_auditentry_change", args=[entry.pk]),
                              {"action": "z"}).status_code == 403
    assert admin_client_.post(reverse("admin:core_auditentry_delete", args=[entry.pk]),
                              {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "x.y"
