"""Which API to talk to, with which key: flags, environment, config, demo.

Precedence (each step only where the earlier gave nothing):

1. ``--demo``: the embedded emulator, whatever else is set.
2. ``--profile NAME``: that profile's base URL and key source, even when
   ``TRAVERSAL_API_KEY`` or ``TRAVERSAL_BASE_URL`` are set (explicit beats
   ambient). An unknown name is an error listing the known ones.
3. Otherwise each setting on its own: the key from ``TRAVERSAL_API_KEY``,
   else from the config's default profile; the base URL from
   ``TRAVERSAL_BASE_URL``, else from that profile, else the public API.
4. No key from either: the demo, when the config has no profiles at all.

``--base-url`` overrides the base URL in every live case. A profile whose
key cannot be had is an error, never a quiet fall-back to the demo.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from pydantic import SecretStr

from tui.core.config import (
    DEFAULT_BASE_URL,
    Config,
    LoadedConfig,
    Profile,
    describe_names,
    load_config,
    normalise_base_url,
)
from tui.core.errors import ConfigError
from tui.core.keys import KEY_COMMAND_TIMEOUT, KeyUnavailable, check_key, obtain_key
from tui.core.paths import CONFIG_ENV

API_KEY_ENV = "TRAVERSAL_API_KEY"
BASE_URL_ENV = "TRAVERSAL_BASE_URL"
DEMO = "demo"
ENV = "env"


@dataclass(frozen=True)
class Connection:
    """Everything the dashboard needs to reach its API. Its repr never shows the key."""

    mode: Literal["demo", "live"]
    base_url: str | None
    """None in demo mode until the embedded emulator has a port."""
    api_key: SecretStr | None = field(repr=False)
    """None in demo mode (the emulator's demo keys are used)."""
    profile_name: str
    """The profile's name, ``"env"`` when the key came from the environment, or ``"demo"``."""
    poll_interval: float
    theme: str | None = None
    keymap: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)

    @property
    def is_demo(self) -> bool:
        return self.mode == DEMO

    @property
    def store_key(self) -> str:
        """The key of this connection's entries in the local store."""
        return DEMO if self.is_demo else f"live:{self.profile_name}@{self.base_url}"


def resolve_connection(
    *,
    demo: bool,
    profile: str | None,
    base_url: str | None,
    env: Mapping[str, str],
    config_path: Path,
    key_timeout: float = KEY_COMMAND_TIMEOUT,
) -> Connection:
    """The connection the command line, environment and config file ask for.

    Raises :class:`ConfigError` for a broken config, an unknown profile, a
    bad base URL or a key that cannot be had.
    """
    loaded = load_config(config_path)
    if not loaded.exists and env.get(CONFIG_ENV, "").strip():
        # Named on purpose: a typo in the path must not quietly give demo data.
        raise ConfigError(f"{CONFIG_ENV} names a config file that does not exist", path=loaded.path)
    config = loaded.config
    if demo:
        return _demo(config)
    # URLs are checked before any key command runs.
    flag_url = _flag_url(base_url)
    if profile is not None:
        chosen = _named_profile(loaded, profile)
        key = _profile_key(loaded, profile, chosen, env, key_timeout)
        return _live(config, chosen, profile, flag_url or chosen.base_url, key)

    default_name = config.default_profile_name()
    default = config.profiles.get(default_name) if default_name else None
    env_key = env.get(API_KEY_ENV, "")
    if not env_key.strip() and default is None:
        if config.profiles:
            raise ConfigError(
                f"several profiles and no default_profile: choose one with --profile "
                f"({describe_names(config.profiles)}) or set default_profile",
                path=loaded.path,
            )
        if base_url is not None:
            raise ConfigError(
                f"--base-url needs a key: set {API_KEY_ENV} or configure a profile",
                field="base_url",
            )
        return _demo(config)
    env_url = _env_url(env)
    if env_key.strip():
        key = check_key(env_key, f"the environment variable {API_KEY_ENV}")
        name = ENV
    else:
        assert default_name is not None and default is not None
        key = _profile_key(loaded, default_name, default, env, key_timeout)
        name = default_name
    profile_url = default.base_url if default is not None else DEFAULT_BASE_URL
    return _live(config, default, name, flag_url or env_url or profile_url, key)


def _demo(config: Config) -> Connection:
    return Connection(
        mode="demo",
        base_url=None,
        api_key=None,
        profile_name=DEMO,
        poll_interval=config.poll_interval,
        theme=config.theme,
        keymap=MappingProxyType(dict(config.keymap)),
    )


def _live(
    config: Config, profile: Profile | None, name: str, base_url: str, key: SecretStr
) -> Connection:
    poll = profile.poll_interval if profile is not None else None
    theme = profile.theme if profile is not None else None
    return Connection(
        mode="live",
        base_url=base_url,
        api_key=key,
        profile_name=name,
        poll_interval=poll if poll is not None else config.poll_interval,
        theme=theme if theme is not None else config.theme,
        keymap=MappingProxyType(dict(config.keymap)),
    )


def _named_profile(loaded: LoadedConfig, name: str) -> Profile:
    profiles = loaded.config.profiles
    if name in profiles:
        return profiles[name]
    where = "" if loaded.exists else " (the file does not exist)"
    raise ConfigError(
        f"no profile named {name!r}{where}; known profiles: {describe_names(profiles)}",
        path=loaded.path,
        field="profile",
    )


def _profile_key(
    loaded: LoadedConfig, name: str, profile: Profile, env: Mapping[str, str], timeout: float
) -> SecretStr:
    try:
        return obtain_key(profile, profile_name=name, env=env, timeout=timeout)
    except KeyUnavailable as error:
        raise ConfigError(
            error.message,
            path=loaded.path,
            line=loaded.line_of("profiles", name, profile.key_source),
            field=f"profiles.{name}.{profile.key_source}",
        ) from None


def _flag_url(value: str | None) -> str | None:
    return None if value is None else _checked_url(value, "--base-url")


def _env_url(env: Mapping[str, str]) -> str | None:
    value = env.get(BASE_URL_ENV, "")
    return _checked_url(value, BASE_URL_ENV) if value.strip() else None


def _checked_url(value: str, source: str) -> str:
    try:
        return normalise_base_url(value)
    except ValueError as error:
        raise ConfigError(f"{source}: {error}", field=source) from None
