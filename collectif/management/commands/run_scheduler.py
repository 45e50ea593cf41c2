import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Publishes and unpublishes the pages whose scheduled time has come, every --interval "
        "seconds (Wagtail's publish_scheduled, in a loop). For a server without cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60)
        parser.add_argument("--once", action="store_true", help="Run once, then exit.")

    def handle(self, *args, interval, once, **options):
        while True:
            call_command("publish_scheduled", stdout=self.stdout)
            if once:
                return
            time.sleep(interval)
