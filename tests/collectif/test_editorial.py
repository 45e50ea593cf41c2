from datetime import timedelta
from io import StringIO

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from wagtail.models import Page, Workflow

from pillars.models import PillarPage
from tests.home.factories import build_site_tree


class EditorialSetupTests(TestCase):
    def test_the_review_workflow_is_the_collectifs_in_french(self):
        workflow = Workflow.objects.get(active=True)
        self.assertEqual(workflow.name, "Révision avant publication")
        task = workflow.tasks.get().specific
        self.assertEqual(task.name, "Révision par l’équipe")
        self.assertEqual([g.name for g in task.groups.all()], ["Révision"])
        self.assertEqual(Page.get_first_root_node().get_workflow(), workflow)
        self.assertTrue(
            {"Rédaction", "Révision", "Campagnes"}
            <= set(Group.objects.values_list("name", flat=True))
        )

    def test_scheduled_page_goes_live_when_the_scheduler_runs(self):
        tree = build_site_tree()
        pillar = tree["pillars"][0]
        pillar.title = "Pilier programmé"
        pillar.go_live_at = timezone.now() - timedelta(minutes=1)
        pillar.unpublish()
        revision = pillar.save_revision(approved_go_live_at=pillar.go_live_at)
        self.assertFalse(PillarPage.objects.get(pk=pillar.pk).live)
        call_command("run_scheduler", once=True, stdout=StringIO())
        pillar.refresh_from_db()
        self.assertTrue(pillar.live)
        self.assertEqual(pillar.live_revision_id, revision.pk)
        self.assertContains(self.client.get(pillar.url), "Pilier programmé")


class SocialMetaTests(TestCase):
    def test_pages_carry_their_search_and_sharing_tags(self):
        from wagtail.images import get_image_model
        from wagtail.images.tests.utils import get_test_image_file

        tree = build_site_tree()
        pillar = tree["pillars"][0]
        pillar.seo_title = "Pilier : titre pour le partage"
        pillar.search_description = "Résumé du pilier pour les moteurs."
        pillar.social_image = get_image_model().objects.create(
            title="Partage", file=get_test_image_file(filename="partage.png", size=(1400, 800))
        )
        pillar.save_revision().publish()
        response = self.client.get(pillar.url)
        self.assertContains(response, "<title>Pilier : titre pour le partage · Collectif")
        self.assertContains(response, '<meta name="description" content="Résumé du pilier')
        self.assertContains(response, '<meta property="og:title" content="Pilier : titre')
        self.assertContains(response, '<meta property="og:image" content="http://testserver/')
        self.assertContains(response, '<meta property="og:image:width" content="1200">')
        self.assertContains(
            response, f'<link rel="canonical" href="http://testserver{pillar.url}">'
        )


class ContentCheckerTests(TestCase):
    def test_the_accessibility_checker_looks_at_the_content_with_the_sites_rules(self):
        from django.contrib.auth import get_user_model

        tree = build_site_tree()
        editor = get_user_model().objects.create_superuser("redaction", "r@example.org", "x")
        self.client.force_login(editor)
        html = self.client.get(tree["pillars"][0].url).content.decode()
        self.assertIn('"include": ["main"]', html)
        self.assertIn('"alt-text-quality", "empty-meta-description", "image-alt", "list"]', html)
        self.assertIn("Image sans texte de remplacement", html)


class MetaDescriptionTests(TestCase):
    def test_every_page_has_a_description_even_when_editors_leave_it_empty(self):
        tree = build_site_tree(pillars=1)
        pillar = tree["pillars"][0]
        pillar.intro = ""
        pillar.save_revision().publish()
        for page, expected in (
            (tree["home"], "Que le Québec offre à chaque enfant"),
            (pillar, f"{pillar.title}, pilier de la plateforme du Collectif petite enfance : "),
            (tree["themes"][0], "Ce que le Collectif croit."),
        ):
            with self.subTest(page=page.title):
                self.assertContains(
                    self.client.get(page.url), f'<meta name="description" content="{expected}'
                )

    def test_favicon(self):
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].endswith("img/favicon.svg"))


class TitleTests(TestCase):
    def test_the_site_name_is_not_repeated_in_the_title(self):
        tree = build_site_tree(pillars=1)
        home = tree["home"]
        home.seo_title = "Collectif petite enfance"
        home.save_revision().publish()
        self.assertContains(self.client.get(home.url), "<title>Collectif petite enfance</title>")
        self.assertContains(
            self.client.get(tree["pillars"][0].url),
            f"<title>{tree['pillars'][0].title} · Collectif petite enfance</title>",
        )
        self.assertContains(
            self.client.get("/recherche/"), "<title>Recherche · Collectif petite enfance</title>"
        )
