"""Income per person and month from employers' AGI declarations (Skatteverket's IU)."""
