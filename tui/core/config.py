"""The config file: profiles, poll interval, theme and key remaps.

Read with ``tomllib``, validated by pydantic, written back with ``tomli-w``.
Keys and tables this module does not know are kept as they are, so a save
never drops what another version (or the user) put there; comments cannot be
kept, and :func:`save_config` says when some were lost.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Self
from urllib.parse import urlsplit, urlunsplit

import tomli_w
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    SecretStr,
    SerializationInfo,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)

from tui.core.atomic import write_private
from tui.core.errors import ConfigError, looks_like_key
from tui.core.paths import ensure_private_dir
from tui.core.toml_text import has_comments, line_of

#: The public API. Kept here rather than imported from the client so that
#: reading the config does not load httpx (which loads Rich).
DEFAULT_BASE_URL = "https://api.traversal.com"
DEFAULT_POLL_INTERVAL = 5
KEY_SOURCES = ("api_key_env", "api_key_command", "api_key")

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_REVEAL = "reveal_secrets"


def _whole_as_int(value: float) -> int | float:
    return int(value) if value.is_integer() else value


#: Seconds; written back as ``5`` rather than ``5.0`` when whole.
PollInterval = Annotated[float, Field(ge=1), PlainSerializer(_whole_as_int)]
NonEmpty = Annotated[str, Field(min_length=1)]


def normalise_base_url(text: str) -> str:
    """``text`` as an API base URL (http or https, with a host), without a trailing slash.

    Raises ``ValueError`` with a message fit for the user, which repeats the
    URL only when it cannot hold a secret (no ``@``, nothing key-shaped).
    """
    url = text.strip()
    shown = "the base URL" if "@" in url or looks_like_key(url) else repr(url)
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises for a port that is not a number
    except ValueError:
        raise ValueError(f"{shown} is not a valid URL") from None
    if parts.username is not None or parts.password is not None:
        raise ValueError("the base URL must not contain a user name or password")
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"{shown} must start with https:// (or http://)")
    if not parts.hostname:
        raise ValueError(f"{shown} has no host name")
    if parts.query or parts.fragment:
        raise ValueError(f"{shown} must not have a query (?...) or fragment (#...)")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


class _Model(BaseModel):
    # Strict: TOML values are typed, so "5" is not a number. Unknown keys are
    # kept (extra="allow") so that a save writes them back.
    model_config = ConfigDict(strict=True, extra="allow", frozen=True)

    def unknown_keys(self) -> list[str]:
        """Keys found in the file that this version does not use."""
        return sorted(self.model_extra or {})


class Profile(_Model):
    """One API endpoint and the way to get its key.

    Exactly one key source: ``api_key_env``, ``api_key_command`` or ``api_key``.
    """

    base_url: str = DEFAULT_BASE_URL
    """API base URL; single-tenant and BYOC customers have their own."""
    api_key_env: str | None = None
    """Name of an environment variable that holds the key."""
    api_key_command: str | list[str] | None = None
    """A command whose output is the key: a list runs without a shell, a string through one."""
    api_key: SecretStr | None = None
    """The key itself, for those who accept it stored in this file."""
    poll_interval: PollInterval | None = None
    """Seconds between polls; the config's ``poll_interval`` when unset."""
    theme: str | None = None
    """Theme name; the config's ``theme`` when unset."""

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        return normalise_base_url(value)

    @field_validator("api_key_env")
    @classmethod
    def _check_env_name(cls, value: str) -> str:
        if looks_like_key(value):
            # Never repeat it: this is most likely the key itself.
            raise ValueError(
                "this looks like an API key, not the name of an environment variable; "
                "put the key in that variable (or use api_key)"
            )
        if not _ENV_NAME.match(value):
            raise ValueError("must be the name of an environment variable (letters, digits and _)")
        return value

    @field_validator("api_key_command", mode="before")
    @classmethod
    def _check_command(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                raise ValueError("must not be empty")
            return value
        if isinstance(value, list):
            if not value or not all(isinstance(part, str) for part in value):
                raise ValueError("must be a list of strings, the program first")
            if not value[0].strip():
                raise ValueError("the program (first item) must not be empty")
            return value
        raise ValueError("must be a string (run by the shell) or a list of strings")

    @field_validator("api_key")
    @classmethod
    def _check_key(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    @field_serializer("api_key", when_used="unless-none")
    def _dump_key(self, value: SecretStr, info: SerializationInfo) -> str | SecretStr:
        context = info.context
        if isinstance(context, dict) and context.get(_REVEAL):
            return value.get_secret_value()
        return value

    @model_validator(mode="after")
    def _one_key_source(self) -> Self:
        given = [name for name in KEY_SOURCES if getattr(self, name) is not None]
        if len(given) != 1:
            found = f"found {' and '.join(given)}" if given else "none is set"
            hint = ""
            if not given and self.unknown_keys():
                hint = f"; unknown keys here: {', '.join(self.unknown_keys())}"
            raise ValueError(
                f"set exactly one of api_key_env, api_key_command or api_key ({found}{hint})"
            )
        return self

    @property
    def key_source(self) -> str:
        """Which of :data:`KEY_SOURCES` this profile uses."""
        return next(name for name in KEY_SOURCES if getattr(self, name) is not None)


class Config(_Model):
    """The whole config file."""

    default_profile: NonEmpty | None = None
    """The profile used when neither ``--profile`` nor ``TRAVERSAL_API_KEY`` is given."""
    poll_interval: PollInterval = DEFAULT_POLL_INTERVAL
    """Seconds between polls for profiles that do not set their own."""
    theme: str | None = None
    """Theme for profiles that do not set their own, and for the demo."""
    keymap: dict[NonEmpty, NonEmpty] = Field(default_factory=dict)
    """User key remaps: binding id to keys, e.g. ``new_investigation = "ctrl+n"``."""
    profiles: dict[NonEmpty, Profile] = Field(default_factory=dict)
    """Named profiles."""

    @model_validator(mode="after")
    def _default_exists(self) -> Self:
        if self.default_profile is not None and self.default_profile not in self.profiles:
            raise ValueError(
                f"default_profile {self.default_profile!r} is not a profile; "
                f"known profiles: {describe_names(self.profiles)}"
            )
        return self

    def default_profile_name(self) -> str | None:
        """``default_profile``; else a profile named ``default``; else the only profile."""
        if self.default_profile is not None:
            return self.default_profile
        if "default" in self.profiles:
            return "default"
        if len(self.profiles) == 1:
            return next(iter(self.profiles))
        return None

    def with_profile(self, name: str, profile: Profile) -> Config:
        """A copy with ``name`` added or replaced."""
        return self._replace(profiles={**self.profiles, name: profile})

    def without_profile(self, name: str) -> Config:
        """A copy without ``name`` (and no longer defaulting to it)."""
        profiles = {key: value for key, value in self.profiles.items() if key != name}
        changes: dict[str, Any] = {"profiles": profiles}
        if self.default_profile == name:
            changes["default_profile"] = None
        return self._replace(**changes)

    def _replace(self, **changes: Any) -> Config:
        """A validated copy; like ``model_copy`` but checked, and keeping unknown keys."""
        data = self.model_dump(exclude_unset=True, round_trip=True)
        data.update(changes)
        data = {key: value for key, value in data.items() if value is not None}
        return Config.model_validate(data)

    def to_toml(self) -> str:
        """The TOML text of this config: what was set, unknown keys included, keys revealed."""
        data = self.model_dump(exclude_unset=True, exclude_none=True, context={_REVEAL: True})
        return tomli_w.dumps(data)


def describe_names(names: Mapping[str, object] | Sequence[str]) -> str:
    """A list of names for a message: ``'a', 'b'`` or ``(none)``."""
    return ", ".join(repr(name) for name in names) or "(none)"


@dataclass(frozen=True)
class LoadedConfig:
    """A config as read from disk, with what is needed to point at its lines."""

    path: Path
    config: Config
    exists: bool
    """False when there was no file (``config`` is then empty)."""
    text: str = ""
    """The file's text, for :meth:`line_of`."""

    @property
    def has_comments(self) -> bool:
        """True when the file has comments, which a save would not keep."""
        return has_comments(self.text)

    def line_of(self, *location: str | int) -> int | None:
        """The line defining a key, e.g. ``line_of("profiles", "work", "api_key_env")``."""
        return line_of(self.text, location)


@dataclass(frozen=True)
class SaveResult:
    """What :func:`save_config` did."""

    path: Path
    backup: Path | None
    """The previous file, kept as ``config.toml.bak``; None when there was none."""
    comments_dropped: bool
    """The previous file had comments; tomli-w cannot write them back."""


def load_config(path: Path) -> LoadedConfig:
    """Read and validate the config at ``path``; a missing file is an empty config.

    Raises :class:`ConfigError` naming the file, the line when known and the
    field, for unreadable files, invalid TOML and invalid values.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return LoadedConfig(path=path, config=Config(), exists=False)
    except OSError as error:
        raise ConfigError(f"cannot read the config file: {error.strerror}", path=path) from None
    try:
        text = raw.decode("utf-8")
        document = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError("the config file is not UTF-8 text", path=path) from None
    except tomllib.TOMLDecodeError as error:
        message, line = _split_toml_error(error)
        raise ConfigError(f"invalid TOML: {message}", path=path, line=line) from None
    try:
        config = Config.model_validate(document)
    except ValidationError as error:
        raise _validation_error(error, path, text) from None
    return LoadedConfig(path=path, config=config, exists=True, text=text)


def save_config(config: Config, path: Path) -> SaveResult:
    """Write ``config`` to ``path`` atomically with mode 0600, keeping the old file as ``.bak``.

    A symbolic link at ``path`` is followed, so the file it points at is
    updated. The backup is private (0600) too.
    """
    target = path.resolve() if path.is_symlink() else path
    ensure_private_dir(target.parent)
    new = config.to_toml().encode("utf-8")
    try:
        old: bytes | None = target.read_bytes()
    except FileNotFoundError:
        old = None
    backup = None
    comments_dropped = False
    if old is not None and old != new:
        backup = target.with_name(target.name + ".bak")
        write_private(backup, old)
        comments_dropped = has_comments(old.decode("utf-8", errors="replace"))
    write_private(target, new)
    return SaveResult(path=target, backup=backup, comments_dropped=comments_dropped)


def describe_location(location: Sequence[str | int]) -> str:
    """A pydantic error location in plain words: ``poll_interval in profile 'work'``."""
    parts = [str(part) for part in location]
    if len(parts) >= 2 and parts[0] == "profiles":
        where = f"profile {parts[1]!r}"
        return f"{'.'.join(parts[2:])} in {where}" if len(parts) > 2 else where
    if len(parts) >= 2 and parts[0] == "keymap":
        return f"keymap entry {parts[1]!r}"
    return ".".join(parts) or "the config"


def _validation_error(error: ValidationError, path: Path, text: str) -> ConfigError:
    problems: list[tuple[int | None, str, str]] = []
    first_line: int | None = None
    first_field: str | None = None
    for detail in error.errors(include_input=False, include_url=False):
        location = [part for part in detail["loc"] if part != "[key]"]
        line = line_of(text, location)
        problems.append((line, describe_location(location), _plain_message(detail)))
        if len(problems) == 1:
            first_line, first_field = line, ".".join(str(part) for part in location)
    if len(problems) == 1:
        _, field, message = problems[0]
        summary = f"{field}: {message}"
    else:
        summary = "invalid settings:" + "".join(
            f"\n  {f'line {line}, ' if line else ''}{field}: {message}"
            for line, field, message in problems
        )
    return ConfigError(summary, path=path, line=first_line, field=first_field)


def _plain_message(detail: Any) -> str:
    context = detail.get("ctx") or {}
    if detail["type"] == "value_error" and "error" in context:
        return str(context["error"])
    if detail["type"] == "extra_forbidden":
        return "unknown setting"
    message = str(detail["msg"])
    return message[:1].lower() + message[1:]


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")


def _split_toml_error(error: tomllib.TOMLDecodeError) -> tuple[str, int | None]:
    """The message of a TOML error without its position, and its line."""
    text = str(error)
    line = getattr(error, "lineno", None)
    match = _TOML_POSITION.search(text)
    if match:
        text = text[: match.start()]
        line = line or int(match.group(1))
    elif "(at end of document)" in text:
        text = text.replace(" (at end of document)", " at the end of the file")
    return text, line
