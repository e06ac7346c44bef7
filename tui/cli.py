"""Command line: the dashboard by default, `traversal-tui emulator` to serve the API alone."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tui import __version__


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="traversal-tui",
        description=(
            "Keyboard-first dashboard for Traversal AI-SRE investigations. With no config "
            "file and no TRAVERSAL_API_KEY it runs on an embedded emulator (demo mode)."
        ),
        epilog=(
            "Environment: TRAVERSAL_API_KEY, TRAVERSAL_BASE_URL, TRAVERSAL_TUI_CONFIG, NO_COLOR."
        ),
    )
    parser.add_argument("--version", action="version", version=f"traversal-tui {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="use the embedded emulator even when a key is set"
    )
    parser.add_argument("--profile", metavar="NAME", help="use a named profile from the config")
    parser.add_argument("--base-url", metavar="URL", help="override the API base URL")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    emulator = sub.add_parser(
        "emulator",
        help="run the Sessions API emulator alone in the foreground",
        description="Serve an emulator of the Traversal V1 Sessions API until Ctrl+C or SIGTERM.",
    )
    emulator.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    emulator.add_argument(
        "--port",
        type=_non_negative_int,
        default=8077,
        help="port (default 8077; 0 picks a free one)",
    )
    emulator.add_argument(
        "--max-running",
        type=_positive_int,
        default=5,
        help="concurrently running investigations and follow-ups per organisation (default 5)",
    )
    emulator.add_argument(
        "--time-scale",
        type=_positive_float,
        default=1.0,
        help="clock speed: 10 makes everything, the one-hour timeout included, 10x faster",
    )
    emulator.add_argument(
        "--preload",
        type=_non_negative_int,
        default=0,
        help="create N sessions at start in a realistic mix of states",
    )
    emulator.add_argument("--random-seed", metavar="S", help="seed for repeatable runs")
    emulator.add_argument(
        "--faults", metavar="SPEC", help="inject faults (grammar in the README, e.g. 'latency=0.5')"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "emulator":
        from tui.emulator.server import EmulatorOptions, run_foreground

        try:
            options = EmulatorOptions(
                host=args.host,
                port=args.port,
                max_running=args.max_running,
                time_scale=args.time_scale,
                preload=args.preload,
                random_seed=args.random_seed,
                faults=args.faults,
            )
        except ValueError as error:
            print(f"traversal-tui emulator: {error}", file=sys.stderr)
            return 2
        return run_foreground(options)
    from tui.launch import run_dashboard

    return run_dashboard(demo=args.demo, profile=args.profile, base_url=args.base_url)
