"""Idempotency keys for new investigations.

Every create carries a key, recorded with its body before the POST (see
:meth:`tui.core.store.Store.record_submission`) and reused for every retry
of that submission, so a retry can never make a second investigation.

* With an incident reference (a PagerDuty id such as ``P12345``, an
  incident URL), the key derives from the normalised reference alone: two
  responders starting the same incident get the same key, and the server
  hands the second one the session the first one made.
* Without one, each submission gets a fresh random key. An edited form is a
  new submission and must get a new key (call :func:`key_for_submission`
  again); only a retry of the very same body reuses the old one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid

MAX_KEY_LENGTH = 128
"""The API's limit."""
REFERENCE_PREFIX = "ref-"
RANDOM_PREFIX = "tui-"
_SLUG_LENGTH = 48
_DIGEST_LENGTH = 32  # hex digits: 128 bits of SHA-256
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_UNSAFE = re.compile(r"[^a-z0-9._]+")


def normalise_reference(reference: str) -> str:
    """``reference`` trimmed, case-folded, NFKC-normalised, inner whitespace collapsed.

    A URL also loses its trailing slashes.

    Raises ``ValueError`` when nothing is left.
    """
    text = unicodedata.normalize("NFKC", reference)
    text = unicodedata.normalize("NFKC", text.casefold())
    text = " ".join(text.split())
    if _SCHEME.match(text):
        text = text.rstrip("/")  # the same page, copied with or without its slash
    if not text:
        raise ValueError("an incident reference must not be empty")
    return text


def key_for_reference(reference: str, *, attempt: int = 1) -> str:
    """The key for an investigation of the incident ``reference``.

    Stable across machines and versions for the same normalised reference;
    at most 128 characters of ``[a-z0-9._-]``: a readable part (the end of
    the reference, where incident ids usually are) and a hash of the whole.
    ``attempt`` > 1 gives the key of a re-run (after a failed investigation
    the server would otherwise return the failed session again); responders
    re-running the same attempt still meet on one session.
    """
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    normal = normalise_reference(reference)
    digest = hashlib.sha256(normal.encode("utf-8", "surrogatepass")).hexdigest()
    slug = _UNSAFE.sub("-", _SCHEME.sub("", normal)).strip("-._")
    slug = slug[-_SLUG_LENGTH:].strip("-._")
    parts = [
        REFERENCE_PREFIX + slug if slug else REFERENCE_PREFIX.rstrip("-"),
        digest[:_DIGEST_LENGTH],
    ]
    if attempt > 1:
        parts.append(f"r{attempt}")
    return "-".join(parts)[:MAX_KEY_LENGTH]


def key_for_submission(reference: str | None = None) -> str:
    """The key for a new submission: from ``reference`` when one is given, else random."""
    if reference is not None and reference.strip():
        return key_for_reference(reference)
    return RANDOM_PREFIX + uuid.uuid4().hex
