"""Tests of the payroll adapters: each format against its fixtures and the real PAXml samples."""
