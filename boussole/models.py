from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from collectif.blocks import RICH_TEXT_FEATURES
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
        context["themes"] = list(ThemePage.objects.live().public().child_of(self).order_by("path"))
        return context


class ThemePage(RoutablePageMixin, SitePage):
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
        index.SearchField("published_answers_text"),
    ]

    parent_page_types = ["boussole.BoussoleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "thème de la boussole"
        verbose_name_plural = "thèmes de la boussole"

    @path("")
    def index(self, request):
        return self.render(request)

    @path("repondre/<str:token>/")
    def answer(self, request, token):
        """A party's private link: the page, with the campaign's questionnaires as forms."""
        from campaigns.views import answer_on_theme_page

        return answer_on_theme_page(request, self, token)

    def published_answers_text(self):
        """The parties' answers that are public, for the search index; never a draft, never
        an answer under embargo. Campaign changes re-index the page (campaigns/indexing.py)."""
        from campaigns.models import Response

        public = [q.pk for q in self.questionnaires() if q.campaign.results_are_public()]
        responses = Response.objects.filter(
            questionnaire__in=public, submitted_at__isnull=False
        ).select_related("party")
        return "\n".join(
            f"{response.party.name} : {answer.get('answer', '')}"
            for response in responses
            for answer in response.submitted_answers
            if answer.get("answer")
        )

    def answer_url(self, token, questionnaire):
        """A party's private link to one questionnaire of this page."""
        path = self.reverse_subpage("answer", args=[token])
        return f"{self.url}{path}#questionnaire-{questionnaire.pk}"

    def questionnaires(self):
        from campaigns.models import Questionnaire
        from campaigns.placements import questionnaire_ids_in

        ids = questionnaire_ids_in(self.body)
        found = Questionnaire.objects.select_related("campaign").in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]
