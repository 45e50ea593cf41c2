from django.core.management.base import BaseCommand

from collectif.delivery import cache


class Command(BaseCommand):
    help = (
        "Renews every public page of the cache (and asks the caching proxy to drop them), "
        "with what the renders reuse (sites, routes, renders): after a restore or a change "
        "made outside the site. Sessions, rate limits and lockouts are kept."
    )

    def handle(self, *args, **options):
        cache.bump_on_commit("commande renew_public_pages")
        self.stdout.write("Pages publiques renouvelées : refaites à leur prochaine visite.")
