"""API keys: a company's credentials for the REST API and the SOAP service."""
