"""The public site's headers: a strict Content-Security-Policy (none on the admin), Permissions-Policy, the 500 page's
inline style allowed by its hash, and production's language cookie and proxy settings."""

from __future__ import annotations

import base64
import hashlib
import re

from django.template.loader import render_to_string

import pytest

from .test_settings import run_python

pytestmark = pytest.mark.django_db

PRODUCTION = {"DJANGO_SETTINGS_MODULE": "network.settings.production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a"}


def directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_public_pages_have_a_strict_policy(client, home):
    policy = directives(client.get("/").headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_the_admin_has_no_policy(client, home):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response.headers


def test_the_500_pages_inline_style_is_allowed_by_its_hash(client, home):
    style = re.search(r"<style>(.*?)</style>", render_to_string("500.html"), re.S)[1]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in directives(client.get("/").headers["Content-Security-Policy"])["style-src"]


def test_permissions_policy_refuses_unused_features(client, home):
    policy = client.get("/").headers["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "payment"]:
        assert f"{feature}=()" in policy


def test_production_language_cookie_is_secure_and_same_site():
    code = "from django.conf import settings as s; print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE)"
    result = run_python(["-c", f"import django; django.setup(); {code}"], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "Lax"]


def test_trusted_proxies_come_from_the_environment_and_a_typo_stops_the_start_up():
    code = "import django; django.setup(); from django.conf import settings; print(settings.TRUSTED_PROXIES)"
    ok = run_python(["-c", code], **PRODUCTION, TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "['127.0.0.1', '10.0.0.0/8']"
    typo = run_python(["-c", code], **PRODUCTION, TRUSTED_PROXIES="127.0.0.1,10.0.0/8x")
    assert typo.returncode != 0
    assert "10.0.0/8x" in typo.stderr
