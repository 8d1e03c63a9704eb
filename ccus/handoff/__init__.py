"""One-time links that put a worker's own CCUS login in the worker's hands, opened with a PIN."""
