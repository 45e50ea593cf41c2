"""A reader compares two parties on a phone and shares the link: the choice lives in the
address, so the link opens the same comparison elsewhere, with or without JavaScript; on a wide
screen the parties are columns, in print one party's answer after another."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from playwright.sync_api import expect

from campaigns.models import Party
from tests.browser.campaign_support import DESKTOP, PHONE, screenshots

pytestmark = pytest.mark.browser

THEME = "/boussole/agir-ensemble/"
CAMPAIGN = "/campagnes/elections-quebecoises-2022/"
AVENIR = "Parti de l’Avenir familial (parti fictif)"
COALITION = "Coalition des Quartiers (parti fictif)"
HORIZON = "Mouvement Horizon (parti fictif)"
CHOSEN = [COALITION, HORIZON]  # in the order of the table: the invitations' (by name)
QUESTIONS = [
    "Synergie et trajectoires de services",
    "Le rôle de chaque acteur",
    "Concertation des partenaires",
]
# Avenir familial's answer to the first question: it must not show once it is left out.
AVENIR_ANSWER = "Nous créerons un comité interministériel permanent"
COALITION_ANSWER = "Un guichet unique par territoire orientera les familles"


def answers(page):
    return page.locator(".answers").first


def choose(page, parties, skipped_questions=()):
    """Ticks exactly `parties` in « Partis à comparer », unticks `skipped_questions` under
    « Choisir les questions », then « Comparer »."""
    form = answers(page).locator("form.compare-form")
    group = form.get_by_role("group", name="Partis à comparer")
    for name in (AVENIR, COALITION, HORIZON):
        box = group.get_by_role("checkbox", name=name)
        expect(box).to_be_checked()
        box.set_checked(name in parties)
    if skipped_questions:
        form.locator("summary", has_text="Choisir les questions").click()
        for label in skipped_questions:
            form.get_by_role("checkbox", name=label).uncheck()
    form.get_by_role("button", name="Comparer").click()


def expect_comparison(page, parties, questions):
    """Only `parties`' answers, to `questions`: the form ticked as chosen, each shown
    question's table (on a phone, one party's answer after another) has a row per party."""
    block = answers(page)
    group = block.get_by_role("group", name="Partis à comparer")
    for name in (AVENIR, COALITION, HORIZON):
        box = group.get_by_role("checkbox", name=name)
        if name in parties:
            expect(box).to_be_checked()
        else:
            expect(box).not_to_be_checked()
    stacked = block.locator(".compare--stacked table")
    expect(stacked).to_have_count(len(questions))
    for table, label in zip(stacked.all(), questions, strict=True):
        expect(table.locator("caption")).to_contain_text(label)
        expect(table.locator("tbody th[scope=row]")).to_have_text(parties)
    left_out = [name for name in (AVENIR, COALITION, HORIZON) if name not in parties]
    for name in left_out:
        expect(block.locator(".compare").get_by_text(name)).to_have_count(0)


def share_link(page):
    return answers(page).locator(".compare-share a")


def query_of(url):
    return parse_qs(urlsplit(url).query)


def canonical(url):
    """The address a comparison is shared by: the same choice in a stable order (parties by
    number, questions by key), with the anchor of the answers."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    pairs = [("partis", p) for p in sorted(query.get("partis", []), key=int)]
    pairs += [("questions", q) for q in sorted(query.get("questions", []))]
    return urlunsplit(parts._replace(query=urlencode(pairs)))


@pytest.fixture
def party_ids(demo_site):
    return {party.name: str(party.pk) for party in Party.objects.all()}


