"""Electronic identification and signatures: the eID provider interface and its implementations.

This package never imports the Flask app (`app/`); the app wires it in.
"""
