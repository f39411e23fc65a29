"""Import jobs: payroll files (JSON, PAXml, AGI, CSV) read by the worker into drafts and income."""
