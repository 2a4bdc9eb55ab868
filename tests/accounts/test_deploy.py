"""Production settings pass Django's deployment checks with no warnings, and refuse the
development secret key."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CICTE = [str(Path(sys.executable).with_name("cicte"))]  # .venv/bin/cicte


def _production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    # A clean production environment: nothing from the test process (browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which the deployment checks rightly refuse).
    dropped = {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        CICTE_ENV="production",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(60)),
        ALLOWED_HOSTS="cicte.example.org",
        CICTE_VAR_DIR=str(tmp_path),
    )
    env.update(overrides)
    return env


def test_check_deploy_is_clean(tmp_path):
    result = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [*CICTE, "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_production_refuses_the_development_key(tmp_path):
    from cicte.settings import DEVELOPMENT_SECRET_KEY

    result = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [*CICTE, "check"],
        env=_production_env(tmp_path, SECRET_KEY=DEVELOPMENT_SECRET_KEY),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_hashes_passwords_with_argon2():
    """Tests hash with MD5 for speed (tests/conftest.py); the settings module keeps argon2."""
    import cicte.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
