import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

import meute
from meute.events.models import Registration
from tests.factories import EventFactory, MembershipFactory

SRC = str(Path(meute.__file__).resolve().parents[1])
SITE = "https://reseau.example.org"
HOST = "reseau.example.org"


def production_env(**extra: str) -> dict[str, str]:
    """The documented production settings, and nothing else (docs/deployment.md)."""
    return {"MEUTE_SITE_URL": SITE, "MEUTE_SECRET_KEY": secrets.token_urlsafe(50), "MEUTE_ALLOWED_HOSTS": HOST,
            "MEUTE_DEBUG": "0", **extra}


def _check_deploy(tmp_path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "meute.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": SRC, **env},
        cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_the_documented_settings(tmp_path):
    """``meute check --deploy`` prints no warning with only the four documented production variables."""
    done = _check_deploy(tmp_path, production_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNING" not in done.stdout + done.stderr


def documented_env() -> dict[str, str]:
    """The example /etc/meute/meute.env of docs/deployment.md, with a real secret key."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "deployment.md").read_text()
    block = text.split("## Production settings", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    env = {}
    for line in block.splitlines():
        name, sep, value = line.partition("=")
        if sep and name.isupper():
            env[name] = value.strip().strip('"')
    return {**env, "MEUTE_SECRET_KEY": secrets.token_urlsafe(50)}


def test_check_deploy_is_clean_with_the_documented_env_file(tmp_path):
    """The complete example environment file of docs/deployment.md passes ``check --deploy`` too."""
    env = documented_env()
    assert env["MEUTE_SITE_URL"].startswith("https://") and "DATABASE_URL" in env and "EMAIL_HOST" in env
    done = _check_deploy(tmp_path, {**env, "MEUTE_DATA_DIR": str(tmp_path / "data")})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_warns_without_https(tmp_path):
    """The same check does warn when the site is plain HTTP (the test above can fail)."""
    done = _check_deploy(tmp_path, production_env(MEUTE_SITE_URL=f"http://{HOST}"))
    assert done.returncode != 0 and "security.W008" in done.stdout + done.stderr


HTTPS_SETTINGS = ["SITE_URL", "ALLOWED_HOSTS", "DEBUG", "CSRF_TRUSTED_ORIGINS", "SECURE_PROXY_SSL_HEADER",
                  "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
                  "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "MEUTE_TRUSTED_PROXIES"]


@pytest.fixture
def production_settings(monkeypatch):
    """The HTTPS settings meute.settings derives from the production environment."""
    for name, value in production_env().items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(Path(meute.__file__).with_name("settings.py")))
    return {name: values[name] for name in HTTPS_SETTINGS}


def test_https_settings_follow_from_the_site_url(production_settings):
    """An https:// site URL alone turns on the proxy header, redirect, HSTS, secure cookies and CSRF origin."""
    s = production_settings
    assert s["CSRF_TRUSTED_ORIGINS"] == [SITE] and s["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert s["SECURE_SSL_REDIRECT"] and s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and not s["DEBUG"]


def _proxied(client: Client, method: str, path: str, data=None, origin: str = SITE):
    """A request as the reverse proxy forwards it: plain HTTP from 127.0.0.1, saying the client used HTTPS."""
    headers = {"HTTP_HOST": HOST, "HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "203.0.113.5",
               "REMOTE_ADDR": "127.0.0.1"}
    if method == "post":
        headers["HTTP_ORIGIN"] = origin
        return client.post(path, data or {}, **headers)
    return client.get(path, **headers)


@pytest.mark.django_db
def test_login_and_a_form_through_an_https_proxy(production_settings):
    """Through a simulated HTTPS proxy a member logs in and registers for an event; CSRF passes."""
    leader = MembershipFactory().leader
    event = EventFactory(network=leader.memberships.get().network)
    with override_settings(**production_settings):
        client = Client(enforce_csrf_checks=True)
        page = _proxied(client, "get", "/login/")
        assert page.status_code == 200 and page["Strict-Transport-Security"].startswith("max-age=31536000")
        assert client.cookies["csrftoken"]["secure"]
        token = client.cookies["csrftoken"].value
        logged = _proxied(client, "post", "/login/",
                          {"username": leader.user.email, "password": "pw", "csrfmiddlewaretoken": token})
        assert logged.status_code == 302 and client.cookies["sessionid"]["secure"]
        assert client.cookies["sessionid"]["httponly"]
        token = client.cookies["csrftoken"].value  # rotated at login
        posted = _proxied(client, "post", f"/events/{event.pk}/register/",
                          {"offers": "Conseil RH", "needs": "Un comptable", "csrfmiddlewaretoken": token})
        assert posted.status_code == 302 and posted["Location"] == f"/events/{event.pk}/"
    assert Registration.objects.filter(event=event, user=leader.user).exists()


@pytest.mark.django_db
def test_proxy_requests_from_another_origin_are_refused(production_settings):
    """A form posted from another origin is refused by CSRF, even through the proxy."""
    leader = MembershipFactory().leader
    with override_settings(**production_settings):
        client = Client(enforce_csrf_checks=True)
        _proxied(client, "get", "/login/")
        token = client.cookies["csrftoken"].value
        refused = _proxied(client, "post", "/login/", {"username": leader.user.email, "password": "pw",
                                                      "csrfmiddlewaretoken": token}, origin="https://evil.example")
        assert refused.status_code == 403 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(production_settings):
    """A request the proxy did not mark as HTTPS is redirected to the https:// address."""
    with override_settings(**production_settings):
        response = Client().get("/login/", HTTP_HOST=HOST)
    assert response.status_code == 301 and response["Location"] == f"{SITE}/login/"
