from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tests.core.conftest import SECRET, WriteConfig
from tui.core.connection import Connection, resolve_connection
from tui.core.errors import ConfigError

PUBLIC = "https://api.traversal.com"
CONFIG = """\
default_profile = "work"
theme = "base-theme"

[keymap]
quit = "ctrl+q"

[profiles.work]
base_url = "https://work.example"
api_key_env = "WORK_KEY"
poll_interval = 3
theme = "nord"

[profiles.other]
base_url = "https://other.example/"
api_key = "other-key"
"""
ENV_KEY = {"TRAVERSAL_API_KEY": "env-key"}
ENV_URL = {"TRAVERSAL_BASE_URL": "https://byoc.example"}
FLAG_URL = "https://flag.example"


def resolve(
    config: Path,
    *,
    demo: bool = False,
    profile: str | None = None,
    base_url: str | None = None,
    env: dict[str, str] | None = None,
) -> Connection:
    return resolve_connection(
        demo=demo, profile=profile, base_url=base_url, env=env or {}, config_path=config
    )


def summary(connection: Connection) -> tuple[Any, ...]:
    key = connection.api_key.get_secret_value() if connection.api_key else None
    return connection.mode, connection.base_url, key, connection.profile_name


CASES = [
    # id, config?, flags, env, expected (mode, base_url, key, profile name)
    ("nothing: demo", False, {}, {}, ("demo", None, None, "demo")),
    ("env key", False, {}, ENV_KEY, ("live", PUBLIC, "env-key", "env")),
    (
        "env key and url",
        False,
        {},
        ENV_KEY | ENV_URL,
        ("live", "https://byoc.example", "env-key", "env"),
    ),
    (
        "flag url beats env url",
        False,
        {"base_url": FLAG_URL},
        ENV_KEY | ENV_URL,
        ("live", FLAG_URL, "env-key", "env"),
    ),
    ("demo beats env key", False, {"demo": True}, ENV_KEY, ("demo", None, None, "demo")),
    ("env url alone: demo", False, {}, ENV_URL, ("demo", None, None, "demo")),
    (
        "a broken env url without key: demo",
        False,
        {},
        {"TRAVERSAL_BASE_URL": "x"},
        ("demo", None, None, "demo"),
    ),
    ("default profile", True, {}, {}, ("live", "https://work.example", "work-key", "work")),
    (
        "env key beats default profile key",
        True,
        {},
        ENV_KEY,
        ("live", "https://work.example", "env-key", "env"),
    ),
    (
        "env key and url beat default profile",
        True,
        {},
        ENV_KEY | ENV_URL,
        ("live", "https://byoc.example", "env-key", "env"),
    ),
    (
        "env url beats default profile url",
        True,
        {},
        ENV_URL,
        ("live", "https://byoc.example", "work-key", "work"),
    ),
    (
        "flag url beats default profile url",
        True,
        {"base_url": FLAG_URL},
        ENV_URL,
        ("live", FLAG_URL, "work-key", "work"),
    ),
    (
        "explicit profile beats env",
        True,
        {"profile": "other"},
        ENV_KEY | ENV_URL,
        ("live", "https://other.example", "other-key", "other"),
    ),
    (
        "flag url with explicit profile",
        True,
        {"profile": "other", "base_url": FLAG_URL},
        ENV_KEY,
        ("live", FLAG_URL, "other-key", "other"),
    ),
    (
        "demo beats profile",
        True,
        {"demo": True, "profile": "other"},
        ENV_KEY,
        ("demo", None, None, "demo"),
    ),
]


