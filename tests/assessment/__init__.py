"""Tests of the preliminary assessment under the 2025 rules: cases, skips, parameters, sources."""
