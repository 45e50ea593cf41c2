"""Every form of the site, walked: each id that a label, a description or an error summary
points at exists in the page, so that a screen reader reads a field's help and errors when
the field takes the focus. The party's form is walked in each of its states."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.test import Client, TestCase

from tests.campaigns.factories import answer_data, campaign_on_theme, post_answers
from tests.home.factories import build_site_tree

REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "aria-errormessage")


class IdReferences(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.references, self.links, self.forms = set(), [], [], 0
        self.in_title, self.title = False, ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in REFERENCES:
            for target in (attrs.get(name) or "").split():
                self.references.append((tag, name, target))
        if tag == "label" and attrs.get("for"):
            self.references.append((tag, "for", attrs["for"]))
        if tag == "a" and attrs.get("href"):
            href = attrs["href"]
            if href.startswith("#") and len(href) > 1:
                self.references.append((tag, "href", href[1:]))
            self.links.append(href)
        if tag == "form":
            self.forms += 1
        self.in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data


def parse(response):
    parser = IdReferences()
    parser.feed(response.content.decode())
    return parser


class EveryFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site_tree()
        cls.theme = tree["themes"][0]
        cls.campaign, cls.questionnaire, cls.questions, cls.invitations = campaign_on_theme(
            cls.theme, parties=2
        )
        cls.invitation = cls.invitations[0]
        cls.form_url = cls.invitation.questionnaire_path(cls.questionnaire)

    def assert_references_exist(self, response, where):
        page = parse(response)
        missing = [ref for ref in page.references if ref[2] not in page.ids]
        self.assertEqual(missing, [], f"{where}: ids that do not exist")
        return page

    def crawl(self, client, start="/", limit=80):
        """The public pages reachable from the home page, and the forms on them."""
        seen, queue, pages = set(), [start], {}
        while queue and len(seen) < limit:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            page = self.assert_references_exist(response, path)
            pages[path] = page
            for href in page.links:
                parts = urlsplit(href)
                if parts.netloc or not parts.path.startswith("/"):
                    continue
                if re.match(r"^/(admin|static|media|documents|django-admin)/", parts.path):
                    continue
                queue.append(parts.path)
        return pages

    def test_every_public_page_and_its_forms(self):
        pages = self.crawl(Client())
        self.assertIn(self.theme.url, pages)
        self.assertGreater(sum(page.forms for page in pages.values()), 3)

    def test_the_newsletter_form_with_errors(self):
        response = self.client.post("/infolettre/", {"email": "pas un courriel"})
        self.assert_references_exist(response, "infolettre refusée")

    def test_the_party_form_in_each_of_its_states(self):
        party = Client()
        self.assert_references_exist(party.get(self.invitation.private_path), "accueil du parti")
        page = self.assert_references_exist(party.get(self.form_url), "formulaire vierge")
        self.assertFalse(page.title.startswith("Erreur"))

        # Submitted with errors: the summary, each field's error, its title.
        refused = post_answers(
            party,
            self.invitation,
            self.questions,
            action="submit",
            name="",
            **{self.questions[0].clean_name: ""},
        )
        self.assertEqual(refused.status_code, 400)
        page = self.assert_references_exist(refused, "formulaire refusé")
        self.assertTrue(page.title.startswith("Erreur : "), page.title)
        html = refused.content.decode()
        self.assertIn('href="#id_respondent_name"', html)
        self.assertIn(f'href="#id_{self.questions[0].clean_name}"', html)
        self.assertRegex(
            html,
            r'id="id_respondent_name"[^>]*aria-describedby="id_respondent_name_helptext '
            r'id_respondent_name_error"|aria-describedby="id_respondent_name_helptext '
            r'id_respondent_name_error"[^>]*id="id_respondent_name"',
        )
        self.assertEqual(html.count('role="alert"'), 1)
        # The form posts to its own page, never to the skip link's #contenu.
        self.assertIn(f'action="{self.form_url}"', html)

        # A date already past for an answer to come: that field's error is read too.
        key = self.questions[1].clean_name
        past = post_answers(
            party,
            self.invitation,
            self.questions,
            action="submit",
            **{f"{key}__status": "pending", f"{key}__pending_until": "2000-01-01"},
        )
        self.assertContains(past, f'id="id_{key}__pending_until_error"', status_code=400)
        self.assert_references_exist(past, "date passée")

        # Saved, then a stale tab: the conflict screen.
        self.assertEqual(post_answers(party, self.invitation, self.questions).status_code, 303)
        confirmed = party.get(self.form_url)
        self.assert_references_exist(confirmed, "brouillon enregistré")
        stale = party.post(self.form_url, answer_data(self.questions, base_revision=0))
        self.assertEqual(stale.status_code, 409)
        self.assert_references_exist(stale, "conflit")

        # The team's views of the same pages.
        team = Client()
        team.force_login(get_user_model().objects.create_superuser("admin", "", "x"))
        self.assert_references_exist(team.get(self.form_url), "lecture seule")
        enter = f"/campagnes/acces/{self.invitation.token}/saisie/"
        self.assert_references_exist(team.get(enter), "confirmation de la saisie")
        team.post(enter, {"action": "start"})
        self.assert_references_exist(team.get(self.form_url), "saisie au nom du parti")

    def test_the_counters_describe_their_field(self):
        html = self.client.get(self.form_url).content.decode()
        key = self.questions[0].clean_name
        field = re.search(rf'<textarea[^>]*id="id_{key}"[^>]*>', html).group(0)
        self.assertIn(f'aria-describedby="id_{key}_compte"', field)
        self.assertIn(f'id="id_{key}_compte"', html)
        self.assertNotIn('class="char-count" aria-live', html)
