import html
import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from wagtail.models import Page, Site

from boussole.models import ThemePage
from home.models import HomePage, MemberOrganisation
from pillars.models import PillarPage

# The Collectif's original texts, kept as they were given, byte for byte.
SEEDS_DIR = Path(__file__).resolve().parent / "seeds"


def seed_sentences():
    """Every line of text of the Collectif's seeds, without list markers and numbering."""
    sentences = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = normalise(line.strip().lstrip("•-").strip())
            if text and not re.fullmatch(r"\d+\.", text):
                sentences.append(text)
    return sentences


def normalise(text):
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def visible_text(content):
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return normalise(html.unescape(re.sub(r"<[^>]+>", " ", text)))


class LoadDemoContentTests(TestCase):
    def load(self):
        out = StringIO()
        call_command("load_demo_content", stdout=out)
        return out.getvalue()

    def test_builds_the_page_tree_published(self):
        self.assertIn("Contenu de démonstration chargé", self.load())
        home = HomePage.objects.get()
        self.assertEqual(Site.objects.get(is_default_site=True).root_page_id, home.pk)
        self.assertEqual(
            list(PillarPage.objects.order_by("path").values_list("title", flat=True)),
            ["Enfant", "Parents", "Conditions de vie", "Agir ensemble"],
        )
        self.assertEqual(ThemePage.objects.get().url_path, "/accueil/boussole/agir-ensemble/")
        self.assertFalse(Page.objects.filter(depth__gt=1, live=False).exists())
        self.assertFalse(Page.objects.filter(depth=2).exclude(pk=home.pk).exists())

    def counts(self):
        from campaigns.models import Campaign, Invitation, Party, Question, Response

        return [
            model.objects.count()
            for model in (
                Page,
                MemberOrganisation,
                Campaign,
                Party,
                Invitation,
                Question,
                Response,
            )
        ]

    def test_is_idempotent(self):
        self.load()
        counts = self.counts()
        self.assertEqual(counts[2:], [1, 3, 3, 3, 2])
        revisions = [p.latest_revision_id for p in Page.objects.order_by("path")]
        self.load()
        self.assertEqual(self.counts(), counts)
        self.assertEqual([p.latest_revision_id for p in Page.objects.order_by("path")], revisions)

    def test_leaves_an_editors_changes_alone(self):
        self.load()
        pillar = PillarPage.objects.get(slug="enfant")
        pillar.title = "Enfance"
        pillar.measures = []
        pillar.save_revision().publish()
        self.load()
        pillar.refresh_from_db()
        self.assertEqual((pillar.title, len(pillar.measures)), ("Enfance", 0))

    def test_prints_the_private_links_of_the_demo_parties(self):
        from campaigns.models import Invitation

        out = self.load()
        for invitation in Invitation.objects.select_related("party"):
            self.assertIn(f"{invitation.party.name} : {invitation.private_url()}", out)

    def test_every_seed_sentence_is_on_the_site(self):
        self.load()
        sentences = seed_sentences()
        self.assertGreater(len(sentences), 40)
        site_text = " ".join(
            visible_text(self.client.get(page.url).content.decode())
            for page in Page.objects.live().filter(depth__gt=1).specific()
        )
        missing = [s for s in sentences if s not in site_text]
        self.assertEqual(missing, [])
        # French typography is kept as typed: curly apostrophes and accents.
        self.assertIn("D’ici les cinq prochaines années", site_text)
        self.assertIn("Élections québecoises 2022", site_text)


class CreateDemoAdminTests(TestCase):
    def test_creates_an_admin_once_and_prints_its_login(self):
        from django.contrib.auth import get_user_model

        out = StringIO()
        call_command("create_demo_admin", stdout=out)
        password = re.search(r"mot de passe\s*: (\S+)", out.getvalue()).group(1)
        self.assertTrue(self.client.login(username="admin", password=password))

        out = StringIO()
        call_command("create_demo_admin", stdout=out)
        self.assertIn("existe déjà", out.getvalue())
        self.assertEqual(get_user_model().objects.filter(is_superuser=True).count(), 1)
