from django.core.management.base import BaseCommand

from collectif.content.links import base_url, set_default_site_address


class Command(BaseCommand):
    help = (
        "Puts the default Wagtail Site at the address the site is served at "
        "(WAGTAILADMIN_BASE_URL, or the address given), so that the links of emails and "
        "tasks open it. `make run` runs it with its HOST and PORT; run it at each deployment."
    )

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", help="e.g. https://collectifpetiteenfance.org")

    def handle(self, *args, address=None, **options):
        set_default_site_address(address)
        if options["verbosity"] > 1:
            self.stdout.write(f"Adresse du site : {base_url()}")
