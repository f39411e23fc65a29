"""Employees asking an employer for a certificate, and the employer's answer."""
