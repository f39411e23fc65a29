"""The audit trail: every transition, hash-chained so that any edit or gap shows."""
