"""Background work on the encrypted values: the nightly check that every value opens."""

from celery import shared_task


@shared_task(acks_late=True, time_limit=3600, soft_time_limit=3500)
def verify_encrypted_values() -> int:
    """Open every stored value for its record; remember those that do not (for the report)."""
    from vault.crypto.rewrite import encrypted_models
    from vault.crypto.tamper import scan_model

    return sum(scan_model(model)[1] for model in encrypted_models())
