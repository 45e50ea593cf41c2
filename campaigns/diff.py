"""What changed between two versions of an answer, word by word, for the team's inspect view
and for the public history of a published answer. Plain HTML (no script): removed words in
<del>, added words in <ins>, each announced in words to screen readers."""

import difflib

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


def answer_text(answer):
    """An answer as one comparable text: its status, its text, its explanation."""
    label = answer.status_label if answer.text or not answer.is_answered else "sans réponse"
    text = f"[{label}] {answer.text}".strip()
    return f"{text}\nExplication : {answer.explanation}" if answer.explanation else text


def answer_texts(older, newer):
    """Two answers as comparable texts for the public; the status is named only when it
    changed (« [a décliné] »), never « [a répondu] » before every text."""
    if older.status == newer.status:
        return _plain(older), _plain(newer)
    return answer_text(older), answer_text(newer)


def _plain(answer):
    text = answer.text if answer.is_answered else answer.summary
    return f"{text}\nExplication : {answer.explanation}" if answer.explanation else text


def word_diff(old, new, hidden="visually-hidden"):
    """`hidden`: the class that hides the screen reader's words from sight (the site's, or
    the admin's `w-sr-only`)."""
    old_words, new_words = old.split(" "), new.split(" ")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(
                format_html(
                    '<del><span class="{}">[retiré : </span>{}<span class="{}">]</span></del>',
                    hidden,
                    " ".join(old_words[a1:a2]),
                    hidden,
                )
            )
        if b2 > b1:
            parts.append(
                format_html(
                    '<ins><span class="{}">[ajouté : </span>{}<span class="{}">]</span></ins>',
                    hidden,
                    " ".join(new_words[b1:b2]),
                    hidden,
                )
            )
    return mark_safe(" ".join(parts))
