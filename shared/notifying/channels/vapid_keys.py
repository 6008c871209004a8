"""The branch's VAPID key pair: made once, kept as a PEM file the notify worker reads; the
public half goes to the visitors' pages as the applicationServerKey."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid, VapidException

from shared.notifying.channels import ChannelUnavailable


class VapidKeyProblem(ChannelUnavailable):
    """The key file is missing, unreadable or not a P-256 private key."""


def generate_vapid_key_pair(path: str | Path, *, replace: bool = False) -> str:
    """Write a new P-256 key pair to `path` (PEM, readable by its owner only) and return the
    public key as the browser's applicationServerKey wants it (base64url, no padding).
    An existing file is kept unless `replace`: a new key orphans every subscription."""
    path = Path(path)
    if path.exists() and not replace:
        raise VapidKeyProblem(f"{path} exists; every subscription depends on it (replace it "
                              "only on purpose)")
    key = Vapid()
    key.generate_keys()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key.private_pem())
    return application_server_key(key)


def load_vapid_key(path: str | Path) -> Vapid:
    if not Path(path).is_file():
        raise VapidKeyProblem(f"{path}: no such key file; make one with `antrean notify keys`")
    try:
        return Vapid.from_file(str(path))
    except VapidException:
        raise VapidKeyProblem(f"{path}: not a VAPID private key (PEM)") from None


def vapid_public_key(path: str | Path) -> str:
    """The applicationServerKey of the key pair in `path`."""
    return application_server_key(load_vapid_key(path))


def application_server_key(key: Vapid) -> str:
    raw = key.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
