"""Share cards: the image a social network shows for a page that has none of its own, drawn
with Pillow and stored once under a name made of a hash of what it shows, so that a change of
what it shows makes a new file (and a new address the networks fetch again)."""

import hashlib
import io
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from PIL import Image, ImageDraw, ImageFont

from collectif.content.links import absolute_url

WIDTH, HEIGHT = 1200, 630
PAPER, BRAND, ACCENT, INK, MUTED = "#fffdf8", "#1d4f73", "#b33d12", "#1d1d1f", "#4a4f57"
FOLDER = "partage"
FONTS = Path(__file__).resolve().parent.parent / "fonts"
MARK = "Collectif petite enfance"


def card_name(prefix, content):
    """The stored name of a card: its prefix, and a hash of everything it shows."""
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
    return f"{FOLDER}/{prefix}-{digest[:16]}.png"


def _font(size, bold=False):
    # Liberation Sans (fonts/LICENSE-Liberation.txt), kept with the code: the same on every
    # server, with the accents of French.
    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def _lines(draw, text, font, width, most):
    """The text wrapped to `width` pixels, at most `most` lines (the last one shortened)."""
    lines = [""]
    for word in text.split():
        candidate = f"{lines[-1]} {word}".strip()
        if lines[-1] and draw.textlength(candidate, font=font) > width:
            lines.append(word)
        else:
            lines[-1] = candidate
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1].rstrip(" ,;:·") + "…"
    return lines


def draw_card(title, subtitle="", eyebrow=""):
    """PNG bytes of a 1200 × 630 card: the Collectif's mark, an eyebrow, a title, a subtitle."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, HEIGHT - 24, WIDTH, HEIGHT], fill=BRAND)
    draw.rectangle([0, HEIGHT - 24, WIDTH // 3, HEIGHT], fill=ACCENT)
    # The mark of the site's header: a rounded drop, then the name.
    draw.rounded_rectangle([72, 64, 128, 120], radius=28, fill=BRAND)
    draw.rectangle([72, 100, 92, 120], fill=ACCENT)
    draw.text((148, 70), MARK, font=_font(40, bold=True), fill=BRAND)
    y = 190
    if eyebrow:
        draw.text((72, y), eyebrow.upper(), font=_font(30, bold=True), fill=ACCENT)
        y += 56
    title_font = _font(64, bold=True)
    for line in _lines(draw, title, title_font, WIDTH - 144, 3):
        draw.text((72, y), line, font=title_font, fill=INK)
        y += 78
    if subtitle:
        y += 18
        subtitle_font = _font(38)
        for line in _lines(draw, subtitle, subtitle_font, WIDTH - 144, 2):
            draw.text((72, y), line, font=subtitle_font, fill=MUTED)
            y += 50
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def share_card(prefix, title, subtitle="", eyebrow="", fingerprint=None, request=None):
    """{url, width, height, alt} of the card, drawn and stored on its first request. The name
    hashes the texts and `fingerprint` (what else the card stands for: the published answers)."""
    name = card_name(prefix, [title, subtitle, eyebrow, fingerprint])
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(draw_card(title, subtitle, eyebrow)))
    url = default_storage.url(name)
    if url.startswith("/"):
        url = absolute_url(url, request=request)
    alt = " — ".join(part for part in (title, subtitle) if part)
    return {"url": url, "width": WIDTH, "height": HEIGHT, "alt": alt, "name": name}
