from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("", views.signup, name="signup"),
    path("merci/", views.thanks, name="thanks"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("suivre/<slug:slug>/", views.follow, name="follow"),
    path("suivre/<slug:slug>/merci/", views.follow_thanks, name="follow_thanks"),
    path("suivi/confirmer/<str:token>/", views.follow_confirm, name="follow_confirm"),
    path("suivi/arreter/<str:token>/", views.follow_unsubscribe, name="follow_unsubscribe"),
]
