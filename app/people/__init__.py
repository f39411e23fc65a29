"""People: everyone who logs in or is named on a certificate, identified by personnummer."""
