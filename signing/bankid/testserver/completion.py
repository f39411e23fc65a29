"""completionData for an approved order: the user, a real signature, and OCSP bound to it."""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any

from signing.bankid.testserver.ca import TEST_MOBILE_BANKID_POLICY, CertificateAuthority
from signing.bankid.testserver.document import SignedContent, sign_document
from signing.bankid.testserver.orders import Approval, Order
from signing.bankid.testserver.people import name_for

DEFAULT_SERVICE_NAME = (
    "cn=Intyga BankID-testserver,name=Intyga (test),serialNumber=0000000000,o=Intyga (test),c=SE"
)
DEFAULT_SERVICE_DISPLAY_NAME = "Intyga (test)"


class Completer:
    """Makes completionData the way BankID does, with the test server's own CA."""

    def __init__(
        self,
        ca: CertificateAuthority,
        *,
        service_name: str = DEFAULT_SERVICE_NAME,
        service_display_name: str = DEFAULT_SERVICE_DISPLAY_NAME,
    ) -> None:
        self._ca = ca
        self._service_name = service_name
        self._service_display_name = service_display_name

    def __call__(self, order: Order, approval: Approval) -> dict[str, Any]:
        number = approval.personal_number
        if approval.given_name and approval.surname:
            given_name, surname = approval.given_name, approval.surname
        else:
            given_name, surname = self._ca.known_name(number) or name_for(number)
        credential = self._ca.user(number, given_name, surname)
        uhi = base64.b64encode(hashlib.sha256(b"uhi:" + number.encode()).digest()[:21]).decode()
        content = SignedContent(
            func_id="Signing" if order.kind == "sign" else "Identification",
            user_visible_data=order.user_visible_data,
            user_non_visible_data=order.user_non_visible_data,
            service_name=self._service_name,
            service_display_name=self._service_display_name,
            nonce=secrets.token_bytes(20),
            uhi=uhi,
            certificate_policy=TEST_MOBILE_BANKID_POLICY,
        )
        chain = [credential.certificate, self._ca.issuing.certificate]
        signature = base64.b64encode(sign_document(content, credential.key, chain)).decode()
        # BankID binds the OCSP response to the signature: nonce = SHA-1 of the base64 text.
        nonce = hashlib.sha1(signature.encode("ascii")).digest()  # noqa: S324 - BankID's choice
        ocsp_response = self._ca.ocsp_response(credential.certificate, nonce)
        data: dict[str, Any] = {
            "user": {
                "personalNumber": number,
                "name": f"{given_name} {surname}",
                "givenName": given_name,
                "surname": surname,
            },
            "device": {"ipAddress": approval.ip_address, "uhi": uhi},
            "bankIdIssueDate": credential.certificate.not_valid_before_utc.date().isoformat(),
            "signature": signature,
            "ocspResponse": base64.b64encode(ocsp_response).decode(),
        }
        if order.requirement.get("mrtd"):
            data["stepUp"] = {"mrtd": True}
        if order.return_risk:
            data["risk"] = "low"
        return data
