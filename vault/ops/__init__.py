"""Running the service: request context and JSON logs, metrics, error reports, health, proxy."""
