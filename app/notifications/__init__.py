"""Notifications: the texts and channels of the e-mail and SMS the outbox holds."""
