"""History › Compare works on a pillar whose measures have no image, also when one is gone."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from collectif.team.groups import sync_page_permissions
from pillars.models import PillarPage
from tests.home.factories import build_site_tree
from tests.pillars.factories import measures_data


class CompareRevisionsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.pillar = build_site_tree(pillars=1, measures=3)["pillars"][0]
        sync_page_permissions()
        cls.reviewer = get_user_model().objects.create_user("reviseur", password="x")
        cls.reviewer.groups.add(Group.objects.get(name="Révision"))

    def compare(self, first, second):
        self.client.force_login(self.reviewer)
        return self.client.get(
            f"/admin/pages/{self.pillar.pk}/revisions/compare/{first.pk}...{second.pk}/"
        )

    def test_compare_after_a_measure_without_image_was_deleted(self):
        pillar = PillarPage.objects.get(pk=self.pillar.pk)
        before = pillar.save_revision()
        del pillar.measures[1]
        after = pillar.save_revision()
        for first, second in ((before, after), (after, before)):
            with self.subTest(first=first.pk):
                response = self.compare(first, second)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Mesure numéro 2")

    def test_compare_when_an_image_is_added_then_removed(self):
        image = get_image_model().objects.create(
            title="Parc", file=get_test_image_file(filename="parc.png")
        )
        pillar = PillarPage.objects.get(pk=self.pillar.pk)
        pillar.measures = measures_data(2)
        without = pillar.save_revision()
        pillar.measures = measures_data(3, image=image)
        with_image = pillar.save_revision()
        pillar.measures = measures_data(1)
        removed = pillar.save_revision()
        for first, second in ((without, with_image), (with_image, removed)):
            with self.subTest(first=first.pk, second=second.pk):
                response = self.compare(first, second)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Illustration 3")
