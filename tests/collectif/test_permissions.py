"""The permission matrix of docs/permissions.md, tested cell by cell: the document is the one
owner of who may do what, and this test holds the site to it."""

import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from axes.models import AccessAttempt

from campaigns.models import Campaign, Invitation, Response, ResponseVersion
from collectif.team.groups import sync_groups
from tests.campaigns.factories import answer_data, campaign_on_theme
from tests.collectif.support import account_data
from tests.home.factories import build_site_tree


def current_revision(invitation):
    response = Response.objects.filter(party=invitation.party).first()
    return response.revision if response else 0


MATRIX = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
ACTORS = [
    "anonyme",
    "parti",
    "autre parti",
    "Rédaction",
    "Révision",
    "Campagnes",
    "Administration",
    "administrateur",
]


def read_matrix():
    text = MATRIX.read_text()
    table = text[text.index("<!-- matrix -->") : text.index("<!-- /matrix -->")]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert header[1:] == ACTORS, header
    matrix = {}
    for line in rows[1:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        matrix[cells[0]] = dict(zip(ACTORS, [cell == "oui" for cell in cells[1:]], strict=True))
    return matrix


class PermissionMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site_tree()
        sync_groups()  # the groups' page permissions, on the home page and the boussole
        cls.theme, cls.pillar = tree["themes"][0], tree["pillars"][0]
        cls.campaign, cls.questionnaire, cls.questions, cls.invitations = campaign_on_theme(
            cls.theme, parties=2
        )
        User = get_user_model()
        cls.users = {"administrateur": User.objects.create_superuser("admin", "a@x.example", "x")}
        for group in ("Rédaction", "Révision", "Campagnes", "Administration"):
            name = re.sub(r"\W", "", group)
            user = User.objects.create_user(
                name,
                f"{name.encode('ascii', 'ignore').decode()}@x.example",
                "x",
                first_name="P",
                last_name="N",
            )
            user.groups.add(Group.objects.get(name=group))
            cls.users[group] = user
        # The accounts that the account rows aim at: an editor's, another superuser's.
        cls.editor = cls.users["Rédaction"]
        cls.chief = User.objects.create_superuser(
            "chef", "chef@x.example", "x", first_name="C", last_name="F"
        )

    def edit_account(self, account, **changes):
        """Posts the account's edit form with `changes`; the account as saved, then put back."""
        before = get_user_model().objects.get(pk=account.pk)
        groups = list(before.groups.all())
        self.client.post(f"/admin/users/edit/{account.pk}/", account_data(before, **changes))
        after = get_user_model().objects.get(pk=account.pk)
        after.saved_groups = set(after.groups.values_list("name", flat=True))
        before.save()
        before.groups.set(groups)
        return after

    def unlock(self, account):
        AccessAttempt.objects.create(
            username=account.username,
            ip_address="203.0.113.9",
            user_agent="",
            http_accept="",
            path_info="/admin/login/",
            get_data="",
            post_data="",
            failures_since_start=5,
        )
        self.client.post("/admin/comptes-verrouilles/", {"username": account.username})
        unlocked = not AccessAttempt.objects.filter(username=account.username).exists()
        AccessAttempt.objects.all().delete()
        return unlocked

    def party_paths(self, actor):
        """The party's home and form as the actor can reach them: the party with its link;
        another party only with its own signature on this party's invitation (a forgery)."""
        own, other = self.invitations
        if actor == "parti":
            token = own.token
        elif actor == "autre parti":
            token = own.token.split("-")[0] + "-" + other.token.split("-")[1]
        else:
            return None, None
        return (
            f"/campagnes/acces/{token}/",
            f"/campagnes/acces/{token}/{self.questionnaire.pk}/",
        )

    def act(self, actor, action):
        """Does the action as the actor; True when the site lets it through."""
        if actor in self.users:
            self.client.force_login(self.users[actor])
        home, form = self.party_paths(actor)
        campaign, own = self.campaign.pk, self.invitations[0]
        if action == "ouvrir le lien privé du parti":
            return home is not None and self.client.get(home).status_code == 200
        if action == "enregistrer les réponses du parti":
            if form is None and actor not in self.users:  # the public holds no link
                return False
            # The team may hold the party's link (the board shows it): it is read-only for it.
            form = form or own.questionnaire_path(self.questionnaire)
            data = answer_data(self.questions, base_revision=current_revision(own))
            return self.client.post(form, data).status_code == 303
        if action == "saisir les réponses au nom d’un parti":
            # A deliberate step first, then the party's form in the member's name.
            entering = self.client.post(
                f"/campagnes/acces/{own.token}/saisie/", {"action": "start"}
            )
            if actor not in self.users:
                return entering.status_code == 303
            self.client.post(f"/campagnes/acces/{own.token}/saisie/", {"action": "start"})
            data = answer_data(self.questions, base_revision=current_revision(own))
            saved = self.client.post(own.questionnaire_path(self.questionnaire), data)
            if saved.status_code != 303:
                return False
            version = ResponseVersion.objects.filter(response__party=own.party).first()
            return version.entered_by_id == self.users[actor].pk
        if action == "publier les réponses d’une campagne":
            self.client.post(f"/admin/snippets/campaigns/campaign/publier/{campaign}/")
            published = Campaign.objects.get(pk=campaign).results_published
            Campaign.objects.filter(pk=campaign).update(results_published=False)
            return published
        if action == "renouveler un lien privé":
            self.client.post(f"/admin/snippets/campaigns/campaign/invitation/{own.pk}/renouveler/")
            renewed = Invitation.objects.get(pk=own.pk).generation != own.generation
            Invitation.objects.filter(pk=own.pk).update(generation=own.generation)
            return renewed
        group_pk = {name: str(pk) for pk, name in Group.objects.values_list("pk", "name")}
        if action == "modifier le compte d’un membre de Rédaction":
            return (
                self.edit_account(self.editor, email="autre@x.example").email == "autre@x.example"
            )
        if action == "modifier le compte d’un superutilisateur":
            return (
                self.edit_account(self.chief, email="autre@x.example").email == "autre@x.example"
            )
        if action == "cocher « superutilisateur » sur un compte":
            return self.edit_account(self.editor, is_superuser="on").is_superuser
        if action.startswith("ajouter quelqu’un au groupe "):
            group = action.rsplit(" ", 1)[1]
            groups = [group_pk["Rédaction"], group_pk[group]]
            return group in self.edit_account(self.editor, groups=groups).saved_groups
        if action == "débloquer un compte de Rédaction":
            return self.unlock(self.editor)
        if action == "débloquer un compte de superutilisateur":
            return self.unlock(self.chief)
        url = {
            "lire une page publique": self.theme.url,
            "ouvrir l’administration": "/admin/",
            "modifier une page thème": f"/admin/pages/{self.theme.pk}/edit/",
            "modifier une page pilier": f"/admin/pages/{self.pillar.pk}/edit/",
            "lire la liste des réponses": "/admin/campagnes-reponses/",
            "exporter les réponses": f"/admin/campagnes-reponses/?campaign={campaign}&export=csv",
            "tableau de bord d’une campagne": (
                f"/admin/snippets/campaigns/campaign/tableau/{campaign}/"
            ),
            "lire les abonnés de l’infolettre": "/admin/snippets/newsletter/subscriber/",
            "modifier les paramètres du site": "/admin/settings/collectif/sitesettings/",
            "modifier les organisations membres": "/admin/snippets/home/memberorganisation/",
            "gérer les comptes": "/admin/users/",
            "gérer les groupes": "/admin/groups/",
        }[action]
        response = self.client.get(url, follow=True)
        allowed = response.status_code == 200 and not response.redirect_chain
        if url.startswith("/admin/settings/") and response.redirect_chain:
            # The settings view sends to the edit form of the current site.
            allowed = response.redirect_chain[-1][0].startswith("/admin/settings/")
        return allowed

    def test_every_cell(self):
        for action, cells in read_matrix().items():
            for actor, allowed in cells.items():
                with self.subTest(action=action, actor=actor):
                    self.client.logout()
                    self.assertEqual(self.act(actor, action), allowed)