def test_a_reader_compares_two_parties_on_a_phone_and_shares_the_link(
    demo_site, browser, phone, party_ids, output_dir
):
    page = phone
    page.goto(demo_site.url + THEME)
    # Everyone at first, and no link to share yet.
    expect_comparison(page, [COALITION, HORIZON, AVENIR], QUESTIONS)
    expect(share_link(page)).to_have_count(0)
    expect(answers(page)).to_contain_text(AVENIR_ANSWER)

    choose(page, CHOSEN, skipped_questions=["Concertation des partenaires"])
    shown = QUESTIONS[:2]
    expect(page).to_have_url(re.compile(r"\?.*partis="))
    query = query_of(page.url)
    assert sorted(query["partis"]) == sorted(party_ids[name] for name in CHOSEN)
    assert len(query["questions"]) == 2
    # The page comes back on the comparison itself.
    assert urlsplit(page.url).fragment.startswith("reponses-")
    expect_comparison(page, CHOSEN, shown)
    expect(answers(page)).not_to_contain_text(AVENIR_ANSWER)
    expect(answers(page).locator(".compare--stacked")).to_contain_text(COALITION_ANSWER)
    expect(answers(page).locator(".compare--stacked")).to_contain_text("n’a pas répondu")
    expect(answers(page).locator(".compare--stacked")).not_to_contain_text(
        "Concertation des partenaires"
    )
    # On a phone the wide table stays hidden, and nothing is wider than the screen.
    expect(answers(page).locator(".compare--wide")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The link to share is this comparison's address, its choice in a stable order.
    link = share_link(page)
    expect(link).to_be_visible()
    address = canonical(page.url)  # with its anchor: a shared link opens at the comparison
    expect(link).to_have_text(address)
    expect(answers(page).locator(".compare-share")).to_contain_text(
        "Lien de cette comparaison, à partager"
    )
    screenshots(page, output_dir, "comparaison-theme")

    # Opened in another browser (nothing shared with this one): the same comparison.
    other = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    elsewhere = other.new_page()
    elsewhere.goto(link.inner_text())
    expect_comparison(elsewhere, CHOSEN, shown)
    expect(share_link(elsewhere)).to_have_text(address)
    other.close()

    # Printed: one party's answer after another, without the form; the wide table left out.
    page.emulate_media(media="print")
    expect(answers(page).locator(".compare--stacked")).to_be_visible()
    expect(answers(page).locator(".compare--wide")).to_be_hidden()
    expect(answers(page).locator("form.compare-form")).to_be_hidden()
    for table in answers(page).locator(".compare--stacked table").all():
        expect(table.locator("tbody th[scope=row]")).to_have_text(CHOSEN)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=output_dir / "comparaison-theme-impression.png", full_page=True)
    # Printed from a wide window too: still stacked, never narrow columns.
    expect(answers(page).locator(".compare--stacked")).to_be_visible()
    expect(answers(page).locator(".compare--wide")).to_be_hidden()
    page.emulate_media(media="screen")

    # « Tout afficher » brings every party back.
    page.set_viewport_size(PHONE)
    answers(page).get_by_role("link", name="Tout afficher").click()
    expect(share_link(page)).to_have_count(0)
    expect(answers(page).locator(".compare--stacked table")).to_have_count(3)
    expect(answers(page)).to_contain_text(AVENIR_ANSWER)


def test_the_comparison_works_without_javascript(demo_site, browser, party_ids, output_dir):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site.url + THEME)
    choose(page, CHOSEN)
    expect(page).to_have_url(re.compile(r"\?.*partis="))
    assert sorted(query_of(page.url)["partis"]) == sorted(party_ids[name] for name in CHOSEN)
    expect_comparison(page, CHOSEN, QUESTIONS)
    expect(share_link(page)).to_have_text(canonical(page.url))
    page.screenshot(path=output_dir / "comparaison-sans-javascript.png", full_page=True)

    # The shared link, opened in a browser without JavaScript.
    fresh = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    elsewhere = fresh.new_page()
    elsewhere.goto(share_link(page).inner_text())
    wide = answers(elsewhere).locator(".compare--wide table")
    expect(wide.locator("th[scope=col]")).to_have_text(["Question", *CHOSEN])
    fresh.close()
    context.close()


