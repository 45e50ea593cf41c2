"""Blocks checked without a database: to_python, clean, render."""

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from boussole.blocks import FindingBlock
from collectif.content.blocks import HeadingBlock, LinkBlock, QuoteBlock
from home.blocks import ImpactBlock
from pillars.blocks import MeasureBlock


class LinkBlockTests(SimpleTestCase):
    block = LinkBlock()

    def clean(self, **data):
        return self.block.clean(
            self.block.to_python({"label": "", "page": None, "url": "", **data})
        )

    def test_external_link_renders(self):
        value = self.clean(label="Québec.ca", url="https://www.quebec.ca/")
        self.assertHTMLEqual(
            self.block.render(value), '<a href="https://www.quebec.ca/">Québec.ca</a>'
        )

    def test_needs_a_page_or_an_address(self):
        with self.assertRaises(ValidationError) as error:
            self.clean(label="Rien")
        self.assertIn(
            "Choisissez une page du site ou une adresse externe", str(error.exception.block_errors)
        )

    def test_external_link_needs_its_text(self):
        with self.assertRaises(ValidationError) as error:
            self.clean(url="https://www.quebec.ca/")
        self.assertIn("Donnez un texte", str(error.exception.block_errors["label"]))

    def test_a_draft_keeps_a_link_being_written_and_publishing_refuses_it(self):
        """The editor's autosave and « Enregistrer le brouillon » clean with deferred
        validation: an unfinished link in a measure must not answer them with a 400."""
        from pillars.blocks import MeasureStreamBlock

        stream = MeasureStreamBlock()
        value = stream.to_python(
            [
                {
                    "type": "measure",
                    "value": {
                        "title": "Accès à des logements abordables",
                        "description": "",
                        "image": None,
                        "links": [{"label": "", "page": None, "url": ""}],
                    },
                }
            ]
        )
        self.assertEqual(len(stream.clean_deferred(value)), 1)
        with self.assertRaises(ValidationError):
            stream.clean(value)


class ContentBlocksRenderTests(SimpleTestCase):
    def test_heading_levels(self):
        block = HeadingBlock()
        value = block.clean(block.to_python({"text": "Une section", "level": "h3"}))
        self.assertHTMLEqual(block.render(value), '<h3 class="block-heading">Une section</h3>')

    def test_quote_escapes_text(self):
        block = QuoteBlock()
        html = block.render(block.to_python({"text": "<b>Fort</b>", "attribution": "Collectif"}))
        self.assertIn("&lt;b&gt;Fort&lt;/b&gt;", html)
        self.assertIn("— Collectif", html)

    def test_measure_has_an_anchor_and_its_links(self):
        block = MeasureBlock()
        value = block.to_python(
            {
                "title": "Accès à des logements abordables",
                "description": "<p>Pourquoi.</p>",
                "image": None,
                "links": [{"label": "Rapport", "page": None, "url": "https://example.org/r"}],
            }
        )
        value = block.clean(value)
        html = block.render(value)
        self.assertIn('id="acces-a-des-logements-abordables"', html)
        self.assertInHTML(
            '<h2 class="measure__title" id="acces-a-des-logements-abordables-titre">'
            "Accès à des logements abordables</h2>",
            html,
        )
        self.assertInHTML('<a href="https://example.org/r">Rapport</a>', html)

    def test_measure_needs_a_title(self):
        block = MeasureBlock()
        with self.assertRaises(ValidationError):
            block.clean(
                block.to_python({"title": "", "description": "", "image": None, "links": []})
            )

    def test_finding_with_principles(self):
        block = FindingBlock()
        html = block.render(
            block.to_python(
                {"text": "<p>Un constat.</p>", "principles": [{"text": "Un principe."}]}
            )
        )
        self.assertInHTML('<li class="principle">Un principe.</li>', html)

    def test_every_block_has_a_french_label_description_and_preview(self):
        for block in (
            HeadingBlock(),
            QuoteBlock(),
            LinkBlock(),
            MeasureBlock(),
            FindingBlock(),
            ImpactBlock(),
        ):
            with self.subTest(block=type(block).__name__):
                self.assertTrue(block.meta.label)
                self.assertTrue(block.meta.description)
                self.assertIsNotNone(block.meta.preview_value)
                self.assertTrue(block.meta.icon)
