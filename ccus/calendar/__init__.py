"""A per-member iCalendar feed of the firm's expiry and fee dates, behind a revocable token."""
