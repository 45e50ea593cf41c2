"""Private-link tokens without a database: derived, bound to the invitation and its generation,
refused when malformed.

Mutation testing (make mutation MODULE=campaigns/tokens.py
TESTS=tests/campaigns/test_tokens.py): every mutant killed."""

from types import SimpleNamespace

from django.test import SimpleTestCase, override_settings

from campaigns.tokens import MAX_TOKEN_LENGTH, check_token, make_token, parse_token


def invitation(pk=42, generation=0):
    return SimpleNamespace(pk=pk, generation=generation)


class TokenTests(SimpleTestCase):
    def test_a_token_names_its_invitation_in_base_36_and_is_signed(self):
        token = make_token(invitation(pk=1296))
        prefix, _, signature = token.partition("-")
        self.assertEqual(prefix, "100")  # 1296 = 36²
        self.assertEqual(len(signature), 40)
        self.assertTrue(all(c in "0123456789abcdef" for c in signature))
        self.assertEqual(parse_token(token), 1296)
        self.assertTrue(check_token(invitation(pk=1296), token))

    @override_settings(SECRET_KEY="a-fixed-key-for-this-test")
    def test_a_link_mailed_stays_valid_from_one_release_to_the_next(self):
        """The salt and the algorithm are part of every link already sent: changing either
        would silently break them all."""
        self.assertEqual(
            make_token(invitation(pk=42, generation=3)),
            "16-d70aff89fb66fabf6cb18592498b44b29e78e627",
        )

    def test_the_same_invitation_always_gets_the_same_token(self):
        self.assertEqual(make_token(invitation()), make_token(invitation()))

    def test_renewing_the_generation_makes_the_old_token_useless(self):
        old = make_token(invitation(generation=0))
        self.assertNotEqual(old, make_token(invitation(generation=1)))
        self.assertFalse(check_token(invitation(generation=1), old))

    def test_a_token_opens_no_other_invitation(self):
        token = make_token(invitation(pk=42))
        self.assertFalse(check_token(invitation(pk=43), token))
        forged = "15-" + token.partition("-")[2]  # another id, the same signature
        self.assertEqual(parse_token(forged), 41)
        self.assertFalse(check_token(invitation(pk=41), forged))

    def test_another_secret_key_renews_every_link(self):
        token = make_token(invitation())
        with override_settings(SECRET_KEY="another-key"):
            self.assertNotEqual(make_token(invitation()), token)
            self.assertFalse(check_token(invitation(), token))

    def test_a_malformed_token_names_no_invitation(self):
        too_long = "1-" + "a" * (MAX_TOKEN_LENGTH - 1)
        for token in ("", None, "abc", "-abc", "!!-abc", "1" * 20 + "x", too_long):
            with self.subTest(token=token):
                self.assertIsNone(parse_token(token))
        just_long_enough = "1-" + "a" * (MAX_TOKEN_LENGTH - 2)
        self.assertEqual(parse_token(just_long_enough), 1)
        # The id is what comes before the first dash, whatever follows (the signature is
        # then checked against that invitation only).
        self.assertEqual(parse_token("100-ab-cd"), 1296)
