"""The certificate's blocks A–M, one schema each, grouped by what they describe."""
