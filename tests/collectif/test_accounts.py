"""Who manages whose account (collectif/protection/accounts.py), tried as a real member of
« Administration » (never a superuser): the attacker's requests, crafted or not, fail, and the
superuser's account keeps its password and email."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from tests.collectif.support import account_data, assert_refused
from tests.home.factories import build_site_tree

PASSWORD = "mot-de-passe-du-chef"


class AccountRulesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        User = get_user_model()
        cls.groups = {g.name: g for g in Group.objects.all()}
        cls.chief = User.objects.create_superuser(
            "chef", "chef@exemple.ca", PASSWORD, first_name="Cheffe", last_name="Collectif"
        )
        cls.manager = User.objects.create_user(
            "gestion", "gestion@exemple.ca", "x", first_name="Gé", last_name="Stion"
        )
        cls.manager.groups.add(cls.groups["Administration"])
        cls.colleague = User.objects.create_user(
            "gestion2", "gestion2@exemple.ca", "x", first_name="Co", last_name="Llègue"
        )
        cls.colleague.groups.add(cls.groups["Administration"])
        cls.editor = User.objects.create_user(
            "redactrice", "redactrice@exemple.ca", "x", first_name="Ré", last_name="Dac"
        )
        cls.editor.groups.add(cls.groups["Rédaction"])

    def setUp(self):
        self.client.force_login(self.manager)

    def edit(self, user, **changes):
        return self.client.post(f"/admin/users/edit/{user.pk}/", account_data(user, **changes))

    def test_the_superusers_account_is_out_of_reach_and_keeps_its_password_and_email(self):
        assert_refused(self.client.get(f"/admin/users/edit/{self.chief.pk}/"))
        assert_refused(
            self.edit(
                self.chief,
                email="pirate@exemple.ca",
                password1="Nouveau-mot-de-passe-42",
                password2="Nouveau-mot-de-passe-42",
            )
        )
        assert_refused(self.client.post(f"/admin/users/delete/{self.chief.pk}/"))
        self.chief.refresh_from_db()
        self.assertEqual(self.chief.email, "chef@exemple.ca")
        self.assertTrue(self.chief.check_password(PASSWORD))
        self.assertTrue(self.chief.is_active)
        # The victim logs in as before.
        self.client.logout()
        self.assertTrue(self.client.login(username="chef", password=PASSWORD))

    def test_the_list_offers_no_edit_link_on_accounts_out_of_reach(self):
        html = self.client.get("/admin/users/").content.decode()
        for action in ("edit", "delete", "copy"):
            self.assertIn(f'href="/admin/users/{action}/{self.editor.pk}/"', html)
            self.assertNotIn(f'href="/admin/users/{action}/{self.chief.pk}/"', html)
            self.assertNotIn(f'href="/admin/users/{action}/{self.colleague.pk}/"', html)

    def test_another_administration_account_is_out_of_reach(self):
        assert_refused(
            self.edit(self.colleague, password1="Autre-mot-42", password2="Autre-mot-42")
        )
        self.colleague.refresh_from_db()
        self.assertTrue(self.colleague.check_password("x"))

    def test_an_editors_account_is_managed_without_the_superuser_box(self):
        page = self.client.get(f"/admin/users/edit/{self.editor.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="is_superuser"')
        self.assertNotContains(page, f'value="{self.groups["Administration"].pk}"')
        self.assertContains(page, f'value="{self.groups["Révision"].pk}"')
        # A crafted « is_superuser » is ignored; the rest of the form is saved.
        response = self.edit(self.editor, is_superuser="on", email="nouvelle@exemple.ca")
        self.assertRedirects(response, "/admin/users/", fetch_redirect_response=False)
        self.editor.refresh_from_db()
        self.assertFalse(self.editor.is_superuser)
        self.assertEqual(self.editor.email, "nouvelle@exemple.ca")

    def test_a_content_group_is_given_administration_is_not(self):
        revision = str(self.groups["Révision"].pk)
        self.edit(self.editor, groups=[revision])
        self.assertEqual(list(self.editor.groups.values_list("name", flat=True)), ["Révision"])

        crafted = [revision, str(self.groups["Administration"].pk)]
        response = self.edit(self.editor, groups=crafted, email="autre@exemple.ca")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Sélectionnez un choix valide")
        self.assertContains(response, "autre@exemple.ca")  # the person's text, back
        self.editor.refresh_from_db()
        self.assertEqual(self.editor.email, "redactrice@exemple.ca")
        self.assertEqual(list(self.editor.groups.values_list("name", flat=True)), ["Révision"])

    def test_a_copy_of_the_superuser_is_refused(self):
        data = account_data(
            self.chief,
            username="copie",
            is_superuser="on",
            password1="Un-mot-de-passe-solide-42",
            password2="Un-mot-de-passe-solide-42",
        )
        assert_refused(self.client.post(f"/admin/users/copy/{self.chief.pk}/", data))
        self.assertFalse(get_user_model().objects.filter(username="copie").exists())
        # A copy of an editor is an editor, never a superuser.
        data.update(username="copie", groups=[str(self.groups["Rédaction"].pk)])
        self.client.post(f"/admin/users/copy/{self.editor.pk}/", data)
        self.assertFalse(get_user_model().objects.get(username="copie").is_superuser)

    def test_a_new_account_is_never_a_superuser_nor_an_administrator(self):
        data = {
            "username": "nouveau",
            "email": "nouveau@exemple.ca",
            "first_name": "Nou",
            "last_name": "Veau",
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
            "is_superuser": "on",
            "groups": [str(self.groups["Administration"].pk)],
        }
        response = self.client.post("/admin/users/new/", data)
        self.assertContains(response, "Sélectionnez un choix valide")
        self.assertFalse(get_user_model().objects.filter(username="nouveau").exists())
        data["groups"] = [str(self.groups["Campagnes"].pk)]
        self.client.post("/admin/users/new/", data)
        created = get_user_model().objects.get(username="nouveau")
        self.assertFalse(created.is_superuser)
        self.assertEqual(list(created.groups.values_list("name", flat=True)), ["Campagnes"])

    def test_the_lists_bulk_actions_stop_at_accounts_out_of_reach(self):
        deactivate = "/admin/bulk/auth/user/set_active_state/"
        assert_refused(
            self.client.post(
                f"{deactivate}?id={self.chief.pk}&id={self.editor.pk}", {"mark_as_active": "False"}
            )
        )
        self.chief.refresh_from_db()
        self.editor.refresh_from_db()
        self.assertTrue(self.chief.is_active and self.editor.is_active)

        role = "/admin/bulk/auth/user/assign_role/"
        administration = self.groups["Administration"].pk
        assert_refused(self.client.post(f"{role}?id={self.editor.pk}", {"role": administration}))
        self.assertFalse(self.editor.groups.filter(name="Administration").exists())
        self.client.post(f"{role}?id={self.editor.pk}", {"role": self.groups["Révision"].pk})
        self.assertTrue(self.editor.groups.filter(name="Révision").exists())

    def test_a_superuser_manages_every_account(self):
        self.client.force_login(self.chief)
        other = get_user_model().objects.create_superuser("chef2", "chef2@exemple.ca", "x")
        page = self.client.get(f"/admin/users/edit/{self.editor.pk}/")
        self.assertContains(page, 'name="is_superuser"')
        administration = str(self.groups["Administration"].pk)
        self.edit(self.editor, is_superuser="on", groups=[administration])
        self.editor.refresh_from_db()
        self.assertTrue(self.editor.is_superuser)
        self.assertTrue(self.editor.groups.filter(name="Administration").exists())
        other.first_name, other.last_name = "Au", "Tre"
        self.edit(other, email="chef2-nouveau@exemple.ca")
        other.refresh_from_db()
        self.assertEqual(other.email, "chef2-nouveau@exemple.ca")
