"""The security tests borrow fixtures from the folders whose features they attack."""

from tests.employee.conftest import employee, sent, sign_as_employer  # noqa: F401
from tests.webhooks.conftest import receiver, sessions  # noqa: F401
