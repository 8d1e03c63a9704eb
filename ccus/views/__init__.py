"""Views of CCUS Vault, split by audience."""
