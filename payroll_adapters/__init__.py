"""Payroll formats (our JSON, SOAP, PAXml, AGI XML, CSV) turned into certificate drafts.

Pure: bytes in, drafts and problems out; no Flask, no database (see payroll-formats.md).
"""
