"""eID orders (BankID): starting, following and finishing identifications and signatures.

Login and signing both go through here, so the rules about whose order is whose, replay and
verification of what BankID returns live in one place.
"""
