"""Every link the site prints or mails opens the address it is served at."""

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings

from wagtail.models import Site

from collectif.content.links import absolute_url, base_url
from tests.home.factories import build_site_tree

ADDRESS = "http://127.0.0.1:8300"


@override_settings(WAGTAILADMIN_BASE_URL=ADDRESS)
class SiteAddressTests(TestCase):
    """What `make run PORT=8300` does: WAGTAILADMIN_BASE_URL from its HOST and PORT, and
    `set_site_address` before the demo content and the demo admin."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree(pillars=1)

    def test_the_default_site_follows_the_address(self):
        call_command("set_site_address", stdout=StringIO())
        site = Site.objects.get(is_default_site=True)
        self.assertEqual((site.hostname, site.port), ("127.0.0.1", 8300))
        self.assertEqual(base_url(), ADDRESS)
        self.assertEqual(absolute_url("/admin/"), ADDRESS + "/admin/")
        self.assertEqual(self.tree["pillars"][0].full_url, ADDRESS + self.tree["pillars"][0].url)
        call_command("set_site_address", "https://collectif.example", stdout=StringIO())
        self.assertEqual(base_url(), "https://collectif.example")

    def test_the_demo_admin_is_told_the_address(self):
        call_command("set_site_address", stdout=StringIO())
        out = StringIO()
        call_command("create_demo_admin", stdout=out)
        self.assertIn(f"adresse       : {ADDRESS}/admin/", out.getvalue())
        out = StringIO()
        call_command("create_demo_admin", stdout=out)
        self.assertIn(f"Administration : {ADDRESS}/admin/", out.getvalue())

    def test_a_request_gives_its_own_address(self):
        from django.test import RequestFactory

        request = RequestFactory().get("/", HTTP_HOST="collectif.example:8443", secure=True)
        self.assertEqual(base_url(request), "https://collectif.example:8443")

    def test_wagtails_review_emails_link_to_the_address(self):
        call_command("set_site_address", stdout=StringIO())
        users = get_user_model().objects
        editor = users.create_user("redactrice", "redactrice@example.org", "x", first_name="Léa")
        editor.groups.add(Group.objects.get(name="Rédaction"))
        reviewer = users.create_user("reviseur", "reviseur@example.org", "x", first_name="Marc")
        reviewer.groups.add(Group.objects.get(name="Révision"))
        pillar = self.tree["pillars"][0]
        pillar.save_revision(user=editor)
        pillar.get_workflow().start(pillar, editor)
        message = next(m for m in mail.outbox if m.to == ["reviseur@example.org"])
        links = re.findall(r"https?://[^\s\"<]+", message.body)
        self.assertTrue(links)
        for link in links:
            self.assertTrue(link.startswith(ADDRESS), link)
