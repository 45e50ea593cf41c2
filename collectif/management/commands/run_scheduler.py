import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from campaigns.indexing import reindex_campaigns_due, renew_campaigns_whose_calendar_turned
from collectif.operations.worker import DATABASE_ERRORS, requeue_stale_tasks, wait_for_database
from newsletter.tasks import announce_due_publications, queue_correction_digests

# Personal data past its retention is purged once a day (and when the scheduler starts).
PURGE_EVERY_SECONDS = 24 * 3600


class Command(BaseCommand):
    help = (
        "Every --interval seconds: publishes and unpublishes the pages whose time has come "
        "(Wagtail's publish_scheduled), indexes the answers of campaigns whose embargo has "
        "ended, renews the pages of those the clock opened or closed, tells the campaigns' "
        "followers (publication, daily digest of corrections), "
        "and puts back in the queue the tasks a dead worker left running. Once a day: "
        "purge_personal_data. For a server without cron. Waits for the database when it is "
        "unavailable."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60)
        parser.add_argument("--once", action="store_true", help="Run once, then exit.")

    def handle(self, *args, interval, once, **options):
        last_purge = None
        while True:
            try:
                call_command("publish_scheduled", stdout=self.stdout)
                reindex_campaigns_due()
                renew_campaigns_whose_calendar_turned()
                announce_due_publications()
                queue_correction_digests()
                requeue_stale_tasks()
                if last_purge is None or time.monotonic() - last_purge >= PURGE_EVERY_SECONDS:
                    call_command("purge_personal_data", stdout=self.stdout)
                    last_purge = time.monotonic()
            except DATABASE_ERRORS as error:
                # PostgreSQL stopped or restarting: wait for it, then run this pass again.
                wait_for_database("le planificateur", error)
                continue
            if once:
                return
            time.sleep(interval)
