from urllib.parse import urlsplit

from django.conf import settings

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from collectif.content.demo import ensure_page, read_demo_data
from collectif.models import SiteSettings

from .models import HomePage, MemberOrganisation, StandardPage


def load(stdout=None):
    data = read_demo_data("home")
    home = _load_home(data["home"])
    _load_members(data["members"])
    _load_site_settings(home, data["site_settings"])
    _load_privacy_page(home, data["privacy_page"])
    return home


def _load_home(data):
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or _make_tree_root()
        home, _ = ensure_page(
            root,
            HomePage,
            data,
            vision=data["vision"],
            impacts_intro=data["impacts_intro"],
            impacts=[{"type": "impact", "value": {"text": text}} for text in data["impacts"]],
            theory_intro=data["theory_intro"],
            theory_heading=data["theory_heading"],
            theory_text=data["theory_text"],
            platform_heading=data["platform_heading"],
            call_heading=data["call_heading"],
            call_text=data["call_text"],
            members_heading=data["members_heading"],
        )
    _make_site_root(home)
    return home


def _make_tree_root():
    """The tree root and default locale, as Wagtail's migrations make them, for a database
    that was emptied after migrating (e.g. by a test's flush)."""
    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    return Page.add_root(instance=Page(title="Racine", slug="root", locale=locale))


def _make_site_root(home):
    # The site answers at the address the admin's links use, so that the sitemap's
    # addresses are the ones the server answers on (http://127.0.0.1:8000 for `make run`).
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    hostname = base.hostname or "localhost"
    port = base.port or (443 if base.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname=hostname, port=port, is_default_site=True, root_page=home
        )
    if site.root_page_id != home.pk:
        previous = site.root_page
        site.root_page = home
        site.site_name = "Collectif petite enfance"
        site.hostname, site.port = hostname, port
        site.save()
        # The placeholder page a new Wagtail installation starts with is of no use once
        # the home page exists; an editor's own page would be of a specific type.
        if previous.content_type.model_class() is Page and not previous.get_children().exists():
            previous.delete()
    return site


def _load_members(members):
    for member in members:
        MemberOrganisation.objects.get_or_create(
            name=member["name"], defaults={"url": member.get("url", "")}
        )


def _load_site_settings(home, data):
    site = Site.objects.get(root_page=home)
    site_settings = SiteSettings.for_site(site)
    changed = False
    for field, value in data.items():
        if not getattr(site_settings, field):
            setattr(site_settings, field, value)
            changed = True
    if changed:
        site_settings.save()


def _load_privacy_page(home, data):
    """The privacy policy (Law 25), linked from the footer and every form through the site
    settings; the privacy officer's contact is printed under it from the same settings."""
    body = []
    for section in data["sections"]:
        body.append({"type": "heading", "value": {"text": section["heading"], "level": "h2"}})
        body.extend({"type": "paragraph", "value": text} for text in section["paragraphs"])
    page, _ = ensure_page(home, StandardPage, data, intro=data["intro"], body=body)
    site_settings = SiteSettings.for_site(Site.objects.get(root_page=home))
    if site_settings.privacy_page_id is None:
        site_settings.privacy_page = page
        site_settings.save(update_fields=["privacy_page"])
