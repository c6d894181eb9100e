import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from meute.accounts.throttling import client_ip
from meute.core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/login/"


def _try(client, email, password, ip="203.0.113.7", **extra):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip, **extra)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _fail(client, email, times, ip="203.0.113.7"):
    return [_try(client, email, "wrong", ip=ip).status_code for _ in range(times)]


def _let_cooloff_pass():
    """Move every counted failure back beyond the cool-off, as if that time had passed."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME
                                 - datetime.timedelta(minutes=1))


def test_right_password_logs_in(client):
    """The login page logs a person in with the right password."""
    user = UserFactory(email="anne@example.org")
    response = _try(client, user.email, "pw")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_ten_failures_throttle_the_account_even_with_the_right_password(client):
    """After 10 failed logins the right password is refused with a French explanation (HTTP 429)."""
    user = UserFactory(email="anne@example.org")
    assert _fail(client, user.email, 10) == [200] * 9 + [429]
    response = _try(client, user.email, "pw")
    assert response.status_code == 429 and not _logged_in(client)
    page = response.content.decode()
    assert "Trop de tentatives de connexion" in page and "30 minutes" in page


def test_nine_failures_do_not_throttle(client):
    """Below the limit the right password still works."""
    user = UserFactory(email="anne@example.org")
    _fail(client, user.email, 9)
    assert _try(client, user.email, "pw").status_code == 302 and _logged_in(client)


def test_throttle_is_per_account_from_any_address(client):
    """Failures spread over many addresses still throttle the account they aim at."""
    user = UserFactory(email="anne@example.org")
    for i in range(10):
        _fail(client, user.email, 1, ip=f"198.51.100.{i + 1}")
    assert _try(client, user.email, "pw", ip="192.0.2.200").status_code == 429 and not _logged_in(client)


def test_throttle_is_per_address_across_accounts(client):
    """An address that failed 10 times on other accounts is refused; another address is not."""
    victim = UserFactory(email="victim@example.org")
    for i in range(10):
        _fail(client, f"guess{i}@example.org", 1, ip="203.0.113.66")
    assert _try(client, victim.email, "pw", ip="203.0.113.66").status_code == 429
    assert _try(client, victim.email, "pw", ip="192.0.2.10").status_code == 302 and _logged_in(client)


def test_the_account_works_again_after_the_cooloff(client):
    """Once the cool-off has passed, the right password logs in again."""
    user = UserFactory(email="anne@example.org")
    _fail(client, user.email, 10)
    assert _try(client, user.email, "pw").status_code == 429
    _let_cooloff_pass()
    assert _try(client, user.email, "pw").status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_tries_during_the_throttle_do_not_extend_it(client):
    """Tries refused during the throttle are not counted: the delay shown is the delay applied."""
    user = UserFactory(email="anne@example.org")
    _fail(client, user.email, 10)
    for _ in range(20):
        assert _try(client, user.email, "wrong").status_code == 429
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 10
    _let_cooloff_pass()
    assert _try(client, user.email, "pw").status_code == 302


def test_the_throttle_is_audited_once(client):
    """Reaching the limit leaves one ``accounts.login.locked_out`` entry naming the account and address."""
    user = UserFactory(email="anne@example.org")
    _fail(client, user.email, 10)
    _try(client, user.email, "pw")
    _try(client, user.email, "wrong")
    entries = AuditEntry.objects.filter(action="accounts.login.locked_out")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.object_id == str(user.pk) and entry.actor is None
    assert entry.data["username"] == "anne@example.org" and entry.data["ip_address"] == "203.0.113.7"


def test_case_of_the_address_does_not_dodge_the_throttle(client):
    """``Anne@…`` and ``anne@…`` count against the same account."""
    user = UserFactory(email="anne@example.org")
    _fail(client, "ANNE@example.org", 5)
    _fail(client, "anne@example.org", 5)
    assert _try(client, user.email, "pw").status_code == 429


def test_force_login_is_not_throttled(client):
    """Test sessions opened with ``force_login`` still work when the account is throttled."""
    user = UserFactory(email="anne@example.org")
    _fail(client, user.email, 10)
    client.force_login(user)
    assert client.get(reverse("web:home")).status_code == 200


def test_forwarded_address_is_ignored_from_an_untrusted_peer():
    """A client cannot choose its counted address by sending X-Forwarded-For itself."""
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.9.9")
    with override_settings(MEUTE_TRUSTED_PROXIES=["127.0.0.1"]):
        assert client_ip(request) == "203.0.113.7"


def test_forwarded_address_is_used_from_a_trusted_proxy():
    """Behind a trusted proxy the address is the nearest one the proxy saw, not one the client wrote."""
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    with override_settings(MEUTE_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"]):
        assert client_ip(request) == "198.51.100.4"
    chained = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4, 10.0.0.1")
    with override_settings(MEUTE_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"]):
        assert client_ip(chained) == "198.51.100.4"


def test_throttle_behind_a_proxy_counts_the_real_clients(client):
    """Behind a trusted proxy, one client's failures do not throttle another client of the same proxy."""
    user, other = UserFactory(email="anne@example.org"), UserFactory(email="bob@example.org")
    with override_settings(MEUTE_TRUSTED_PROXIES=["127.0.0.1"]):
        for i in range(10):
            _try(client, f"guess{i}@example.org", "wrong", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert _try(client, other.email, "pw", ip="127.0.0.1",
                    HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
        assert _try(client, user.email, "pw", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 302


def test_password_validators_refuse_weak_passwords_in_french():
    """A short, common or all-digit password is refused with French messages."""
    user = UserFactory.build(email="anne@example.org")
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        validate_password("12345678", user)
    messages = " ".join(caught.value.messages)
    assert "trop courant" in messages and "entièrement numérique" in messages
    validate_password("une phrase de passe solide 2026", user)


def test_successful_logins_leave_no_address_behind(client):
    """A successful login stores no address or browser row, and clears the account's earlier failures."""
    from axes.models import AccessLog

    user = UserFactory(email="anne@example.org")
    _fail(client, user.email, 3)
    assert _try(client, user.email, "pw").status_code == 302
    assert AccessLog.objects.count() == 0 and not AccessAttempt.objects.filter(username=user.email).exists()


def test_the_audit_page_shows_the_attempts_that_throttled_an_account(client):
    """After 10 failures and the throttle, the administrator's audit page lists the 10 attempts."""
    user = UserFactory(email="anne@example.org")
    _fail(client, user.email, 10)
    admin = UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
    client.force_login(admin)
    with translation.override("fr"):
        page = client.get(reverse("web:audit_log"), {"action": "accounts.login.failed"})
    entries = list(page.context["page"])
    assert len(entries) == 10 and all(e.action == "accounts.login.failed" for e in entries)
    assert "203.0.113.7" in page.content.decode()
