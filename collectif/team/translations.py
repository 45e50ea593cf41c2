"""Our French wording over Wagtail's (collectif/locale/fr/LC_MESSAGES/django.po, found for both
fr-ca, the site's language, and fr, the one the admin offers in account settings): the .po
file is the source; its .mo, which Django reads, is built from it by
`manage.py compile_translations` (`make` does it, and the test session) with polib, so that
no gettext tools are needed and no built file is kept in git. As msgfmt does, fuzzy and
obsolete entries are left out of the .mo; plural entries are kept."""

from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def read_po(path):
    """The translated entries of a .po file, as {msgid: msgstr} ("context\\x04msgid" for an
    entry with a msgctxt, as gettext stores it)."""
    return {
        (f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid): entry.msgstr
        for entry in polib.pofile(str(path)).translated_entries()
        if not entry.msgid_plural
    }


def compile_all(locale_dir=LOCALE_DIR):
    """Builds each .mo beside its .po when it is missing or older. Returns the .mo paths."""
    built = []
    for po in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            polib.pofile(str(po)).save_as_mofile(str(mo))
            built.append(mo)
    return built
