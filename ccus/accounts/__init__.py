"""The accounts: business and worker credentials, checked, stored, listed, shown on purpose."""
