"""BankID (RP API v6.0): client, QR codes, user messages, signature verifier and a test server."""
