"""Anchors: the chain's head, sealed with the service seal and exported as files.

A writer to the database can delete the newest events and move the head back: what is left
still links. An anchor is a statement outside the database, "at this time the chain held `pos`
events ending in `link`", so `audit-verify` finds such a cut as soon as it reaches back past
an anchor. The anchor is signed with the service seal's private key, not with the HMAC key:
- it can be checked by anyone holding the seal certificate (an auditor, the a-kassa, a court),
  without being given a secret that would also let them forge events;
- whoever learns AUDIT_KEY and can write to the database could re-link the whole chain, but
  cannot re-seal the anchors already exported, so the rewrite still shows.
The directory (AUDIT_ANCHOR_DIR) should be storage the database's users cannot write: another
host, an object store with retention (WORM), or a copy shipped off the machine.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from signing.seal import ServiceSeal

KIND = "intyga-audit-anchor"
PATTERN = "anchor-*.json"


class AnchorInvalidError(ValueError):
    """An anchor file that is not an intact anchor sealed by a trusted seal."""


@dataclass(frozen=True)
class Anchor:
    pos: int
    link: str
    sealed_at: datetime
    path: Path

    @property
    def label(self) -> str:
        return f"{self.sealed_at.isoformat(timespec='seconds')} ({self.path.name})"


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def write(directory: Path, seal: ServiceSeal, *, pos: int, link: str, now: datetime) -> Anchor:
    """Seal and export one anchor; written to a temporary name and renamed, so a reader never
    sees half a file."""
    payload = {"kind": KIND, "version": 1, "pos": pos, "link": link, "sealed_at": now.isoformat()}
    key = seal.private_key
    message = _canonical(payload)
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    else:
        signature = key.sign(message, ec.ECDSA(hashes.SHA256()))
    document = {
        "payload": payload,
        "signature": base64.b64encode(signature).decode(),
        "certificate": seal.certificate_pem.decode(),
    }
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"anchor-{pos:012d}-{now.strftime('%Y%m%dT%H%M%S%fZ')}.json"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(document, indent=2))
    temporary.replace(path)
    return Anchor(pos, link, now, path)


def load(directory: Path, trusted: Sequence[x509.Certificate]) -> list[Anchor]:
    """Every anchor in `directory`, oldest position first; raises AnchorInvalidError for any file
    that does not verify (a forged or edited anchor is itself a finding)."""
    if not directory.is_dir():
        return []
    return sorted(
        (_read(path, trusted) for path in directory.glob(PATTERN)),
        key=lambda anchor: (anchor.pos, anchor.sealed_at),
    )


def latest(directory: Path, trusted: Sequence[x509.Certificate]) -> Anchor | None:
    """The newest anchor: file names sort by position, then time, so only one file is read."""
    if not directory.is_dir():
        return None
    newest = max(directory.glob(PATTERN), default=None)
    return _read(newest, trusted) if newest is not None else None


def _read(path: Path, trusted: Sequence[x509.Certificate]) -> Anchor:
    try:
        document = json.loads(path.read_text())
        payload = document["payload"]
        signature = base64.b64decode(document["signature"], validate=True)
        certificate = x509.load_pem_x509_certificate(document["certificate"].encode())
        if payload["kind"] != KIND or payload["version"] != 1:
            raise AnchorInvalidError(f"{path.name}: not an audit anchor")
        anchor = Anchor(
            int(payload["pos"]),
            str(payload["link"]),
            datetime.fromisoformat(payload["sealed_at"]),
            path,
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, AnchorInvalidError):
            raise
        raise AnchorInvalidError(f"{path.name}: unreadable anchor ({exc})") from exc
    if certificate not in trusted:
        raise AnchorInvalidError(f"{path.name}: sealed by a certificate that is not our seal")
    public_key = certificate.public_key()
    message = _canonical(payload)
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
        else:
            raise AnchorInvalidError(f"{path.name}: unsupported seal key")
    except InvalidSignature as exc:
        raise AnchorInvalidError(f"{path.name}: the seal over the anchor does not verify") from exc
    return anchor
