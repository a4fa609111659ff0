"""Web Push with VAPID: the server's key pair, and one message to one device.

The key pair comes from the environment (``VAPID_PRIVATE_KEY``: the PEM, or
the raw 32-byte key in URL-safe base64 as web-push tools print it), or is
generated on first use into the var directory (``var/vapid_private.pem``,
like ``var/secret_key``), so a checkout needs no set-up. Changing the key
makes every browser's subscription useless: keep it with the database.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from dataclasses import dataclass
from email.utils import parseaddr
from functools import cache
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

log = logging.getLogger(__name__)

# A push service that hangs must not hold up the rest of the batch.
TIMEOUT_SECONDS = 5
# A reminder is worth nothing tomorrow: the push service may drop it after this many seconds.
TTL_SECONDS = 6 * 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _load_private_key(text: str) -> ec.EllipticCurvePrivateKey:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("VAPID_PRIVATE_KEY must be an EC P-256 key")
        return key
    return ec.derive_private_key(int.from_bytes(_unb64(text), "big"), ec.SECP256R1())


def _generated_key(path: Path) -> ec.EllipticCurvePrivateKey:
    try:
        return _load_private_key(path.read_text())
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:  # O_EXCL: two processes starting at once keep the first one's key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _load_private_key(path.read_text())
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return _load_private_key(pem.decode())


@cache
def _key(configured: str, path: str) -> ec.EllipticCurvePrivateKey:
    return _load_private_key(configured) if configured else _generated_key(Path(path))


def private_key() -> ec.EllipticCurvePrivateKey:
    return _key(getattr(settings, "VAPID_PRIVATE_KEY", ""), str(Path(settings.VAR_DIR) / "vapid_private.pem"))


def public_key() -> str:
    """The application server key for ``pushManager.subscribe``: the uncompressed point, URL-safe base64."""
    point = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return _b64(point)


def subject() -> str:
    return getattr(settings, "VAPID_SUBJECT", "") or f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    gone: bool = False  # 404 or 410: the subscription has expired; remove it


def send(subscription: dict[str, Any], payload: dict[str, Any]) -> Outcome:
    """Encrypt and post one message. Never raises for a push service's answer or absence."""
    try:
        webpush(
            subscription,
            json.dumps(payload),
            vapid_private_key=Vapid02(private_key=private_key()),
            vapid_claims={"sub": subject()},
            timeout=TIMEOUT_SECONDS,
            ttl=TTL_SECONDS,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in (404, 410):
            return Outcome(delivered=False, gone=True)
        log.warning("push to %s failed: %s", subscription.get("endpoint", "")[:60], status)
        return Outcome(delivered=False)
    except (requests.RequestException, OSError, ValueError) as error:
        log.warning("push to %s failed: %s", subscription.get("endpoint", "")[:60], type(error).__name__)
        return Outcome(delivered=False)
    return Outcome(delivered=True)
