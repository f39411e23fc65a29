"""Logins the server can end: a record per login in one browser (app/logins/store.py)."""
