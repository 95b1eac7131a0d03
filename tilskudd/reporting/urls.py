from django.urls import path

from tilskudd.reporting import views

app_name = "reporting"
urlpatterns = [
    path("rapporter/<int:obligation_id>/", views.obligation, name="report_obligation"),
]
