"""Webhooks: certificate state changes POSTed, signed, to a company's payroll system."""
