"""Checking a sealed certificate file (XML or PDF): on the command line and on a public page."""
