"""The view's default styles: one component class per kind of element.

Each :class:`~.theme.RenderTheme` field is read from component class
``conversation--<field>``; the app can restyle any of them in its CSS, e.g.
``ConversationView > .conversation--code { background: $panel; }``.
"""

from __future__ import annotations

from .theme import STYLE_FIELDS, component_class

VIEW_CSS = """
ConversationView {
    height: 1fr;
    layout: vertical;
    layers: default outline;
}
ConversationView > .conversation--h1 {
    color: $markdown-h1-color;
    text-style: $markdown-h1-text-style;
}
ConversationView > .conversation--h2 {
    color: $markdown-h2-color;
    text-style: $markdown-h2-text-style;
}
ConversationView > .conversation--h3 {
    color: $markdown-h3-color;
    text-style: bold;
}
ConversationView > .conversation--h4 {
    color: $markdown-h4-color;
    text-style: $markdown-h4-text-style;
}
ConversationView > .conversation--user-header {
    color: $text-accent;
    text-style: bold;
}
ConversationView > .conversation--user-body { background: $boost; }
ConversationView > .conversation--assistant-header {
    color: $text-primary;
    text-style: bold;
}
ConversationView > .conversation--code { background: $surface-darken-1; }
ConversationView > .conversation--code-label { color: $text-muted; }
ConversationView > .conversation--inline-code {
    color: $text-warning;
    background: $boost;
}
ConversationView > .conversation--link {
    color: $text-primary;
    text-style: underline;
}
ConversationView > .conversation--link-target { color: $text-muted; }
ConversationView > .conversation--quote {
    color: $text-muted;
    text-style: italic;
}
ConversationView > .conversation--table-border { color: $text-muted; }
ConversationView > .conversation--table-header {
    color: $text-primary;
    text-style: bold;
}
ConversationView > .conversation--rule { color: $text-muted; }
ConversationView > .conversation--bullet {
    color: $text-accent;
    text-style: bold;
}
ConversationView > .conversation--note {
    color: $text-muted;
    text-style: italic;
}
ConversationView > .conversation--pending {
    color: $text-muted;
    text-style: italic;
}
ConversationView > .conversation--message { color: $text-muted; }
ConversationView > .conversation--match {
    background: $warning 50%;
    color: $text;
}
ConversationView > .conversation--match-current {
    background: $accent;
    color: $text;
    text-style: bold;
}
"""

VIEW_COMPONENT_CLASSES = {component_class(name) for name in STYLE_FIELDS} | {
    "conversation--pending",
    "conversation--message",
    "conversation--match",
    "conversation--match-current",
}
