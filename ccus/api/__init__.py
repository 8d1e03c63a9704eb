"""A read-only JSON API of a prime's oversight figures for its own systems, behind firm tokens."""
