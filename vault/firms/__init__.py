"""Firms (tenants): organizations, their members and roles, and what each role may do."""
