from django.db import models
from django.utils import timezone

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from campaigns import records
from campaigns.blocks import prepare_questionnaires
from campaigns.reading import calendar_only, calendar_state
from campaigns.records import Selection, public_search_text
from campaigns.search_text import questionnaires_search_text
from campaigns.share import theme_share
from collectif.content import navigation
from collectif.content.blocks import RICH_TEXT_FEATURES
from collectif.delivery import cache
from collectif.models import SitePage

from .blocks import FindingStreamBlock, ThemeBodyBlock


class BoussoleIndexPage(SitePage):
    intro = models.TextField(
        "chapeau",
        max_length=600,
        blank=True,
        help_text="Facultatif. Présente la boussole au-dessus de la liste des thèmes. "
        "600 caractères max.",
    )

    content_panels = [*SitePage.content_panels, FieldPanel("intro")]
    search_fields = [*SitePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["boussole.ThemePage"]
    max_count = 1

    class Meta:
        verbose_name = "boussole"
        verbose_name_plural = "boussoles"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["themes"] = list(
            navigation.public(ThemePage.objects.live().child_of(self), request).order_by("path")
        )
        return context


class ThemePage(SitePage):
    intro = RichTextField(
        "introduction",
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text="Ce que le Collectif croit sur ce thème, en un ou deux paragraphes.",
    )
    findings_heading = models.CharField(
        "titre des constats",
        max_length=120,
        default="Le Collectif constate que :",
        blank=True,
        help_text="120 caractères max.",
    )
    findings = StreamField(
        FindingStreamBlock(),
        verbose_name="constats",
        blank=True,
        help_text="Les constats du Collectif, chacun avec ses principes au besoin.",
    )
    body = StreamField(
        ThemeBodyBlock(),
        verbose_name="contenu",
        blank=True,
        help_text="Le reste de la page : titres, paragraphes, images et questionnaires.",
    )

    content_panels = [
        *SitePage.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("findings_heading"), FieldPanel("findings")], heading="Constats"
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *SitePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("findings"),
        index.SearchField("body"),
        index.SearchField("questionnaires_text"),
        index.SearchField("published_answers_text"),
    ]

    parent_page_types = ["boussole.BoussoleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "thème de la boussole"
        verbose_name_plural = "thèmes de la boussole"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        questionnaires = self.questionnaires()
        # The comparison a reader chose (parties, questions) among those of this page, kept in
        # the address to share it.
        campaigns = {q.campaign.pk: q.campaign for q in questionnaires}.values()
        context["selection"] = Selection(request.GET).among(
            *records.vocabulary(campaigns, questionnaires)
        )
        # Each questionnaire of the body, prepared once: its blocks only render it.
        context["questionnaires"] = prepare_questionnaires(questionnaires, context["selection"])
        # Its open data, and for a comparison what it compares (title, address, image).
        context["share"] = theme_share(self, questionnaires, context["selection"], request)
        return context

    def render_key(self, request):
        """The comparison (among this page's parties and questions) and the calendar of its
        campaigns: the page's render is reused for the same ones (collectif/delivery/
        renders.py), e.g. for a link naming a question since deleted."""

        def known():
            questionnaires = self.questionnaires()
            campaigns = list({q.campaign.pk: q.campaign for q in questionnaires}.values())
            parties, keys = records.vocabulary(campaigns, questionnaires)
            return {
                "campaigns": [calendar_only(c) for c in campaigns],
                "parties": parties,
                "keys": keys,
            }

        state = cache.remember(
            f"collectif:theme-vocabulary:{self.pk}:{self.live_revision_id}",
            known,
            path=request.path,
            request=request,
        )
        selection = Selection(request.GET).among(state["parties"], state["keys"])
        now = timezone.now()
        calendar = ",".join(calendar_state(c, now) for c in state["campaigns"])
        return f"{selection.query}|{calendar}"

    def questionnaires_text(self):
        """The campaigns, questions and (once public) party names of this page's
        questionnaires, for the search index."""
        return questionnaires_search_text(self.questionnaires())

    def published_answers_text(self):
        """The parties' answers that are public, for the search index and its excerpts; never
        a draft, never an answer under embargo. Campaign changes re-index the page
        (campaigns/indexing.py)."""
        return public_search_text(self.questionnaires())

    def questionnaires(self):
        """The questionnaires placed in this page's body, in their order, with their campaign
        and questions: read once with the body's blocks, which render the same objects."""
        shown = [
            child.value["questionnaire"]
            for child in self.body
            if child.block_type == "questionnaire"
        ]
        return list({q.pk: q for q in shown if q is not None}.values())
