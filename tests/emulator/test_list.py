"""GET /v1/sessions: paging, order and the shape of list items."""

from __future__ import annotations

from typing import Any

from tests.emulator.support import Api, assert_error


def make_sessions(api_factory: Any, count: int) -> tuple[Api, list[str]]:
    api = api_factory(max_running=count)
    ids = [api.created(f"incident number {n}")["id"] for n in range(count)]
    return api, ids


def test_both_omitted_returns_every_session_newest_first(api_factory: Any) -> None:
    api, ids = make_sessions(api_factory, 7)
    body = api.list().json()
    assert set(body) == {"sessions", "count", "total", "prev", "next"}
    assert [s["id"] for s in body["sessions"]] == ids[::-1]
    assert (body["count"], body["total"], body["prev"], body["next"]) == (7, 7, None, None)


def test_pages_are_exact_and_cover_every_session_once(api_factory: Any) -> None:
    api, ids = make_sessions(api_factory, 7)
    pages = [api.list(page=page, limit=3).json() for page in (1, 2, 3)]
    summary = [(p["count"], p["total"], p["prev"], p["next"]) for p in pages]
    assert summary == [(3, 7, None, 2), (3, 7, 1, 3), (1, 7, 2, None)]
    seen = [s["id"] for p in pages for s in p["sessions"]]
    assert seen == ids[::-1]
    assert len(set(seen)) == 7


def test_following_next_visits_every_session_once(api_factory: Any) -> None:
    api, ids = make_sessions(api_factory, 10)
    for limit in (1, 2, 4, 10, 11):
        seen: list[str] = []
        page: int | None = 1
        while page is not None:
            body = api.list(page=page, limit=limit).json()
            seen += [s["id"] for s in body["sessions"]]
            page = body["next"]
        assert sorted(seen) == sorted(ids), limit


def test_one_parameter_alone_and_pages_past_the_end(api_factory: Any) -> None:
    api, _ = make_sessions(api_factory, 3)
    assert api.list(limit=2).json()["sessions"] == api.list(page=1, limit=2).json()["sessions"]
    only_page = api.list(page=1).json()
    assert (only_page["count"], only_page["next"]) == (3, None)  # default page size is 20
    past = api.list(page=5, limit=2).json()
    assert (past["count"], past["total"], past["prev"], past["next"]) == (0, 3, 4, None)
    assert past["sessions"] == []


def test_an_empty_organisation_lists_nothing(api: Api) -> None:
    body = api.list().json()
    assert body == {"sessions": [], "count": 0, "total": 0, "prev": None, "next": None}


def test_list_items_carry_no_messages(api: Api) -> None:
    session = api.created()
    api.advance(600)
    api.follow_up(session["id"])
    for item in api.list().json()["sessions"] + api.list(page=1, limit=1).json()["sessions"]:
        assert item["messages"] is None
        assert set(item) == {
            "id",
            "status",
            "title",
            "input",
            "created_at",
            "updated_at",
            "messages",
        }


BAD_PARAMETERS: list[tuple[dict[str, Any], str]] = [
    ({"page": 0}, "page"),
    ({"page": -1}, "page"),
    ({"page": "abc"}, "page"),
    ({"page": "1.5"}, "page"),
    ({"page": ""}, "page"),
    ({"page": "\u0661"}, "page"),  # ARABIC-INDIC DIGIT ONE: a digit, but not an integer here
    ({"limit": 0}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"page": 1, "limit": "-3"}, "limit"),
]


def test_bad_paging_parameters_are_a_400_naming_them(api: Api) -> None:
    for params, name in BAD_PARAMETERS:
        assert_error(api.list(**params), 400, f"'{name}'")
