"""Every public endpoint (campaigns aside, for now) against the catalogue of hostile inputs in
inputs.yaml: a 4xx or a clean page, never a 5xx; nothing half stored; echoed text escaped."""

from pathlib import Path
from urllib.parse import quote

from django.core.cache import cache
from django.test import TestCase

from wagtail.contrib.search_promotions.models import Query

from newsletter.models import Follower, Subscriber
from search.views import is_recordable
from tests.campaigns.factories import CampaignFactory
from tests.home.factories import build_site_tree
from tests.hostile.catalogue import (
    CATALOGUE,
    FORM,
    assert_escaped,
    assert_valid_emails,
    expand,
    form_body,
)
from tests.newsletter.factories import a_person_started


# Each endpoint: how to send one input to it.
def search_q(client, value, encoded):
    return client.get("/recherche/?q=" + encoded)


def search_page(client, value, encoded):
    return client.get("/recherche/?q=enfant&page=" + encoded)


def newsletter_email(client, value, encoded):
    fields = [("email", None), ("consent", "on"), ("started", quote(a_person_started(client)))]
    return client.post(
        "/infolettre/",
        form_body(fields, encoded),
        content_type="application/x-www-form-urlencoded",
    )


def newsletter_every_field(client, value, encoded):
    fields = [
        ("email", None),
        ("consent", None),
        ("website", None),
        ("started", None),
        ("again", None),
    ]
    return client.post(
        "/infolettre/",
        form_body(fields, encoded),
        content_type="application/x-www-form-urlencoded",
    )


def confirm_get(client, value, encoded):
    return client.get(f"/infolettre/confirmer/{encoded}/")


def confirm_post(client, value, encoded):
    return client.post(f"/infolettre/confirmer/{encoded}/")


