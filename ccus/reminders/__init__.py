"""Reminder emails: what is due for whom, planned once each, sent as one digest per recipient."""
