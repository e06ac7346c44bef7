"""Keys, roles and organisations."""

from __future__ import annotations

import httpx
import pytest

from tests.emulator.support import Api, assert_error, bearer
from tui.emulator.keys import DEMO_MEMBER_KEY, DISABLED_KEY, OTHER_ADMIN_KEY

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def every_operation(api: Api) -> list[httpx.Response]:
    return [
        api.create(),
        api.list(),
        api.get(UNKNOWN_ID),
        api.follow_up(UNKNOWN_ID),
    ]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        bearer("trv_ak_not_a_key"),
        {"Authorization": "Bearer"},
        {"Authorization": "trv_ak_demo_admin"},
        {"Authorization": "Basic trv_ak_demo_admin"},
    ],
    ids=["none", "unknown", "empty", "no-scheme", "basic"],
)
def test_a_missing_or_unknown_key_is_401_everywhere(api: Api, headers: dict[str, str]) -> None:
    api.http.headers.pop("Authorization")
    api.http.headers.update(headers)
    for response in every_operation(api):
        assert_error(response, 401)


def test_an_organisation_without_v1_access_gets_403_everywhere(api: Api) -> None:
    for response in every_operation(api.as_key(DISABLED_KEY)):
        assert_error(response, 403, "not enabled")


def test_the_bearer_scheme_is_case_insensitive(api: Api) -> None:
    api.http.headers["Authorization"] = "bearer trv_ak_demo_admin"
    assert api.list().status_code == 200


def test_a_member_can_do_everything_but_list(api: Api) -> None:
    member = api.as_key(DEMO_MEMBER_KEY)
    session = member.created()
    assert member.get(session["id"]).status_code == 200
    assert_error(member.follow_up(session["id"]), 409)  # allowed, only not idle yet
    assert_error(member.list(), 403, "admin")
    assert_error(member.list(page=1, limit=5), 403, "admin")
    # The admin of the same organisation sees the member's session.
    assert [s["id"] for s in api.list().json()["sessions"]] == [session["id"]]


def test_organisations_never_see_each_other(api: Api) -> None:
    other = api.as_key(OTHER_ADMIN_KEY)
    mine = api.created()
    theirs = other.created()
    assert_error(other.get(mine["id"]), 404)
    assert_error(other.follow_up(mine["id"]), 404)
    assert_error(api.get(theirs["id"]), 404)
    assert [s["id"] for s in api.list().json()["sessions"]] == [mine["id"]]
    assert [s["id"] for s in other.list().json()["sessions"]] == [theirs["id"]]


def test_idempotency_keys_are_per_organisation(api: Api) -> None:
    other = api.as_key(OTHER_ADMIN_KEY)
    first = api.create(idempotency_key="shared-incident-1")
    second = other.create(idempotency_key="shared-incident-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]


def test_the_control_routes_need_no_key(api: Api) -> None:
    plain = httpx.Client(base_url=api.emulator.base_url)
    try:
        assert plain.get("/_emulator/stats").status_code == 200
        assert plain.post("/_emulator/advance", json={"seconds": 1}).status_code == 200
    finally:
        plain.close()
