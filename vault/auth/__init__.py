"""Where a request is let in: sign-in, the second factor, re-authentication and session limits."""
