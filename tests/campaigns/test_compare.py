"""Readers compare the parties, find campaigns by the search, read the Collectif's words."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from wagtail.search import index

from tests.campaigns.factories import CampaignOnThemeTestData, campaign_on_theme, save_answers
from tests.campaigns.worker import run_queued_tasks
from tests.home.factories import build_site_tree


class ComparisonTests(CampaignOnThemeTestData, TestCase):
    parties = 3

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for invitation in cls.invitations:
            save_answers(
                cls.questionnaire,
                cls.questions,
                invitation.party,
                **{
                    q.clean_name: f"Réponse de {invitation.party.short_name} à Q{i}"
                    for i, q in enumerate(cls.questions)
                },
            )
        cls.campaign.publish_results(user=None)
        cls.first, cls.second, cls.third = (i.party for i in cls.invitations)

    def test_the_choice_is_in_the_address_and_works_without_script(self):
        q0 = self.questions[0].clean_name
        url = f"{self.theme.url}?partis={self.first.pk}&partis={self.second.pk}&questions={q0}"
        page = self.client.get(url).content.decode()
        self.assertIn(f"Réponse de {self.first.short_name} à Q0", page)
        self.assertIn(f"Réponse de {self.second.short_name} à Q0", page)
        self.assertNotIn(f"Réponse de {self.third.short_name}", page)
        self.assertNotIn(f"Réponse de {self.first.short_name} à Q1", page)
        # The form that made it: a plain GET form, its boxes as chosen; the link to share.
        self.assertIn('<form method="get"', page)
        self.assertIn(f'name="partis" value="{self.third.pk}">', page)
        self.assertIn(f'name="partis" value="{self.first.pk}" checked>', page)
        self.assertIn("Lien de cette comparaison, à partager", page)
        self.assertIn(f"http://testserver{self.theme.url}?partis=", page)

    def test_parties_as_columns_and_one_after_another_with_table_semantics(self):
        page = self.client.get(self.theme.url).content.decode()
        wide = page[page.index('class="compare compare--wide"') :]
        self.assertIn('<th scope="col">Question</th>', wide)
        for party in (self.first, self.second, self.third):
            self.assertIn(f'<th scope="col">{party.name}</th>', wide)
        stacked = page[
            page.index('class="compare compare--stacked"') : page.index("compare--wide")
        ]
        self.assertIn(f'<th scope="row">{self.first.name}</th>', stacked)

    def test_nothing_chosen_shows_everyone_and_junk_is_ignored(self):
        for query in ("", "?partis=abc&questions=%3Cscript%3E", "?partis=99999"):
            with self.subTest(query=query):
                response = self.client.get(self.theme.url + query)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "<script>alert")
        # A party that is not invited (a mistyped or old link) chooses nothing: everyone.
        page = self.client.get(self.theme.url + "?partis=99999")
        self.assertNotContains(page, "Choisissez au moins un parti")
        self.assertNotContains(page, "Tout afficher")
        for party in (self.first, self.second, self.third):
            self.assertContains(page, f"Réponse de {party.short_name} à Q0")

    def test_the_campaign_page_lists_questionnaires_where_they_are_and_compares(self):
        page = self.client.get(f"/campagnes/{self.campaign.slug}/?partis={self.first.pk}")
        self.assertContains(page, self.campaign.name)
        self.assertContains(page, self.questionnaire.title)
        self.assertContains(page, f'href="{self.theme.url}"')
        self.assertContains(page, f"Réponse de {self.first.short_name} à Q0")
        self.assertNotContains(page, f"Réponse de {self.second.short_name}")
        self.assertEqual(self.client.get("/campagnes/inconnue/").status_code, 404)

    def test_the_campaign_page_shows_no_answer_under_embargo(self):
        self.campaign.results_published = False
        self.campaign.save()
        page = self.client.get(f"/campagnes/{self.campaign.slug}/")
        self.assertContains(page, self.questions[0].text)
        self.assertNotContains(page, "Réponse de")

    def test_the_collectif_reading_follows_the_answers(self):
        question = self.questions[0]
        question.commentary = (
            '<p>Notre lecture : voir <a href="/plateforme/">la plateforme</a>.</p>'
        )
        question.save()
        page = self.client.get(self.theme.url).content.decode()
        self.assertIn("La lecture du Collectif", page)
        self.assertLess(
            page.index(f"Réponse de {self.third.short_name} à Q0"), page.index("Notre lecture")
        )


class ComparisonQueryTests(TestCase):
    def count(self, parties):
        theme = build_site_tree()["themes"][0]
        campaign, questionnaire, questions, invitations = campaign_on_theme(theme, parties=parties)
        for invitation in invitations:
            save_answers(questionnaire, questions, invitation.party)
        campaign.publish_results(user=None)
        counts = []
        picked = "&".join(f"partis={i.party.pk}" for i in invitations[:2])
        for url in (f"{theme.url}?{picked}", f"/campagnes/{campaign.slug}/?{picked}"):
            self.client.get(url)
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(url).status_code, 200)
            counts.append(len(queries))
        with self.captureOnCommitCallbacks(execute=True):
            theme.get_parent().get_parent().delete()
        return counts

    def test_comparisons_do_not_grow_with_parties(self):
        self.assertEqual(self.count(3), self.count(60))


class SearchCampaignTests(CampaignOnThemeTestData, TestCase):
    parties = 1

    def found(self, word):
        page = self.client.get("/recherche/", {"q": word}).content.decode()
        return self.theme.title in page, f"/campagnes/{self.campaign.slug}/" in page

    def test_questions_campaigns_and_party_names_are_found(self):
        question = self.questions[0]
        question.text = "Comment financerez-vous les haltes-garderies communautaires?"
        question.save()
        self.campaign.name = "Élections municipales"
        self.campaign.save()
        party = self.invitations[0].party
        party.name = "Parti Zéphyrin"
        party.save()
        save_answers(self.questionnaire, self.questions, party, action="save")
        index.insert_or_update_object(self.theme)
        index.insert_or_update_object(self.campaign)
        self.assertEqual(self.found("haltes-garderies"), (True, True))
        self.assertEqual(self.found("municipales"), (True, True))
        # Party names only once the answers are public; drafts never.
        self.assertEqual(self.found("Zéphyrin"), (False, False))
        self.assertEqual(self.found("Réponse"), (False, False))
        with self.captureOnCommitCallbacks(execute=True):
            self.campaign.publish_results(user=None)
        run_queued_tasks()
        self.assertEqual(self.found("Zéphyrin"), (True, True))
        self.assertEqual(self.found("Réponse"), (False, False))
