"""Invitation codes and staff-invite tokens: derived, normalised, hashed. No models.

A code is derived from a random nonce with an HMAC under SECRET_KEY, so the
database holds only the nonce and the code's SHA-256: a copy of the database
alone cannot join anyone to a study, and the staff can still show a code
again. Codes use Crockford's base-32 alphabet (no I, L, O, U), grouped in
fours, and typing is forgiving: case, spaces, dashes and the look-alikes
O→0, I/L→1 do not matter.
"""

from __future__ import annotations

import hashlib
import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
CODE_SALT = "fibrotrack.studies.invite-code"
STAFF_SALT = "fibrotrack.studies.staff-invite"
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_nonce() -> str:
    return secrets.token_hex(16)


def code_for(nonce: str) -> str:
    """The code a nonce stands for, e.g. ``"7K3M-Q9TX-2HBD"``."""
    digest = salted_hmac(CODE_SALT, nonce, algorithm="sha256").digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, rest = divmod(number, 32)
        chars.append(ALPHABET[rest])
    raw = "".join(chars)
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise(typed: str) -> str:
    """What the person typed, in the canonical form (``""`` when it cannot be a code)."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum()).translate(_LOOKALIKES)
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return ""
    return "-".join(cleaned[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def staff_token(nonce: str) -> str:
    return salted_hmac(STAFF_SALT, nonce, algorithm="sha256").hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
