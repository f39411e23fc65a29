"""The transactional outbox: side effects written with the change, sent later by the worker."""