def unsubscribe_post(client, value, encoded):
    return client.post(
        f"/infolettre/desabonnement/{encoded}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )


def follow_every_field(client, value, encoded):
    fields = [
        ("email", None),
        ("consent", None),
        ("website", None),
        ("started", None),
        ("again", None),
    ]
    return client.post(
        "/infolettre/suivre/hostile/",
        form_body(fields, encoded),
        content_type="application/x-www-form-urlencoded",
    )


def follow_unsubscribe_post(client, value, encoded):
    return client.post(
        f"/infolettre/suivi/arreter/{encoded}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )


def campaign_feed(client, value, encoded):
    return client.get(f"/campagnes/{encoded}/flux.atom")


def page_path(client, value, encoded):
    return client.get(f"/{encoded}/")


def nested_page_path(client, value, encoded):
    return client.get(f"/plateforme/{encoded}/")


def home_query_string(client, value, encoded):
    return client.get(f"/?{encoded}={encoded}")


def admin_login(client, value, encoded):
    return client.post(
        "/admin/login/",
        form_body([("username", None), ("password", None)], encoded),
        content_type="application/x-www-form-urlencoded",
    )


def password_reset(client, value, encoded):
    return client.post(
        "/admin/password_reset/",
        form_body([("email", None)], encoded),
        content_type="application/x-www-form-urlencoded",
    )


def sitemap(client, value, encoded):
    return client.get("/sitemap.xml?p=" + encoded)


ENDPOINTS = [
    search_q,
    search_page,
    newsletter_email,
    newsletter_every_field,
    confirm_get,
    confirm_post,
    unsubscribe_post,
    follow_every_field,
    follow_unsubscribe_post,
    campaign_feed,
    page_path,
    nested_page_path,
    home_query_string,
    admin_login,
    password_reset,
    sitemap,
]


class HostileInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        CampaignFactory(slug="hostile")

    def test_the_catalogue_is_large_enough(self):
        self.assertGreaterEqual(len(CATALOGUE["inputs"]), 80)

    def test_every_public_endpoint_survives_every_input(self):
        for endpoint in ENDPOINTS:
            for number, entry in enumerate(CATALOGUE["inputs"]):
                value, encoded = expand(entry)
                label = entry.get("raw") or (value or "")[:40]
                with self.subTest(endpoint=endpoint.__name__, kind=entry["kind"], input=label):
                    cache.clear()  # rate limits would hide what the view itself does
                    ip = f"10.0.{number // 250}.{number % 250 + 1}"
                    self.client.defaults["REMOTE_ADDR"] = ip
                    response = endpoint(self.client, value, encoded)
                    self.assertLess(response.status_code, 500)
                    assert_escaped(self, response, value)
                    self.assert_nothing_half_stored()

    def assert_nothing_half_stored(self):
        assert_valid_emails(Subscriber.objects.values_list("email", flat=True))
        assert_valid_emails(Follower.objects.values_list("email", flat=True))
        for query in Query.objects.values_list("query_string", flat=True):
            self.assertTrue(is_recordable(query, query), query)

    def test_wrong_requests_are_refused(self):
        for request in CATALOGUE["requests"]:
            with self.subTest(**request):
                client = self.client_class(enforce_csrf_checks=not request.get("csrf", True))
                if request.get("file"):
                    upload = Path(__file__)
                    with upload.open("rb") as handle:
                        response = client.post(request["path"], {"email": "a@b.ca", "f": handle})
                elif request.get("body_bytes"):
                    response = client.generic(
                        request["method"],
                        request["path"],
                        b"x=" + b"y" * request["body_bytes"],
                        content_type="application/x-www-form-urlencoded",
                    )
                else:
                    data = {"email": "a@b.ca", "username": "a", "password": "b"}
                    response = client.generic(
                        request["method"],
                        request["path"],
                        "&".join(f"{k}={v}" for k, v in data.items()),
                        content_type=FORM,
                    )
                self.assertEqual(response.status_code, request["expect"])
        self.assertFalse(Subscriber.objects.exists())


class CampaignHostileInputTests(TestCase):
    """The party's private pages, its automatic drafts, the comparison and the open data, with
    the same catalogue; a party's link comes from the factories."""

    @classmethod
    def setUpTestData(cls):
        from tests.campaigns.factories import campaign_on_theme

        cls.theme = build_site_tree()["themes"][0]
        cls.campaign, cls.questionnaire, cls.questions, (cls.invitation, _) = campaign_on_theme(
            cls.theme, results_published=True
        )

    def party_fields(self):
        fields = [("action", None), ("respondent_name", None), ("base_revision", None)]
        fields.append(("client_key", None))
        for question in self.questions:
            key = question.clean_name
            fields += [(key, None), (f"{key}__status", None), (f"{key}__explanation", None)]
            fields.append((f"{key}__pending_until", None))
        return fields

    def endpoints(self):
        form = self.invitation.questionnaire_path(self.questionnaire)
        slug = self.campaign.slug

        def party_home_token(client, value, encoded):
            return client.get(f"/campagnes/acces/{encoded}/")

        def party_form_token(client, value, encoded):
            return client.get(f"/campagnes/acces/{encoded}/{self.questionnaire.pk}/")

        def party_form_post(client, value, encoded):
            return client.post(form, form_body(self.party_fields(), encoded), content_type=FORM)

        def party_autosave(client, value, encoded):
            body = form_body(self.party_fields(), encoded)
            return client.post(form + "brouillon/", body, content_type=FORM)

        def comparison(client, value, encoded):
            return client.get(f"{self.theme.url}?partis={encoded}&questions={encoded}")

        def campaign_page(client, value, encoded):
            return client.get(f"/campagnes/{slug}/?partis={encoded}&questions={encoded}")

        def open_data_slug(client, value, encoded):
            return client.get(f"/campagnes/{encoded}/reponses.json")

        return [
            party_home_token,
            party_form_token,
            party_form_post,
            party_autosave,
            comparison,
            campaign_page,
            open_data_slug,
        ]

    def test_every_campaign_endpoint_survives_every_input(self):
        from campaigns.models import Response

        for endpoint in self.endpoints():
            for number, entry in enumerate(CATALOGUE["inputs"]):
                value, encoded = expand(entry)
                label = entry.get("raw") or (value or "")[:40]
                with self.subTest(endpoint=endpoint.__name__, kind=entry["kind"], input=label):
                    cache.clear()
                    self.client.defaults["REMOTE_ADDR"] = (
                        f"10.1.{number // 250}.{number % 250 + 1}"
                    )
                    response = endpoint(self.client, value, encoded)
                    self.assertLess(response.status_code, 500)
                    if response.status_code != 303 and not response.streaming:
                        assert_escaped(self, response, value)
                    # Nothing half stored: a response is whole, with its version.
                    for saved in Response.objects.all():
                        self.assertEqual(len(saved.answers), len(self.questions))
                        self.assertEqual(saved.revision, saved.versions.first().number)
