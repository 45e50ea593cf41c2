from django.urls import path, re_path

from . import feeds, views

app_name = "campaigns"

urlpatterns = [
    path("acces/<str:token>/", views.party_home, name="party_home"),
    path("acces/<str:token>/saisie/", views.enter_for_party, name="enter"),
    path("acces/<str:token>/<int:questionnaire_pk>/", views.answer, name="answer"),
    path(
        "acces/<str:token>/<int:questionnaire_pk>/brouillon/",
        views.autosave,
        name="autosave",
    ),
    path("<slug:slug>/", views.campaign_page, name="campaign"),
    re_path(
        r"^(?P<slug>[-\w]+)/(?P<name>reponses(?:-long)?(?:-point-virgule)?\.csv|reponses\.json"
        r"|datapackage\.json)$",
        views.open_data,
        name="open_data",
    ),
    re_path(r"^(?P<slug>[-\w]+)/flux\.atom$", feeds.CampaignFeed(), name="feed"),
]
