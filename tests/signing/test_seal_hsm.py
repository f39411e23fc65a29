"""The seal's key in an HSM through PKCS#11 (SoftHSM stands in for the hardware): it seals at
B-LT, verifies like any seal, and never gives its key out."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pkcs11
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

from signing.document import evidence_document
from signing.seal import ServiceSeal, seal_xml, verify_seal_xml
from signing.testpki import RunningPKI
from tests.signing.conftest_seal import make_document

SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
PIN = "5678"


@pytest.fixture
def token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ec.EllipticCurvePublicKey:
    """A fresh SoftHSM token "intyga" holding an EC P-256 key "seal"; its public key."""
    utility = shutil.which("softhsm2-util")
    if utility is None or not SOFTHSM.exists():
        pytest.skip("SoftHSM is not installed (make system-packages)")
    (tmp_path / "tokens").mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    subprocess.run(  # noqa: S603 - a fixed program and arguments
        [utility, "--init-token", "--free", "--label", "intyga", "--so-pin", "1234", "--pin", PIN],
        check=True,
        capture_output=True,
    )
    session = pkcs11.lib(str(SOFTHSM)).get_token(token_label="intyga").open(user_pin=PIN, rw=True)
    with session:
        parameters = session.create_domain_parameters(
            pkcs11.KeyType.EC,
            {pkcs11.Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")},
            local=True,
        )
        public, _ = parameters.generate_keypair(store=True, label="seal")
        loaded = serialization.load_der_public_key(encode_ec_public_key(public))
    assert isinstance(loaded, ec.EllipticCurvePublicKey)
    return loaded


def test_a_seal_whose_key_is_in_an_hsm_seals_at_b_lt(
    token: ec.EllipticCurvePublicKey, test_pki: RunningPKI, tmp_path: Path
) -> None:
    certificate = test_pki.pki.issue_seal_certificate(token)
    chain = tmp_path / "seal-chain.pem"
    chain.write_bytes(
        b"".join(
            c.public_bytes(serialization.Encoding.PEM)
            for c in (certificate, test_pki.pki.seal_ca.certificate)
        )
    )
    root = test_pki.pki.root.certificate
    seal = replace(
        ServiceSeal.from_pkcs11(str(SOFTHSM), "intyga", "seal", PIN, chain),
        tsa_url=test_pki.tsa_url,
        roots=(root,),
    )
    with pytest.raises(TypeError, match="stays in the HSM"):
        _ = seal.private_key_pem
    sealed = seal_xml(evidence_document(make_document()), seal)
    result = verify_seal_xml(sealed, trusted=[root])
    assert result.ok, result.detail
    assert result.evidence is not None
    assert result.evidence.level == "B-LT"
    assert result.evidence.path[0] == certificate
    with pytest.raises(ValueError, match="no key 'other'"):
        ServiceSeal.from_pkcs11(str(SOFTHSM), "intyga", "other", PIN, chain)
