"""A person's rights over their data, as operators carry them out: export and erasure."""
