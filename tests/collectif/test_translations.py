"""Our French wording over Wagtail's is built from its .po source in plain Python."""

import gettext
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import SimpleTestCase
from django.utils import translation

from collectif.team.translations import LOCALE_DIR, compile_all, read_po


class TranslationsTests(SimpleTestCase):
    def test_a_po_file_compiles_to_a_catalog_gettext_reads(self):
        with tempfile.TemporaryDirectory() as folder:
            messages = Path(folder) / "fr" / "LC_MESSAGES"
            messages.mkdir(parents=True)
            (messages / "django.po").write_text(
                'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                'msgid "Workflows"\nmsgstr "Processus de validation"\n\n'
                'msgctxt "Page action"\nmsgid "Move"\nmsgstr "Déplacer"\n\n'
                'msgid ""\n"Long "\n"text"\nmsgstr ""\n"Texte "\n"long"\n\n'
                '#, fuzzy\nmsgid "Draft"\nmsgstr "Brouillon douteux"\n\n'
                'msgid "%(count)s page"\nmsgid_plural "%(count)s pages"\n'
                'msgstr[0] "%(count)s page"\nmsgstr[1] "%(count)s pages du site"\n',
                encoding="utf-8",
            )
            self.assertEqual(compile_all(folder), [messages / "django.mo"])
            self.assertEqual(compile_all(folder), [])  # up to date: not built again
            with (messages / "django.mo").open("rb") as mo:
                catalog = gettext.GNUTranslations(mo)
            self.assertEqual(catalog.gettext("Workflows"), "Processus de validation")
            self.assertEqual(catalog.pgettext("Page action", "Move"), "Déplacer")
            self.assertEqual(catalog.gettext("Long text"), "Texte long")
            # A fuzzy entry is a guess nobody checked: left out, as msgfmt does.
            self.assertEqual(catalog.gettext("Draft"), "Draft")
            # Plural entries are compiled with their forms.
            self.assertEqual(
                catalog.ngettext("%(count)s page", "%(count)s pages", 2), "%(count)s pages du site"
            )

    def test_the_sites_wording_wins_over_wagtails(self):
        call_command("compile_translations", stdout=StringIO())
        overrides = read_po(LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po")
        self.assertGreater(len(overrides), 100)
        for language in ("fr-ca", "fr"):
            with translation.override(language):
                self.assertEqual(translation.gettext("Workflows"), "Processus de validation")
                self.assertEqual(
                    translation.gettext("Hello %(username)s,"), "Bonjour %(username)s,"
                )
                self.assertEqual(translation.gettext("Add %(label)s"), "Ajouter : %(label)s")
