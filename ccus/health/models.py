"""A firm's own readiness as it stood in one week, to draw its health over time."""

from django.db import models

from vault.firms.models import Organization


class HealthSnapshot(models.Model):
    """The firm's readiness score and figures of one week (taken on Mondays)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="health_snapshots"
    )
    week = models.DateField()
    score = models.PositiveSmallIntegerField()
    stats = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "week"], name="health_once_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.week}: {self.score}"
