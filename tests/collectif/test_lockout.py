"""The admin's login under attack (collectif/protection/lockout.py, AXES_* settings): the
attacker is locked, the owner of the username is not, the username is slowed down for unknown
browsers, the owner and the privacy/security contact are told once, and an administrator
unlocks."""

from datetime import timedelta
from unittest.mock import patch

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from wagtail.models import ModelLogEntry, Site

from axes.models import AccessAttempt

from collectif.models import SiteSettings
from collectif.protection import lockout
from tests.campaigns.worker import run_queued_tasks
from tests.home.factories import build_site_tree

PASSWORD = "le-bon-mot-de-passe"
ATTACKERS = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"]
OWNER_IP = "198.51.100.6"
# The site's clock for the slowdown and the alerts, frozen at the start of a minute (a slot
# of the slowdown); django-axes keeps the real clock.
NOW = timezone.now().replace(second=0, microsecond=0)


def log_out(client):
    """Logs out as a browser does: the test client's logout() forgets every cookie, a
    browser keeps those the logout does not delete."""
    kept = client.cookies
    client.logout()
    client.cookies = kept


def assert_refused(response):
    """Wagtail's admin answers a refused action (PermissionDenied) by sending back to its home
    page with « Désolé, vous n’avez pas les autorisations pour accéder à cette zone »."""
    assert (response.status_code, response.get("Location")) == (302, "/admin/"), response


def login(client, username, password, ip):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


class LockoutTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        User = get_user_model()
        cls.admin = User.objects.create_superuser("admin", "admin@exemple.ca", PASSWORD)
        cls.editor = User.objects.create_user("redactrice", "redactrice@exemple.ca", PASSWORD)
        cls.editor.groups.add(Group.objects.get(name="Rédaction"))
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        settings.privacy_officer_email = "securite@exemple.ca"
        settings.save()

    def setUp(self):
        clock = patch("collectif.protection.lockout.now", return_value=NOW)
        self.clock = clock.start()
        self.addCleanup(clock.stop)

    def attack(self, username="admin", times=1, addresses=ATTACKERS):
        with self.captureOnCommitCallbacks(execute=True):
            return [
                login(Client(), username, f"faux-{n}", ip).status_code
                for ip in addresses
                for n in range(times)
            ]


class OwnerIsNotLockedOutTests(LockoutTestCase):
    def test_five_wrong_passwords_from_five_addresses_leave_the_owner_in(self):
        # The attack of the issue: one wrong password from each of five addresses.
        self.assertEqual(self.attack(), [200] * 5)
        response = login(self.client, "admin", PASSWORD, OWNER_IP)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.admin.pk)

    def test_an_attacker_hammering_from_five_addresses_is_locked_and_the_owner_is_not(self):
        # The owner logged in last week from its own browser.
        owner = Client()
        self.assertEqual(login(owner, "admin", PASSWORD, OWNER_IP).status_code, 302)
        log_out(owner)

        with self.assertLogs("collectif.protection.security", level="WARNING") as logs:
            statuses = self.attack(times=5)
        self.assertIn(429, statuses)
        self.assertIn("Connexion bloquée", "\n".join(logs.output))

        # Attacker side: even the right password, from an address that failed, is refused.
        for ip in ATTACKERS:
            response = login(Client(), "admin", PASSWORD, ip)
            self.assertEqual(response.status_code, 429)
            self.assertNotIn("_auth_user_id", Client().session)

        # Victim side: from its own browser, at another address, the owner logs in at once.
        response = login(owner, "admin", PASSWORD, "192.0.2.200")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(owner.session["_auth_user_id"]), self.admin.pk)

    def test_a_username_under_attack_is_slowed_down_for_unknown_browsers_not_locked(self):
        self.attack(times=5)
        # A new browser: the username's attempt of this minute is taken by the attacker.
        newcomer = Client()
        response = login(newcomer, "admin", PASSWORD, OWNER_IP)
        self.assertContains(response, "Trop de demandes", status_code=429)
        self.assertNotIn("_auth_user_id", newcomer.session)
        # Another attacker gets no more: the slot of the minute is gone.
        self.assertEqual(login(Client(), "admin", "faux", "192.0.2.9").status_code, 429)
        # The next minute, the first to try passes: the owner, with the right password.
        self.clock.return_value = NOW + timedelta(seconds=60)
        response = login(newcomer, "admin", PASSWORD, OWNER_IP)
        self.assertEqual(response.status_code, 302)

    def test_a_cookie_of_another_account_or_a_forged_one_does_not_skip_the_slowdown(self):
        # The attacker logs into its own account, and keeps the cookie the site gave it.
        attacker = Client()
        self.assertEqual(login(attacker, "redactrice", PASSWORD, "192.0.2.50").status_code, 302)
        self.assertIn(lockout.TRUSTED_COOKIE, attacker.cookies)
        log_out(attacker)
        self.assertIn(lockout.TRUSTED_COOKIE, attacker.cookies)
        self.attack(times=5)
        self.assertEqual(login(attacker, "admin", "faux", "192.0.2.51").status_code, 429)
        forger = Client()
        forger.cookies[lockout.TRUSTED_COOKIE] = "admin"
        self.assertEqual(login(forger, "admin", PASSWORD, "192.0.2.52").status_code, 429)

    def test_one_address_trying_many_users_is_locked(self):
        for n in range(5):
            login(Client(), f"inconnu{n}", "x", "192.0.2.66")
        response = login(Client(), "redactrice", PASSWORD, "192.0.2.66")
        self.assertContains(response, "Connexion bloquée", status_code=429)
        # The account itself is not locked for others.
        self.assertEqual(login(Client(), "redactrice", PASSWORD, "192.0.2.67").status_code, 302)


