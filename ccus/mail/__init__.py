"""Emails sent once: the send state of a digest and the retries of a mail that failed."""
