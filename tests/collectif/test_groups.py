"""Each group of the team reaches the screens of its job, and only those."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from wagtail.images import get_image_model
from wagtail.models import Collection, GroupPagePermission, Page
from wagtail.permissions import policy_registry

from collectif.team.groups import sync_page_permissions
from tests.collectif.support import assert_refused
from tests.home.factories import build_site_tree

EDITORIAL_SCREENS = [
    "/admin/snippets/home/memberorganisation/",
    "/admin/snippets/home/memberorganisation/add/",
    "/admin/settings/collectif/sitesettings/",
    "/admin/searchpicks/",
    "/admin/searchpicks/add/",
    "/admin/redirects/",
    "/admin/redirects/add/",
    "/admin/snippets/newsletter/subscriber/",
    "/admin/snippets/newsletter/subscriber/?export=csv",
    "/admin/images/multiple/add/",
    "/admin/documents/multiple/add/",
]
ADMINISTRATION_SCREENS = ["/admin/users/", "/admin/groups/", "/admin/sites/"]


def member_of(group_name):
    users = get_user_model().objects
    user = users.create_user(f"membre-{users.count()}", password="x")
    user.groups.add(Group.objects.get(name=group_name))
    return user


class GroupsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree(pillars=1)
        sync_page_permissions()

    def assert_screens(self, user, screens, status):
        self.client.force_login(user)
        for url in screens:
            with self.subTest(url=url):
                response = self.client.get(url)
                if status == 200 and url.endswith("/settings/collectif/sitesettings/"):
                    # The settings of the only site.
                    response = self.client.get(response["Location"])
                if status == 200:
                    self.assertEqual(response.status_code, 200)
                else:
                    # Refused: Wagtail's dashboard, with its message (302).
                    assert_refused(response)

    def test_editors_and_reviewers_reach_every_screen_of_their_job(self):
        for group in ("Rédaction", "Révision"):
            with self.subTest(group=group):
                self.assert_screens(member_of(group), EDITORIAL_SCREENS, 200)
                self.assert_screens(member_of(group), ADMINISTRATION_SCREENS, "refused")

    def test_editors_edit_every_page_from_the_home_page_not_the_root(self):
        editor = member_of("Rédaction")
        self.client.force_login(editor)
        home, pillar = self.tree["home"], self.tree["pillars"][0]
        for page in (home, pillar, self.tree["themes"][0], self.tree["standard"]):
            with self.subTest(page=page.title):
                self.assertEqual(self.client.get(f"/admin/pages/{page.pk}/edit/").status_code, 200)
        root = Page.get_first_root_node()
        self.assertFalse(GroupPagePermission.objects.filter(page=root).exists())
        self.assertEqual(
            self.client.get(f"/admin/pages/add/home/standardpage/{root.pk}/").status_code, 302
        )
        # Only reviewers publish.
        self.assertFalse(pillar.permissions_for_user(editor).can_publish())
        self.assertTrue(pillar.permissions_for_user(member_of("Révision")).can_publish())

    def test_the_campaign_team_edits_themes_and_uploads_logos_in_their_collection(self):
        team = member_of("Campagnes")
        theme = self.tree["themes"][0]
        self.assertTrue(theme.permissions_for_user(team).can_edit())
        self.assertFalse(theme.permissions_for_user(team).can_publish())
        self.assertFalse(self.tree["pillars"][0].permissions_for_user(team).can_edit())
        logos = Collection.objects.get(name="Logos des partis")
        self.assertEqual(logos.get_parent(), Collection.get_first_root_node())
        self.assertEqual(
            list(
                policy_registry.get_by_type(get_image_model()).collections_user_has_permission_for(
                    team, "add"
                )
            ),
            [logos],
        )
        self.client.force_login(team)
        self.assertEqual(self.client.get("/admin/images/multiple/add/").status_code, 200)
        # The image chooser of a party's logo offers to upload one.
        chooser = self.client.get("/admin/images/chooser/").json()["html"]
        self.assertIn('action="/admin/images/chooser/create/"', chooser)
        self.assert_screens(team, EDITORIAL_SCREENS[:3], "refused")

    def test_administrators_manage_accounts_and_groups(self):
        self.assert_screens(member_of("Administration"), ADMINISTRATION_SCREENS, 200)
