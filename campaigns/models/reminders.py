"""Reminders before a party's deadline, one row per invitation, offset and deadline."""

from datetime import timedelta

from django.db import models


class Reminder(models.Model):
    """One reminder email to one party, `days_before` its deadline as it stood when planned.

    Unique per (invitation, offset, deadline): saving the campaign again plans nothing twice,
    and a task that runs twice finds `sent_at` set. A changed deadline or offset plans new
    rows; the old ones are skipped, with the reason."""

    invitation = models.ForeignKey(
        "campaigns.Invitation", related_name="reminders", on_delete=models.CASCADE
    )
    days_before = models.PositiveSmallIntegerField("jours avant la date limite")
    deadline = models.DateTimeField("date limite visée")
    send_at = models.DateTimeField("prévu le")
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    skipped_at = models.DateTimeField("annulé le", null=True, blank=True)
    skip_reason = models.CharField("raison de l’annulation", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "days_before", "deadline"], name="one_reminder_per_offset"
            )
        ]
        ordering = ["send_at"]
        verbose_name = "rappel"
        verbose_name_plural = "rappels"

    def __str__(self):
        return f"{self.invitation} — {self.days_before} j"

    @staticmethod
    def time_for(deadline, days_before):
        return deadline - timedelta(days=days_before)
