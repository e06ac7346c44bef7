"""The emulator's demo API keys, the organisations they belong to and their roles.

| key | role | organisation |
|---|---|---|
| ``trv_ak_demo_admin`` | admin | ``demo`` |
| ``trv_ak_demo_member`` | member | ``demo`` |
| ``trv_ak_other_admin`` | admin | ``other`` (sees none of ``demo``'s sessions) |
| ``trv_ak_disabled`` | admin | ``no-v1`` (V1 API not enabled: 403 everywhere) |

Any other key, or none, is refused with 401.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MEMBER = "member"


@dataclass(frozen=True)
class ApiKey:
    """Who a key speaks for."""

    key: str
    org: str
    role: Role
    v1_enabled: bool = True
    description: str = ""


DEMO_ORG = "demo"
OTHER_ORG = "other"
DISABLED_ORG = "no-v1"

DEMO_ADMIN_KEY = "trv_ak_demo_admin"
DEMO_MEMBER_KEY = "trv_ak_demo_member"
OTHER_ADMIN_KEY = "trv_ak_other_admin"
DISABLED_KEY = "trv_ak_disabled"

DEMO_KEYS: tuple[ApiKey, ...] = (
    ApiKey(DEMO_ADMIN_KEY, DEMO_ORG, Role.ADMIN, description='admin, org "demo"'),
    ApiKey(DEMO_MEMBER_KEY, DEMO_ORG, Role.MEMBER, description='member, org "demo"'),
    ApiKey(OTHER_ADMIN_KEY, OTHER_ORG, Role.ADMIN, description='admin, org "other"'),
    ApiKey(
        DISABLED_KEY,
        DISABLED_ORG,
        Role.ADMIN,
        v1_enabled=False,
        description="organisation without V1 API access (403 everywhere)",
    ),
)

_BY_KEY = {entry.key: entry for entry in DEMO_KEYS}


def lookup(key: str) -> ApiKey | None:
    """The key's identity, or None when the emulator does not know it (401)."""
    return _BY_KEY.get(key)
