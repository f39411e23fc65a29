"""Certificates (arbetsgivarintyg): their versions, signatures, messages and life cycle."""
