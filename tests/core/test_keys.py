from __future__ import annotations

import shlex
import sys
import time

import pytest

from tests.core.conftest import SECRET
from tui.core.config import Profile
from tui.core.keys import KeyUnavailable, obtain_key, run_key_command

PY = sys.executable


def python(code: str) -> list[str]:
    return [PY, "-c", code]


def key_of(profile: Profile, env: dict[str, str] | None = None, timeout: float = 20) -> str:
    return obtain_key(profile, profile_name="p", env=env or {}, timeout=timeout).get_secret_value()


def test_key_from_a_command_list() -> None:
    assert key_of(Profile(api_key_command=python("print('k')"))) == "k"


def test_key_from_a_shell_command() -> None:
    command = f"{shlex.quote(PY)} -c \"print('trv_ak_x')\" | tr x y"
    assert key_of(Profile(api_key_command=command)) == "trv_ak_y"


def test_the_command_gets_the_given_environment() -> None:
    profile = Profile(api_key_command=python("import os; print(os.environ['VAULT_ITEM'])"))
    assert key_of(profile, {"VAULT_ITEM": "from-env"}) == "from-env"


def test_key_from_the_environment_and_from_the_file() -> None:
    assert key_of(Profile(api_key_env="K"), {"K": " k1\n"}) == "k1"
    assert key_of(Profile(api_key=SECRET)) == SECRET  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("profile", "env", "words"),
    [
        (Profile(api_key_env="K"), {}, "environment variable K, which is not set"),
        (Profile(api_key_env="K"), {"K": "  "}, "environment variable K, which is empty"),
        (Profile(api_key_env="K"), {"K": f"{SECRET} extra"}, "contains spaces"),
        (Profile(api_key_env="K"), {"K": f"{SECRET}\u00e9"}, "cannot be part of an API key"),
        (Profile(api_key_command=python("pass")), {}, "is empty"),
        (Profile(api_key_command=python(f"print('{SECRET}'); print('b')")), {}, "more than one"),
        (
            Profile(api_key_command=python("import sys; sys.stdout.buffer.write(b'\\xff')")),
            {},
            "not text",
        ),
        (Profile(api_key_command=["/nonexistent/key-helper"]), {}, "was not found"),
        (
            Profile(api_key_command=python("import sys; sys.exit('vault is locked')")),
            {},
            "failed (exit status 1): vault is locked",
        ),
        (
            Profile(
                api_key_command=python(
                    f"import sys; print('{SECRET}'); sys.exit('bad key {SECRET} for trv_ak_other')"
                )
            ),
            {},
            "failed (exit status 1): bad key *** for trv_***",
        ),
        (Profile(api_key_command=f"echo {SECRET} >&2; exit 4"), {}, "(exit status 4): trv_***"),
    ],
)
def test_failures_are_clear_and_never_show_the_key(
    profile: Profile, env: dict[str, str], words: str
) -> None:
    with pytest.raises(KeyUnavailable) as caught:
        key_of(profile, env)
    message = str(caught.value)
    assert words in message
    assert SECRET not in message
    error = caught.value
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__


@pytest.mark.parametrize(
    "command",
    [python("import time; time.sleep(60)"), "sleep 60; echo late"],
    ids=["program", "shell-with-child"],
)
def test_a_command_that_hangs_is_stopped(command: str | list[str]) -> None:
    started = time.monotonic()
    with pytest.raises(KeyUnavailable, match=r"did not finish within 0\.5 s"):
        run_key_command(command, env={}, timeout=0.5, what="api_key_command")
    assert time.monotonic() - started < 10
