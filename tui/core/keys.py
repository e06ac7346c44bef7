"""Getting a profile's API key from where the profile says it is.

Every failure is a :class:`KeyUnavailable` whose message says what went
wrong and never contains the key (nor a command line, which may hold it).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Mapping

from pydantic import SecretStr

from tui.core.config import Profile
from tui.core.errors import ConfigError, redact_keys

#: Seconds a key command may take (password managers may ask to unlock).
KEY_COMMAND_TIMEOUT = 30.0
_STDERR_SHOWN = 300
_SECRET_MIN = 6  # shorter output words are not hidden in an error message


class KeyUnavailable(ConfigError):
    """A profile's key source gave no usable key."""


def obtain_key(
    profile: Profile,
    *,
    profile_name: str,
    env: Mapping[str, str],
    timeout: float = KEY_COMMAND_TIMEOUT,
) -> SecretStr:
    """The key of ``profile``: from its environment variable, its command, or the file."""
    where = f"profile {profile_name!r}"
    field = f"profiles.{profile_name}.{profile.key_source}"
    if profile.api_key is not None:
        return check_key(profile.api_key.get_secret_value(), f"api_key of {where}", field)
    if profile.api_key_env is not None:
        name = profile.api_key_env
        value = env.get(name, "")
        if not value.strip():
            state = "is empty" if name in env else "is not set"
            raise KeyUnavailable(
                f"{where} takes its key from the environment variable {name}, which {state}",
                field=field,
            )
        return check_key(value, f"environment variable {name} ({where})", field)
    assert profile.api_key_command is not None
    output = run_key_command(
        profile.api_key_command, env=env, timeout=timeout, what=f"api_key_command of {where}"
    )
    return check_key(output, f"the output of the api_key_command of {where}", field)


def check_key(value: str, source: str, field: str | None = None) -> SecretStr:
    """``value`` stripped, as a key that can be sent in an HTTP header."""
    key = value.strip()
    if not key:
        raise KeyUnavailable(f"{source} is empty", field=field)
    if any(character in key for character in "\r\n"):
        raise KeyUnavailable(f"{source} has more than one line; expected only the key", field=field)
    if not all("!" <= character <= "~" for character in key):
        raise KeyUnavailable(
            f"{source} contains spaces or characters that cannot be part of an API key",
            field=field,
        )
    return SecretStr(key)


def run_key_command(
    command: str | list[str], *, env: Mapping[str, str], timeout: float, what: str
) -> str:
    """Run ``command`` (a list: no shell; a string: through the shell) and return its output.

    The command gets no standard input and ``timeout`` seconds; on timeout it
    and everything it started are killed.
    """
    shell = isinstance(command, str)
    try:
        process = subprocess.Popen(
            command,
            shell=shell,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except FileNotFoundError:
        raise KeyUnavailable(f"the program of the {what} was not found") from None
    except OSError as error:
        raise KeyUnavailable(f"the {what} could not start: {error.strerror}") from None
    with process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            raise KeyUnavailable(f"the {what} did not finish within {timeout:g} s") from None
    if process.returncode != 0:
        detail = _redact(stderr.decode("utf-8", errors="replace"), stdout)
        raise KeyUnavailable(
            f"the {what} failed (exit status {process.returncode})"
            + (f": {detail}" if detail else "")
        )
    try:
        return stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise KeyUnavailable(f"the {what} printed something that is not text") from None


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    if hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        process.kill()


def _redact(stderr: str, stdout: bytes) -> str:
    """The last line of ``stderr``, shortened, without anything that may be a key."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    text = lines[-1] if lines else ""
    for token in stdout.decode("utf-8", errors="replace").split():
        if len(token) >= _SECRET_MIN:
            text = text.replace(token, "***")
    text = redact_keys(text)
    text = "".join(character if character.isprintable() else "?" for character in text)
    return text[:_STDERR_SHOWN]