@pytest.mark.parametrize("path", [THEME, CAMPAIGN], ids=["theme", "campagne"])
def test_on_a_wide_screen_the_chosen_parties_are_columns(
    demo_site, browser, party_ids, path, output_dir
):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(demo_site.url + path)
    wide = answers(page).locator(".compare--wide table")
    expect(wide.locator("th[scope=col]")).to_have_text(["Question", COALITION, HORIZON, AVENIR])

    choose(page, CHOSEN)
    expect(page).to_have_url(re.compile(r"\?.*partis="))
    assert urlsplit(page.url).path == path
    assert sorted(query_of(page.url)["partis"]) == sorted(party_ids[name] for name in CHOSEN)
    expect(answers(page).locator(".compare--stacked")).to_be_hidden()
    expect(wide).to_be_visible()
    expect(wide.locator("caption")).to_have_text("Réponses de 2 partis, question par question")
    expect(wide.locator("th[scope=col]")).to_have_text(["Question", *CHOSEN])
    expect(wide.locator("tbody th[scope=row]")).to_have_count(3)
    for row in wide.locator("tbody tr").all():
        expect(row.locator("td")).to_have_count(2)
    first_row = wide.locator("tbody tr").first
    expect(first_row.locator("td").first).to_contain_text(COALITION_ANSWER)
    expect(first_row.locator("td").last).to_have_text("n’a pas répondu")
    expect(answers(page)).not_to_contain_text(AVENIR_ANSWER)
    address = canonical(page.url)  # with its anchor: a shared link opens at the comparison
    expect(share_link(page)).to_have_text(address)
    name = "comparaison-" + ("theme" if path == THEME else "campagne")
    screenshots(page, output_dir, name)

    # The same address in a new browser, on a phone: the same two parties, one after another.
    other = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    elsewhere = other.new_page()
    elsewhere.goto(address)
    expect_comparison(elsewhere, CHOSEN, QUESTIONS)
    other.close()

    if path == CAMPAIGN:
        # The campaign page says where its questionnaire is placed.
        expect(page.get_by_role("heading", level=1)).to_have_text("Élections québecoises 2022")
        expect(page.locator(".campaign-questionnaires")).to_contain_text("Agir ensemble")
        page.emulate_media(media="print")
        expect(answers(page).locator(".compare--stacked")).to_be_visible()
        expect(answers(page).locator(".compare--wide")).to_be_hidden()
        page.screenshot(path=output_dir / "comparaison-campagne-impression.png", full_page=True)
    context.close()


def test_comparing_in_one_questionnaire_keeps_the_other_ones_on_the_campaign_page(
    demo_site, browser
):
    from campaigns.models import Campaign, Question, Questionnaire

    campaign = Campaign.objects.get()
    second = Questionnaire.objects.create(
        campaign=campaign, title="Soutenir les familles", intro=""
    )
    Question.objects.create(
        questionnaire=second,
        sort_order=0,
        label="Congés parentaux",
        text="Comment allongerez-vous les congés parentaux?",
        field_type="multiline",
        max_length=3000,
    )
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(demo_site.url + CAMPAIGN)
    agir = page.locator("section.questionnaire", has_text="Agir ensemble")
    choose(agir, CHOSEN)
    expect(page).to_have_url(re.compile(r"\?.*partis="))
    other = page.locator("section.questionnaire", has_text="Soutenir les familles")
    expect(other.get_by_role("heading", name="Soutenir les familles")).to_be_visible()
    # Its own question is offered (inside the closed « Choisir les questions ») and shown.
    expect(other.locator("input[name=questions]")).to_have_count(1)
    expect(other.locator(".compare--wide th[scope=col]")).to_have_text(["Question", *CHOSEN])
    expect(other.locator(".compare--wide tbody tr")).to_have_count(1)
    expect(other.get_by_text("Choisissez au moins un parti et une question.")).to_have_count(0)
    context.close()
