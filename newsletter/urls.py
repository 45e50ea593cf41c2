from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("", views.signup, name="signup"),
    path("merci/", views.thanks, name="thanks"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
