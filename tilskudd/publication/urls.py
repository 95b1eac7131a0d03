from django.urls import path

from tilskudd.publication import views

app_name = "publication"
urlpatterns = [
    path("tildelinger/", views.award_list, name="award_list"),
    path("tildelinger/<int:award_id>/", views.award_detail, name="award_detail"),
    path(
        "tildelinger/organisasjoner/<int:organisation_id>/",
        views.organisation_awards,
        name="organisation_awards",
    ),
    path("apne-data/", views.open_data, name="open_data"),
    path("apne-data/tildelinger.json", views.awards_json, name="awards_json"),
    path("apne-data/tildelinger.csv", views.awards_csv, name="awards_csv"),
    path(
        "apne-data/runder/<int:round_id>/tildelinger.json", views.round_awards_json, name="round_awards_json"
    ),
    path("apne-data/runder/<int:round_id>/tildelinger.csv", views.round_awards_csv, name="round_awards_csv"),
    path("statistikk/", views.statistics_page, name="statistics"),
    path("statistikk/statistikk.csv", views.statistics_csv, name="statistics_csv"),
    path("statistikk/embeter/<int:office_id>/", views.statistics_page, name="office_statistics"),
    path(
        "statistikk/embeter/<int:office_id>/statistikk.csv",
        views.statistics_csv,
        name="office_statistics_csv",
    ),
    path("apne-data/runder/<int:round_id>/publisering/", views.round_publication, name="round_publication"),
    path("nasjonal-tekst/", views.scheme_text, name="scheme_text"),
]
