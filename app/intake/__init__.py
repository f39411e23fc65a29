"""Intake: everything between a payroll record (or the employer's form) and a certificate."""
