from django.conf import settings
from django.conf.urls.static import static as media_urls
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import TemplateView

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.account import PasswordResetView
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from campaigns import views as campaign_views
from campaigns.sitemaps import CampaignSitemap, OpenDataSitemap
from collectif.content.feeds import SiteFeed
from collectif.operations import health
from collectif.protection.ratelimit import rate_limit
from search import views as search_views


def favicon_url():
    # Browsers ask for /favicon.ico whatever the page says. Resolved per request: the
    # static manifest of production exists only after collectstatic.
    return static("img/favicon.svg")


urlpatterns = [
    # Wagtail's password reset, limited per client address (and per email address by
    # collectif.protection.forms.LimitedPasswordResetForm): each request may send an email.
    path(
        "admin/password_reset/",
        rate_limit("password-reset-ip", methods=["POST"])(PasswordResetView.as_view()),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("sante/", health.health, name="health"),
    path("sante/ping", health.ping, name="health_ping"),
    path("documents/", include(wagtaildocs_urls)),
    path("recherche/", search_views.search, name="search"),
    path("campagnes/", include("campaigns.urls")),
    path("donnees-ouvertes/", campaign_views.open_data_index, name="open_data_index"),
    path("infolettre/", include("newsletter.urls")),
    path(
        "sitemap.xml",
        sitemap,
        {
            "sitemaps": {
                "wagtail": Sitemap,
                "campagnes": CampaignSitemap,
                "donnees": OpenDataSitemap,
            }
        },
        name="sitemap",
    ),
    path("flux.atom", SiteFeed(), name="feed"),
    path("favicon.ico", lambda request: redirect(favicon_url(), permanent=True)),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
]

if settings.DEBUG:
    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += media_urls(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# The database unavailable: a French 503 page (collectif/operations/outage.py); anything else:
# 500.html.
handler500 = "collectif.operations.outage.server_error"
# A forged Host header gets a French 400 that needs no site (collectif/protection/security.py).
handler400 = "collectif.protection.security.bad_request"
