"""OpenSSL as an independent validator of our RFC 3161 timestamps."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization


def openssl_verifies_timestamp(
    tmp_path: Path, token: bytes, data: bytes, root: x509.Certificate
) -> None:
    """`openssl ts -verify` accepts `token` over `data` with `root` as the only trust anchor
    (skips the test where OpenSSL is missing)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    (tmp_path / "token.der").write_bytes(token)
    (tmp_path / "data").write_bytes(data)
    (tmp_path / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    arguments = ["-token_in", "-in", "token.der", "-data", "data", "-CAfile", "root.pem"]
    checked = subprocess.run(  # noqa: S603 - a fixed program and arguments
        [openssl, "ts", "-verify", *arguments],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Verification: OK" in checked.stdout, checked.stderr