@pytest.mark.parametrize(
    ("with_config", "flags", "env", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_precedence(
    write_config: WriteConfig,
    tmp_path: Path,
    with_config: bool,
    flags: dict[str, Any],
    env: dict[str, str],
    expected: tuple[Any, ...],
) -> None:
    path = write_config(CONFIG) if with_config else tmp_path / "missing.toml"
    connection = resolve(path, env={"WORK_KEY": "work-key"} | env, **flags)
    assert summary(connection) == expected


def test_profile_settings_and_config_defaults_are_carried(write_config: WriteConfig) -> None:
    path = write_config(CONFIG)
    work = resolve(path, env={"WORK_KEY": "k"})
    assert (work.poll_interval, work.theme, dict(work.keymap)) == (3, "nord", {"quit": "ctrl+q"})
    other = resolve(path, profile="other")
    assert (other.poll_interval, other.theme) == (5, "base-theme")
    demo = resolve(path, demo=True)
    assert (demo.poll_interval, demo.theme, dict(demo.keymap)) == (
        5,
        "base-theme",
        {"quit": "ctrl+q"},
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('[profiles.solo]\napi_key = "k"\n', "solo"),
        ('[profiles.a]\napi_key = "x"\n[profiles.default]\napi_key = "k"\n', "default"),
    ],
)
def test_default_profile_without_default_setting(
    write_config: WriteConfig, text: str, name: str
) -> None:
    connection = resolve(write_config(text))
    assert (
        connection.profile_name,
        connection.api_key and connection.api_key.get_secret_value(),
    ) == (name, "k")


def test_key_from_a_command(write_config: WriteConfig) -> None:
    path = write_config(
        f'[profiles.cmd]\napi_key_command = ["{sys.executable}", "-c", "print(\'k\')"]\n'
    )
    assert summary(resolve(path)) == ("live", PUBLIC, "k", "cmd")


def test_a_failing_default_profile_is_not_run_when_the_env_key_is_set(
    write_config: WriteConfig,
) -> None:
    path = write_config('[profiles.p]\napi_key_command = ["/nonexistent/helper"]\n')
    assert summary(resolve(path, env=ENV_KEY)) == ("live", PUBLIC, "env-key", "env")


@pytest.mark.parametrize(
    ("text", "flags", "env", "words", "line", "field"),
    [
        (
            CONFIG,
            {"profile": "nope"},
            ENV_KEY,
            "no profile named 'nope'; known profiles: 'work', 'other'",
            None,
            "profile",
        ),
        (None, {"profile": "nope"}, {}, "(the file does not exist)", None, "profile"),
        (
            CONFIG,
            {},
            {},
            "environment variable WORK_KEY, which is not set",
            9,
            "profiles.work.api_key_env",
        ),
        (CONFIG, {}, {"WORK_KEY": ""}, "which is empty", 9, "profiles.work.api_key_env"),
        (
            '[profiles.p]\napi_key_command = ["/nonexistent/helper"]\n',
            {},
            {},
            "was not found",
            2,
            "profiles.p.api_key_command",
        ),
        (
            '[profiles.a]\napi_key = "x"\n[profiles.b]\napi_key = "y"\n',
            {},
            {},
            "several profiles and no default_profile",
            None,
            None,
        ),
        (None, {"base_url": FLAG_URL}, {}, "--base-url needs a key", None, "base_url"),
        (
            None,
            {"base_url": "ftp://x"},
            ENV_KEY,
            "--base-url: 'ftp://x' must start",
            None,
            "--base-url",
        ),
        (
            None,
            {},
            ENV_KEY | {"TRAVERSAL_BASE_URL": "nohost"},
            "TRAVERSAL_BASE_URL:",
            None,
            "TRAVERSAL_BASE_URL",
        ),
        (
            None,
            {},
            {"TRAVERSAL_API_KEY": f"{SECRET} x"},
            "TRAVERSAL_API_KEY contains spaces",
            None,
            None,
        ),
        ("poll_interval = 0\n", {"demo": True}, {}, "poll_interval", 1, "poll_interval"),
        (
            None,
            {"base_url": f"ftp://u:{SECRET}@h"},
            ENV_KEY,
            "must not contain a user name",
            None,
            "--base-url",
        ),
    ],
)
def test_errors_are_clear_and_never_demo(
    write_config: WriteConfig,
    tmp_path: Path,
    text: str | None,
    flags: dict[str, Any],
    env: dict[str, str],
    words: str,
    line: int | None,
    field: str | None,
) -> None:
    path = write_config(text) if text is not None else tmp_path / "missing.toml"
    with pytest.raises(ConfigError) as caught:
        resolve(path, env=env, **flags)
    assert words in str(caught.value)
    assert (caught.value.line, caught.value.field) == (line, field)
    assert SECRET not in str(caught.value)


def test_connection_repr_never_shows_the_key(tmp_path: Path) -> None:
    connection = resolve(tmp_path / "missing.toml", env={"TRAVERSAL_API_KEY": SECRET})
    assert connection.api_key is not None
    assert connection.api_key.get_secret_value() == SECRET
    for shown in (repr(connection), str(connection), connection.store_key):
        assert SECRET not in shown
    assert connection.store_key == f"live:env@{PUBLIC}"
    assert resolve(tmp_path / "missing.toml").store_key == "demo"


def test_a_config_path_named_in_the_environment_must_exist(tmp_path: Path) -> None:
    missing = tmp_path / "typo.toml"
    with pytest.raises(ConfigError, match="does not exist"):
        resolve_connection(
            demo=False,
            profile=None,
            base_url=None,
            env={"TRAVERSAL_TUI_CONFIG": str(missing)},
            config_path=missing,
        )
