"""What the viewer looks like with a findings answer (table, code, list, quote)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.viewer.helpers import Host, rendered
from tui.widgets.conversation import ConversationEntry

ANSWER = """\
# Checkout 5xx: connection pool exhausted

The **payments-gateway** pool hit its limit at 14:02 UTC; see
[the dashboard](https://grafana.example.com/d/pay) and `pool_wait_ms`.

| Time (UTC) | Service | Signal | Value |
|:-----------|:--------|:-------|------:|
| 14:00 | checkout-api | 5xx rate | 0.2% |
| 14:02 | payments-gateway | pool wait | 1840 ms |
| 14:05 | checkout-api | 5xx rate | 7.9% |

```python
def pool_size(replicas: int, per_replica: int = 20) -> int:
    return replicas * per_replica  # was 10 before deploy v412
```

1. Raise `max_connections` to 40.
   - Roll out to one zone first.
2. Alert on pool wait over 500 ms.

> **Note:** no change in database latency, which rules it out.
"""

CONVERSATION = [
    ConversationEntry("p1", "user", "Why are checkouts failing?"),
    ConversationEntry("a1", "assistant", ANSWER),
]


def test_findings_answer_snapshot(snap_compare: Any) -> None:
    app = Host()

    async def show(pilot: Pilot[None]) -> None:
        app.view.show("s1", CONVERSATION, pending="Traversal is investigating…")
        await rendered(app.view)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 42), run_before=show)
