"""Reading a sent email as a mail program does: Python's `email` package."""

import email
import re
from email import policy

HREF = re.compile(r'href="([^"]*)"')


def parse(message):
    """(parsed message, text part, html part) of a locmem message; both parts must exist."""
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative", parsed.get_content_type()
    text = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    assert text is not None and html is not None
    return parsed, text.get_content(), html.get_content()


def links(html):
    return HREF.findall(html)


def assert_site_email(testcase, message, reply_to, base="http://testserver"):
    """A message as every email of the site must be: text and HTML, French, the CSS inlined,
    a Reply-To to the Collectif, every link absolute on the site's address."""
    parsed, text, html = parse(message)
    testcase.assertEqual(parsed["Reply-To"], reply_to)
    testcase.assertNotIn("<style", html)
    testcase.assertIn('style="', html)
    testcase.assertIn('lang="fr-CA"', html)
    testcase.assertIn("Collectif petite enfance", html)
    found = links(html)
    testcase.assertTrue(found)
    for href in found:
        if not href.startswith("mailto:"):
            testcase.assertTrue(href.startswith(base + "/"), href)
    return parsed, text, html
