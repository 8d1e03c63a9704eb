"""CCUS Vault project package: settings, URLs, the Celery app and the security core."""

from vault.celery import app as celery_app

__all__ = ["celery_app"]
