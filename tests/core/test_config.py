from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from tests.core.conftest import SECRET, WriteConfig
from tui.core.config import Config, Profile, load_config, normalise_base_url, save_config
from tui.core.errors import ConfigError

FULL = f"""\
default_profile = "work"
poll_interval = 7
future_setting = "kept"

[keymap]
new_investigation = "ctrl+n"

[profiles.work]
base_url = "https://traversal.acme.internal/api/"
api_key_command = ["pass", "show", "traversal"]
poll_interval = 2.5
theme = "nord"
colour = "teal"

[profiles.play]
api_key = "{SECRET}"

[profiles.ci]
api_key_env = "CI_TRAVERSAL_KEY"

[plugins.pager]
enabled = true
when = 2026-07-01T10:00:00Z
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_missing_file_is_an_empty_config(tmp_path: Path) -> None:
    loaded = load_config(tmp_path / "nope.toml")
    assert not loaded.exists
    assert loaded.config == Config()
    assert loaded.config.poll_interval == 5
    assert loaded.config.default_profile_name() is None


def test_load_reads_every_managed_setting(write_config: WriteConfig) -> None:
    config = load_config(write_config(FULL)).config
    work = config.profiles["work"]
    assert config.default_profile_name() == "work"
    assert config.poll_interval == 7
    assert config.keymap == {"new_investigation": "ctrl+n"}
    assert work.base_url == "https://traversal.acme.internal/api"
    assert work.api_key_command == ["pass", "show", "traversal"]
    assert work.key_source == "api_key_command"
    assert (work.poll_interval, work.theme) == (2.5, "nord")
    assert config.profiles["play"].key_source == "api_key"
    assert config.profiles["ci"].api_key_env == "CI_TRAVERSAL_KEY"
    assert config.unknown_keys() == ["future_setting", "plugins"]
    assert work.unknown_keys() == ["colour"]


def test_save_round_trips_unknown_keys_and_tables(write_config: WriteConfig) -> None:
    path = write_config(FULL)
    before = tomllib.loads(FULL)
    loaded = load_config(path)
    changed = loaded.config.with_profile(
        "work", loaded.config.profiles["work"].model_copy(update={"theme": "gruvbox"})
    )
    save_config(changed, path)
    after = tomllib.loads(path.read_text())
    before["profiles"]["work"]["theme"] = "gruvbox"
    before["profiles"]["work"]["base_url"] = "https://traversal.acme.internal/api"
    assert after == before
    assert load_config(path).config == changed


def test_save_of_an_unchanged_config_writes_the_same_values(write_config: WriteConfig) -> None:
    path = write_config(FULL)
    save_config(load_config(path).config, path)
    again = path.read_bytes()
    save_config(load_config(path).config, path)
    assert path.read_bytes() == again


def test_removing_the_default_profile_clears_default(write_config: WriteConfig) -> None:
    config = load_config(write_config(FULL)).config.without_profile("work")
    assert config.default_profile is None
    assert "work" not in config.profiles
    assert config.unknown_keys() == ["future_setting", "plugins"]


def test_save_keeps_a_private_backup_and_fixes_a_loose_mode(write_config: WriteConfig) -> None:
    path = write_config(FULL)
    os.chmod(path, 0o644)
    config = load_config(path).config.without_profile("ci")
    result = save_config(config, path)
    backup = path.with_name("config.toml.bak")
    assert result.backup == backup
    assert backup.read_text() == FULL
    assert mode(path) == 0o600
    assert mode(backup) == 0o600
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_save_creates_a_private_folder_and_file(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    config = Config().with_profile("p", Profile(api_key_env="K"))
    result = save_config(config, path)
    assert result.backup is None
    assert not result.comments_dropped
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600
    assert load_config(path).config == config


def test_save_reports_dropped_comments(write_config: WriteConfig) -> None:
    path = write_config("# my notes\n" + FULL)
    result = save_config(load_config(path).config, path)
    assert result.comments_dropped
    assert save_config(load_config(path).config, path).comments_dropped is False


def test_hash_inside_a_string_is_not_a_comment(write_config: WriteConfig) -> None:
    path = write_config('[profiles.p]\napi_key_command = "pass show a#b"\n')
    assert not load_config(path).has_comments
    config = load_config(path).config.with_profile("q", Profile(api_key_env="Q"))
    assert not save_config(config, path).comments_dropped


def test_save_follows_a_symbolic_link(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "traversal.toml"
    real.parent.mkdir()
    real.write_text('[profiles.p]\napi_key_env = "K"\n')
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    save_config(load_config(link).config.with_profile("q", Profile(api_key_env="Q")), link)
    assert link.is_symlink()
    assert "q" in load_config(real).config.profiles


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        ("a = 1\nb = \n", 2, None, "invalid TOML"),
        (
            '[profiles.w]\napi_key_env = "K"\npoll_interval = 0\n',
            3,
            "profiles.w.poll_interval",
            "poll_interval in profile 'w': input should be greater than or equal to 1",
        ),
        (
            '[profiles.w]\napi_key_env = "K"\npoll_interval = "5"\n',
            3,
            "profiles.w.poll_interval",
            "poll_interval in profile 'w'",
        ),
        (
            '[profiles.w]\nbase_url = "ftp://x"\napi_key_env = "K"\n',
            2,
            "profiles.w.base_url",
            "base_url in profile 'w': 'ftp://x' must start with https://",
        ),
        (
            '[profiles.w]\napi_key_env = "K"\napi_key = "k"\n',
            1,
            "profiles.w",
            "found api_key_env and api_key",
        ),
        (
            '[profiles.w]\napi_key_cmd = "k"\n',
            1,
            "profiles.w",
            "none is set; unknown keys here: api_key_cmd",
        ),
        (
            'default_profile = "nope"\n[profiles.w]\napi_key_env = "K"\n',
            None,
            "",
            "default_profile 'nope' is not a profile; known profiles: 'w'",
        ),
        (
            '[profiles.w]\napi_key_env = "not a name"\n',
            2,
            "profiles.w.api_key_env",
            "must be the name of an environment variable",
        ),
        (
            "[profiles.w]\napi_key_command = []\n",
            2,
            "profiles.w.api_key_command",
            "must be a list of strings",
        ),
        ("[keymap]\nquit = 3\n", 2, "keymap.quit", "keymap entry 'quit'"),
        ("poll_interval = true\n", 1, "poll_interval", "poll_interval: input should be"),
    ],
)
def test_errors_name_file_line_and_field(
    write_config: WriteConfig, text: str, line: int | None, field: str | None, words: str
) -> None:
    path = write_config(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = caught.value
    assert (error.path, error.line, error.field) == (path, line, field)
    assert words in str(error)
    assert str(error).startswith(f"{path}, line {line}: " if line else f"{path}: ")


def test_several_errors_are_listed_each_with_its_line(write_config: WriteConfig) -> None:
    path = write_config('[profiles.w]\napi_key_env = "K"\npoll_interval = 0\ntheme = 3\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).splitlines()[1:] == [
        "  line 3, poll_interval in profile 'w': input should be greater than or equal to 1",
        "  line 4, theme in profile 'w': input should be a valid string",
    ]
    assert caught.value.line == 3


def test_a_file_that_is_not_text_is_an_error(write_config: WriteConfig) -> None:
    path = write_config("")
    path.write_bytes(b"a = '\xff'\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path)


@pytest.mark.parametrize(
    "text",
    [
        f'[profiles.w]\napi_key = "{SECRET}"\npoll_interval = 0\n',
        f'[profiles.w]\napi_key = "{SECRET}"\napi_key_env = "K"\n',
        f'[profiles.w]\napi_key_env = "{SECRET}"\n',
        f'[profiles.w]\napi_key = "{SECRET}"\nbase_url = "https://{SECRET}@h.example"\n',
        f'[profiles.w]\napi_key = "{SECRET}\n',
        f'[profiles.w]\napi_key = ["{SECRET}"]\n',
        f'[profiles.w]\napi_key_env = "K"\nbase_url = "{SECRET}"\n',
        f'[profiles.w]\napi_key_env = "K"\nbase_url = "ftp://me:{SECRET}@h.example"\n',
        f'[profiles.w]\napi_key_env = "K"\nbase_url = "https://h.example/{SECRET}?q"\n',
    ],
)
def test_config_errors_never_contain_the_key(write_config: WriteConfig, text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(text))
    error = caught.value
    for shown in (str(error), repr(error), error.message, str(error.args)):
        assert SECRET not in shown


def test_the_key_never_appears_in_repr_or_str(write_config: WriteConfig) -> None:
    loaded = load_config(write_config(FULL))
    profile = loaded.config.profiles["play"]
    for shown in (
        repr(loaded.config),
        str(loaded.config),
        repr(profile),
        str(profile),
        profile.model_dump_json(),
        str(profile.model_dump()),
        repr(profile.api_key),
    ):
        assert SECRET not in shown
    assert profile.api_key is not None
    assert profile.api_key.get_secret_value() == SECRET
    assert f'api_key = "{SECRET}"' in loaded.config.to_toml()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.traversal.com", "https://api.traversal.com"),
        ("  https://h.example/base/ ", "https://h.example/base"),
        ("http://127.0.0.1:8077/", "http://127.0.0.1:8077"),
        ("HTTPS://H.example", "https://H.example"),
    ],
)
def test_base_url_is_normalised(url: str, expected: str) -> None:
    assert normalise_base_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "api.traversal.com",
        "ftp://h",
        "https://",
        "https://h:port",
        "https://u:p@h",
        "https://h/?a=1",
        "https://h/#x",
        "",
    ],
)
def test_bad_base_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError):
        normalise_base_url(url)
