from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.idempotency import (
    MAX_KEY_LENGTH,
    key_for_reference,
    key_for_submission,
    normalise_reference,
)

SAFE = re.compile(r"^[a-z0-9._-]{1,128}$")
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=2000)


@pytest.mark.parametrize(
    "variants",
    [
        ["P12345", "p12345", "  P12345\n", "\uff30\uff11\uff12\uff13\uff14\uff15"],
        [
            "https://acme.pagerduty.com/incidents/Q1W2E3",
            "HTTPS://ACME.PAGERDUTY.COM/incidents/q1w2e3/",
        ],
        ["INC 42  checkout", "inc 42 checkout", "Inc\t42\u00a0checkout"],
        ["Straße-7", "STRASSE-7"],
    ],
)
def test_the_same_incident_gives_the_same_key(variants: list[str]) -> None:
    assert len({key_for_reference(v) for v in variants}) == 1


def test_keys_are_readable_and_stable() -> None:
    # Fixed forever: responders on different versions must meet on one session.
    assert key_for_reference("P12345") == "ref-p12345-f63e7ba71de88a877e320318d0112356"
    url = key_for_reference("https://acme.pagerduty.com/incidents/P12345")
    assert url.startswith("ref-acme.pagerduty.com-incidents-p12345-")


def test_different_incidents_give_different_keys() -> None:
    keys = {key_for_reference(r) for r in ("P1", "P2", "P1 ", "P-1", "P_1", "p1x")}
    assert len(keys) == 5  # "P1" and "P1 " are one incident


def test_a_rerun_gets_its_own_shared_key() -> None:
    first = key_for_reference("P12345")
    again = key_for_reference("P12345", attempt=2)
    assert again != first
    assert again == key_for_reference(" p12345", attempt=2)
    with pytest.raises(ValueError):
        key_for_reference("P12345", attempt=0)


@pytest.mark.parametrize("reference", ["", "   ", "\n\t\u3000"])
def test_an_empty_reference_is_refused(reference: str) -> None:
    with pytest.raises(ValueError):
        key_for_reference(reference)


@given(ANY_TEXT.filter(lambda text: bool(" ".join(text.split()))))
def test_any_reference_gives_a_short_safe_stable_key(reference: str) -> None:
    key = key_for_reference(reference)
    assert SAFE.match(key), key
    assert len(key) <= MAX_KEY_LENGTH
    assert key == key_for_reference(reference)
    if reference.isascii():
        assert key == key_for_reference(f"  {reference.upper()} ")
    assert normalise_reference(normalise_reference(reference)) == normalise_reference(reference)


def test_submissions_without_reference_get_fresh_keys() -> None:
    keys = {key_for_submission() for _ in range(100)} | {key_for_submission("  ")}
    assert len(keys) == 101
    assert all(SAFE.match(key) for key in keys)
    assert key_for_submission(" P12345 ") == key_for_reference("P12345")
