"""Allocation and pre-registration: random draws and tamper-evident records. No Django.

* The allocation (which container holds what, and the order of each
  randomized block) is drawn with ``secrets.SystemRandom`` (the operating
  system's CSPRNG), never ``random``: nobody, including whoever runs the
  server, can predict or reproduce it from a seed.
* Records are sealed with SHA-256 over canonical JSON (sorted keys, no
  spaces). The allocation carries a random salt, so its digest can be shown
  to the participant at the start as a commitment without revealing
  anything; at unblinding anyone can recompute it.
* The pre-registration log is a hash chain: each entry's hash covers the
  previous entry's hash, so rewriting or deleting an entry breaks every later
  hash.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import string
from collections.abc import Sequence
from typing import Any

from fibrotrack.trials.schedule import PlannedPhase, blocks

GENESIS = "0" * 64


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def draw_allocation(phases: Sequence[PlannedPhase], rng: secrets.SystemRandom | None = None) -> dict[str, Any]:
    """Draw the order of each randomized block and the container letter of each blinded condition.

    Returns ``{"version", "salt", "order": {block: [positions]}, "containers": {kind: letter}}``.
    Block keys are strings so the payload survives a JSON round trip unchanged.
    """
    rng = rng or secrets.SystemRandom()
    order: dict[str, list[int]] = {}
    for block, positions in blocks(phases).items():
        drawn = list(positions)
        rng.shuffle(drawn)
        order[str(block)] = drawn
    conditions = sorted({p.kind for p in phases if p.blinded})
    letters = list(string.ascii_uppercase[: len(conditions)])
    rng.shuffle(letters)
    return {
        "version": 1,
        "salt": secrets.token_hex(16),
        "order": order,
        "containers": dict(zip(conditions, letters, strict=True)),
    }


def allocation_digest(payload: dict[str, Any]) -> str:
    return sha256(canonical(payload))


def order_of(payload: dict[str, Any] | None) -> dict[int, list[int]]:
    if not payload:
        return {}
    return {int(k): [int(p) for p in v] for k, v in payload.get("order", {}).items()}


def entry_hash(prev_hash: str, seq: int, kind: str, created_at: str, reason: str, payload: dict[str, Any]) -> str:
    body = canonical({"seq": seq, "kind": kind, "created_at": created_at, "reason": reason, "payload": payload})
    return sha256(prev_hash + body)


def verify_chain(entries: Sequence[dict[str, Any]]) -> int | None:
    """None if every entry's hash is right and links to the one before; else the first bad ``seq``.

    Each entry is a dict with ``seq, kind, created_at (ISO text), reason, payload, prev_hash, hash``.
    """
    prev = GENESIS
    for expected_seq, e in enumerate(entries, start=1):
        if e["seq"] != expected_seq or e["prev_hash"] != prev:
            return int(e["seq"])
        if entry_hash(prev, e["seq"], e["kind"], e["created_at"], e["reason"], e["payload"]) != e["hash"]:
            return int(e["seq"])
        prev = e["hash"]
    return None
