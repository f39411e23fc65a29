"""Demo data: one company, its two users, employees and certificates in every state."""
