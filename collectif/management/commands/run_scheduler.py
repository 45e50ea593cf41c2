import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from campaigns.indexing import reindex_campaigns_due


class Command(BaseCommand):
    help = (
        "Every --interval seconds: publishes and unpublishes the pages whose time has come "
        "(Wagtail's publish_scheduled) and indexes the answers of campaigns whose embargo has "
        "ended. For a server without cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60)
        parser.add_argument("--once", action="store_true", help="Run once, then exit.")

    def handle(self, *args, interval, once, **options):
        while True:
            call_command("publish_scheduled", stdout=self.stdout)
            reindex_campaigns_due()
            if once:
                return
            time.sleep(interval)
