"""Oversight for prime contractors (元請): engaged subcontractors' readiness, never a secret."""
