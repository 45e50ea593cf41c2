"""The admin screens the team uses, walked as a member of each group: French only, and no raw
value of Python or of the database."""

import re
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from collectif.team.groups import sync_page_permissions
from home.models import MemberOrganisation
from tests.home.factories import build_site_tree

# Raw values and English words that the French admin must never show.
FORBIDDEN = re.compile(
    r"\b(True|False|None|is null|Slug|slug|Status|Root|e\.g|Hello|Salut|Edit|Delete|Save|"
    r"Cancel|Settings|Dashboard|Choose|Upload|Search|Draft|Live|Workflows?|workflows?|"
    r"Snippets?|Sort|Filter|Yes|No|Add|Page type|Untitled|External|Recommended|New)\b"
    # Words written for both genders rather than neutral wording.
    r"|\b(un|le|ce|Nouvel)\((e|la|tte|le)\)"
)
VISIBLE_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}


VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class VisibleText(HTMLParser):
    """The text a person reads: the body's text and the attributes screen readers speak,
    without scripts, styles and elements marked hidden."""

    def __init__(self):
        super().__init__()
        self.parts, self.open = [], []

    def hidden(self):
        return any(skip for _, skip in self.open)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skip = tag in ("script", "style") or "hidden" in attributes
        if tag not in VOID:
            self.open.append((tag, skip))
        if skip or self.hidden():
            return
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self.hidden() and data.strip():
            self.parts.append(data.strip())


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


class AdminLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree(pillars=1)
        # Wagtail's placeholder page goes, as load_demo_content does when the home page exists.
        Page.objects.filter(depth=2).exclude(pk=cls.tree["home"].pk).delete()
        sync_page_permissions()
        pillar = cls.tree["pillars"][0]
        pillar.save_revision()
        cls.image = get_image_model().objects.create(
            title="Parc", file=get_test_image_file(filename="parc.png")
        )
        cls.member = MemberOrganisation.objects.create(name="Organisation A", url="https://a.ca")
        cls.redirect = Redirect.objects.create(old_path="/ancienne", redirect_link="/plateforme/")
        query = Query.get("élections")
        cls.promotion = SearchPromotion.objects.create(
            query=query, page=cls.tree["themes"][0], sort_order=0
        )

    def screens(self):
        tree = self.tree
        pillar = tree["pillars"][0]
        revisions = list(pillar.revisions.order_by("pk").values_list("pk", flat=True))
        screens = ["/admin/", "/admin/pages/", f"/admin/pages/{tree['home'].pk}/"]
        screens += [f"/admin/pages/{tree['platform'].pk}/", f"/admin/pages/{tree['boussole'].pk}/"]
        for page in (tree["home"], tree["platform"], pillar, tree["boussole"], tree["themes"][0]):
            screens.append(f"/admin/pages/{page.pk}/edit/")
        screens += [
            f"/admin/pages/{tree['standard'].pk}/edit/",
            f"/admin/pages/add/home/standardpage/{tree['home'].pk}/",
            f"/admin/pages/add/pillars/pillarpage/{tree['platform'].pk}/",
            f"/admin/pages/{pillar.pk}/history/",
            f"/admin/pages/{pillar.pk}/revisions/compare/{revisions[0]}...{revisions[-1]}/",
            "/admin/images/",
            f"/admin/images/{self.image.pk}/",
            "/admin/images/multiple/add/",
            "/admin/documents/",
            "/admin/documents/multiple/add/",
            "/admin/snippets/home/memberorganisation/",
            "/admin/snippets/home/memberorganisation/add/",
            f"/admin/snippets/home/memberorganisation/edit/{self.member.pk}/",
            f"/admin/settings/collectif/sitesettings/{tree['home'].get_site().pk}/",
            "/admin/searchpicks/",
            "/admin/searchpicks/add/",
            f"/admin/searchpicks/{self.promotion.query.pk}/",
            f"/admin/searchpicks/{self.promotion.query.pk}/delete/",
            f"/admin/snippets/home/memberorganisation/delete/{self.member.pk}/",
            f"/admin/pages/{tree['standard'].pk}/delete/",
            "/admin/redirects/",
            "/admin/redirects/add/",
            f"/admin/redirects/{self.redirect.pk}/",
            "/admin/reports/workflow/",
            "/admin/reports/workflow_tasks/",
            "/admin/reports/site-history/",
            "/admin/reports/aging-pages/",
            "/admin/account/",
        ]
        return screens

    def member_of(self, group):
        user = get_user_model().objects.create_user(f"membre-{group}", password="x")
        user.groups.add(Group.objects.get(name=group))
        return user

    maxDiff = None

    def test_every_screen_of_the_editorial_groups_is_in_french(self):
        found = {}
        for group in ("Rédaction", "Révision"):
            self.client.force_login(self.member_of(group))
            for url in self.screens():
                response = self.client.get(url, follow=True)
                self.assertEqual(response.status_code, 200, url)
                words = {
                    match
                    for text in visible_text(response.content.decode())
                    for match in FORBIDDEN.findall(text)
                }
                if words:
                    found[f"{group} {url}"] = sorted(words)
        self.assertEqual(found, {})

    def test_the_campaign_teams_page_and_image_screens_are_in_french(self):
        # Its own campaign screens are tested with the campaigns.
        self.client.force_login(self.member_of("Campagnes"))
        theme = self.tree["themes"][0]
        found = {}
        for url in ("/admin/", f"/admin/pages/{theme.pk}/edit/", "/admin/images/"):
            response = self.client.get(url, follow=True)
            self.assertEqual(response.status_code, 200, url)
            words = {
                m for t in visible_text(response.content.decode()) for m in FORBIDDEN.findall(t)
            }
            if words:
                found[url] = sorted(words)
        self.assertEqual(found, {})

    def words_on(self, urls):
        found = {}
        for url in urls:
            response = self.client.get(url, follow=True)
            self.assertEqual(response.status_code, 200, url)
            words = {
                m for t in visible_text(response.content.decode()) for m in FORBIDDEN.findall(t)
            }
            if words:
                found[url] = sorted(words)
        return found

    def test_the_campaign_screens_are_in_french(self):
        from tests.campaigns.factories import campaign_on_theme, save_answers

        campaign, questionnaire, questions, invitations = campaign_on_theme(self.tree["themes"][0])
        for text in ("Premier jet", "Texte final"):
            save_answers(
                questionnaire, questions, invitations[0].party, **{questions[0].clean_name: text}
            )
        response = invitations[0].party.responses.get()
        self.client.force_login(self.member_of("Campagnes"))
        base = "/admin/snippets/campaigns/"
        found = self.words_on(
            [
                f"{base}campaign/",
                f"{base}campaign/add/",
                f"{base}campaign/edit/{campaign.pk}/",
                f"{base}campaign/tableau/{campaign.pk}/",
                f"{base}campaign/publier/{campaign.pk}/",
                f"{base}campaign/inviter/{campaign.pk}/",
                f"{base}questionnaire/",
                f"{base}questionnaire/add/",
                f"{base}questionnaire/edit/{questionnaire.pk}/",
                f"{base}party/",
                f"{base}party/add/",
                f"{base}party/edit/{invitations[0].party.pk}/",
                "/admin/campagnes-reponses/",
                f"/admin/campagnes-reponses/?campaign={campaign.pk}&status=submitted",
                f"/admin/campagnes-reponses/inspect/{response.pk}/",
                f"/admin/campagnes-reponses/history/{response.pk}/",
            ]
        )
        self.assertEqual(found, {})

    def test_the_subscribers_screens_are_in_french(self):
        from newsletter.models import Subscriber

        Subscriber.objects.create(email="parent@exemple.ca")
        self.client.force_login(self.member_of("Rédaction"))
        urls = [
            "/admin/snippets/newsletter/subscriber/",
            "/admin/snippets/newsletter/subscriber/?state=pending",
        ]
        self.assertEqual(self.words_on(urls), {})
        page = self.client.get(urls[1]).content.decode()
        self.assertIn("parent@exemple.ca", page)
        confirmed = self.client.get(urls[0] + "?state=confirmed").content.decode()
        self.assertNotIn("parent@exemple.ca", confirmed)
        # No subscriber at all: no « pas de abonné·e·s ».
        Subscriber.objects.all().delete()
        empty = self.client.get(urls[0]).content.decode()
        self.assertIn("Aucun élément à afficher (abonné·e·s).", empty)
        self.assertNotIn("pas de abonné", empty)

    def test_wagtails_review_emails_are_in_french(self):
        from django.core import mail

        editor = self.member_of("Rédaction")
        reviewer = self.member_of("Révision")
        reviewer.email, reviewer.first_name = "reviseur@example.org", "Marc"
        reviewer.save()
        pillar = self.tree["pillars"][0]
        pillar.save_revision(user=editor)
        pillar.get_workflow().start(pillar, editor)
        message = next(m for m in mail.outbox if m.to == ["reviseur@example.org"])
        self.assertTrue(message.body.strip().startswith("Bonjour Marc,"), message.body)
        words = re.sub(r"https?://\S+", "", message.subject + message.body)
        self.assertEqual(FORBIDDEN.findall(words), [], message.body)
