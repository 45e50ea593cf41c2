"""Highlighted excerpts for search results, matching as the French search does: without
accents or case, and on the start of words (logement → logements)."""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

EXCERPT_LENGTH = 240


def fold(text):
    """Lower case without accents, one character for one, so positions stay the same."""
    return "".join(unicodedata.normalize("NFKD", c)[0] for c in text).lower()


def stems(query):
    words = re.findall(r"\w+", fold(query))
    # A rough French stem: enough to find "logements" from "logement" and back.
    return {w if len(w) <= 4 else w[: max(4, len(w) - 2)] for w in words if len(w) > 1}


def excerpt(text, query):
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return ""
    prefixes = stems(query)
    folded = fold(text)
    pattern = (
        re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(prefixes))) + r")\w*")
        if prefixes
        else None
    )
    first = pattern.search(folded) if pattern else None
    if first is None:
        return Truncator(text).chars(EXCERPT_LENGTH)
    start = max(0, first.start() - EXCERPT_LENGTH // 3)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + EXCERPT_LENGTH)
    parts, position = [], start
    for match in pattern.finditer(folded, start, end):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        position = match.end()
    parts.append(escape(text[position:end]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)
