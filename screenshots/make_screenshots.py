"""Regenerate the screenshots in this folder from the running app.

    python screenshots/make_screenshots.py

Each scene runs the real dashboard against the embedded emulator (fixed seed
and clock, so the pictures only change when the app does), saves an SVG, and
converts it to PNG when ``rsvg-convert`` is installed (Debian: librsvg2-bin).
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from textual.pilot import Pilot  # noqa: E402

from tests import scenes  # noqa: E402

SCENES: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "dashboard": scenes.open_findings,
    "new-investigation": scenes.new_investigation_form,
    "countdowns": scenes.countdowns,
}


async def shoot(name: str, scene: Callable[[Pilot[Any]], Awaitable[None]]) -> Path:
    emulator = scenes.scene_emulator()
    try:
        app = scenes.scene_app(emulator)
        async with app.run_test(size=scenes.SIZE) as pilot:
            await scene(pilot)
            path = Path(app.save_screenshot(filename=f"{name}.svg", path=str(HERE)))
    finally:
        emulator.stop()
    return path


def to_png(svg: Path) -> Path | None:
    converter = shutil.which("rsvg-convert")
    if converter is None:
        return None
    png = svg.with_suffix(".png")
    subprocess.run([converter, str(svg), "-o", str(png)], check=True)
    return png


async def main() -> None:
    for name, scene in SCENES.items():
        svg = await shoot(name, scene)
        png = to_png(svg)
        print(f"{svg.name}" + (f" and {png.name}" if png else " (no rsvg-convert: SVG only)"))


if __name__ == "__main__":
    asyncio.run(main())
