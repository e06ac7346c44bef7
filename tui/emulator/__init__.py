"""An emulator of the Traversal V1 Sessions API, served over real HTTP.

- :mod:`~tui.emulator.server`: options, the embedded server and the foreground command;
- :mod:`~tui.emulator.app`: routes, authentication, the error envelope, statistics;
- :mod:`~tui.emulator.validation`: request bodies and query parameters;
- :mod:`~tui.emulator.engine`: sessions, their state machine, limits, idempotency;
- :mod:`~tui.emulator.clock`: the emulator's scaled, advanceable clock;
- :mod:`~tui.emulator.incident`, :mod:`~tui.emulator.story`,
  :mod:`~tui.emulator.scenarios`, :mod:`~tui.emulator.findings`: reading an
  incident and writing the answers;
- :mod:`~tui.emulator.preload`: sessions present at start;
- :mod:`~tui.emulator.faults`: fault injection;
- :mod:`~tui.emulator.keys`: the demo keys.

It shares only :mod:`tui.api.models` with the rest of the package.
"""
