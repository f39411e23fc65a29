"""The employee's pages: the inbox, reading, approving and asking for completion."""
