from io import StringIO

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

import boussole.demo
import campaigns.demo
import home.demo
import pillars.demo
from collectif.team.groups import sync_page_permissions

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Command(BaseCommand):
    help = (
        "Builds the page tree from the Collectif's texts and publishes it. Safe to run again: "
        "existing pages (found by slug) are left as the editors made them."
    )

    def handle(self, *args, **options):
        # Saving the pages asks Wagtail to update its search and reference indexes in the
        # background: dozens of tasks that the worker of `make run` would then report one by
        # one. They are done here and now instead.
        with override_settings(TASKS=IMMEDIATE_TASKS):
            with transaction.atomic():
                home_page = home.demo.load()
                pillars.demo.load(home_page)
                invitations = campaigns.demo.load()
                boussole.demo.load(home_page)
                # The groups' page permissions hang on the pages just made.
                sync_page_permissions()
            call_command("update_index", stdout=StringIO())
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration chargé."))
        self.stdout.write("Liens privés des partis fictifs de la campagne de démonstration :")
        for invitation in invitations:
            self.stdout.write(f"  {invitation.party.name} : {invitation.private_url()}")
