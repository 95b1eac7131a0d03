from django.urls import path

from tilskudd.api import views

app_name = "api"
urlpatterns = [
    path("api/tokens/", views.tokens, name="tokens"),
    path("api/tokens/<int:token_id>/revoke/", views.revoke, name="token_revoke"),
    path("api/docs", views.docs, name="docs"),
]
