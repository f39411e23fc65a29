"""A test PKI for the service's seal: root, seal CA, seal, TSA and OCSP, over real HTTP.

For development, demos and tests only (see `authority` and `server`).
"""

from signing.testpki.authority import TestPKI
from signing.testpki.server import PKITestServer, RunningPKI, create_pki_server, serving

__all__ = ["PKITestServer", "RunningPKI", "TestPKI", "create_pki_server", "serving"]