class AlertTests(LockoutTestCase):
    def test_the_owner_and_the_contact_are_told_once_per_window(self):
        self.attack(times=5)
        self.attack(times=5, addresses=["192.0.2.1", "192.0.2.2"])
        run_queued_tasks()
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["admin@exemple.ca", "securite@exemple.ca"]
        )
        owner = next(m for m in mail.outbox if m.to == ["admin@exemple.ca"])
        self.assertIn("votre compte « admin »", owner.body)
        self.assertIn("n’est pas bloqué pour vous", owner.body)
        self.assertIn("/admin/password_reset/", owner.body)
        contact = next(m for m in mail.outbox if m.to == ["securite@exemple.ca"])
        self.assertIn("« admin »", contact.subject)
        self.assertIn("203.0.113.", contact.body)
        self.assertIn("/admin/comptes-verrouilles/", contact.body)

        # After the window, a new attack is told again.
        self.clock.return_value = NOW + timedelta(hours=1, minutes=1)
        mail.outbox.clear()
        self.attack(times=5, addresses=["192.0.2.3"])
        run_queued_tasks()
        self.assertEqual(len(mail.outbox), 2)

    def test_a_username_of_no_account_sends_nothing(self):
        self.attack(username="personne", times=5)
        run_queued_tasks()
        self.assertEqual(mail.outbox, [])


class UnlockTests(LockoutTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        User = get_user_model()
        cls.manager = User.objects.create_user("gestion", "gestion@exemple.ca", PASSWORD)
        cls.manager.groups.add(Group.objects.get(name="Administration"))

    def lock(self, username, ip=ATTACKERS[0]):
        self.attack(username=username, times=5, addresses=[ip])
        self.assertEqual(login(Client(), username, PASSWORD, ip).status_code, 429)

    def unlock(self, actor, **data):
        client = Client()
        client.force_login(actor)
        return client.post("/admin/comptes-verrouilles/", data)

    def test_administration_unlocks_an_editor_and_it_is_logged(self):
        self.lock("redactrice")
        client = Client()
        client.force_login(self.manager)
        page = client.get("/admin/comptes-verrouilles/")
        self.assertContains(page, "Débloquer le compte « redactrice »")
        with self.assertLogs("collectif.protection.security", level="WARNING") as logs:
            response = self.unlock(self.manager, username="redactrice")
        self.assertRedirects(response, "/admin/comptes-verrouilles/")
        self.assertIn("« redactrice » débloqué par « gestion »", logs.output[0])
        entry = ModelLogEntry.objects.get(action="collectif.account_unlocked")
        self.assertEqual((entry.object_id, entry.user_id), (str(self.editor.pk), self.manager.pk))
        self.assertEqual(login(Client(), "redactrice", PASSWORD, ATTACKERS[0]).status_code, 302)

    def test_administration_cannot_unlock_a_superuser_a_superuser_can(self):
        self.lock("admin")
        client = Client()
        client.force_login(self.manager)
        self.assertContains(
            client.get("/admin/comptes-verrouilles/"), "Seul un superutilisateur peut débloquer"
        )
        assert_refused(self.unlock(self.manager, username="admin"))
        # Nor through its address: the superuser's failures stay counted.
        self.unlock(self.manager, ip_address=ATTACKERS[0])
        self.assertTrue(AccessAttempt.objects.filter(username="admin").exists())
        self.assertEqual(login(Client(), "admin", PASSWORD, ATTACKERS[0]).status_code, 429)

        other = get_user_model().objects.create_superuser("chef", "chef@exemple.ca", PASSWORD)
        self.assertEqual(self.unlock(other, username="admin").status_code, 302)
        self.assertEqual(login(Client(), "admin", PASSWORD, ATTACKERS[0]).status_code, 302)

    def test_an_editor_cannot_see_or_unlock(self):
        self.lock("admin")
        client = Client()
        client.force_login(self.editor)
        assert_refused(client.get("/admin/comptes-verrouilles/"))
        assert_refused(self.unlock(self.editor, username="admin"))
        assert_refused(self.unlock(self.editor, ip_address=ATTACKERS[0]))
        self.assertEqual(AccessAttempt.objects.filter(username="admin").count(), 1)
        self.assertNotContains(client.get("/admin/"), "Comptes verrouillés")
