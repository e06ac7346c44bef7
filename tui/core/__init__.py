"""What the dashboard knows, apart from any screen: config and profiles, the
connection to use, the local store of tracked sessions and drafts, the
idempotency journal and the polling policy. Nothing here imports Textual."""
