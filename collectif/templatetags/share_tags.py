"""The head of every public page as search engines and social networks read it: canonical
address, description, OpenGraph and Twitter tags, an image for every share, the alternate
formats and the schema.org description (JSON-LD)."""

import json

from django import template
from django.utils.safestring import mark_safe

from wagtail.models import Site

from collectif.content.cards import share_card
from collectif.content.links import absolute_url
from collectif.models import SiteSettings

register = template.Library()

SITE_NAME = "Collectif petite enfance"
# What a JSON-LD block must never hold as is, so that its text cannot close the element.
LD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def ld_json(value):
    """JSON for <script type="application/ld+json">: data, never run; escaped like
    Django's json_script."""
    return mark_safe(json.dumps(value, ensure_ascii=False, indent=1).translate(LD_ESCAPES))


def _rendition(image):
    rendition = image.get_rendition("fill-1200x630|format-jpeg")
    return {
        "url": rendition.full_url,
        "width": rendition.width,
        "height": rendition.height,
        "alt": image.default_alt_text,
    }


def _organization(site_settings, request):
    organization = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": SITE_NAME,
        "url": absolute_url("/", request=request),
    }
    if site_settings.footer_text:
        organization["description"] = site_settings.footer_text
    if site_settings.contact_email:
        organization["email"] = site_settings.contact_email
    same_as = [url for _, url in site_settings.social_links]
    if same_as:
        organization["sameAs"] = same_as
    return organization


@register.inclusion_tag("components/share_meta.html", takes_context=True)
def share_meta(context):
    """The page's own title, description and image first (Wagtail's promote tab), then what
    the view says of it (`share`: a campaign, a comparison, the open data), then the site's
    default image, else a card drawn for the page."""
    request = context.get("request")
    page = context.get("page")
    share = context.get("share") or {}
    if page is None and not share:
        return {"show": False}
    title = share.get("title") or (page.seo_title or page.title if page else "")
    description = share.get("description") or getattr(page, "meta_description", "")
    canonical = share.get("canonical") or (
        page.full_url if page else request.build_absolute_uri(request.path)
    )
    site_settings = SiteSettings.for_request(request)
    own_image = getattr(page, "social_image", None)
    if own_image is not None:
        image = _rendition(own_image)
    elif share.get("image"):
        image = share["image"]
    elif site_settings.social_image is not None:
        image = _rendition(site_settings.social_image)
    else:
        image = share_card("page", title, description, request=request)
    json_ld = list(share.get("json_ld", []))
    site = Site.find_for_request(request)
    if page is not None and site is not None and page.pk == site.root_page_id:
        json_ld.insert(0, _organization(site_settings, request))
    return {
        "show": True,
        "title": title,
        "description": description,
        "canonical": canonical,
        "image": image,
        "site_name": SITE_NAME,
        "alternates": share.get("alternates", []),
        "json_ld": json_ld,
    }
