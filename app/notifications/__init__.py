"""Notifications: the worker that sends the outbox's e-mail and SMS and runs the deadline jobs."""
