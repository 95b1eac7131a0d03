from django.urls import path

from tilskudd.organisations import people, views

app_name = "organisations"
urlpatterns = [
    path("organisasjoner/<int:organisation_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisasjoner/<int:organisation_id>/endre/", views.organisation_edit, name="organisation_edit"),
    path("embeter/<int:office_id>/", views.office_detail, name="office_detail"),
    # people and access (self-administration)
    path(
        "organisasjoner/<int:organisation_id>/personer/",
        people.organisation_people,
        name="organisation_people",
    ),
    path("embeter/<int:office_id>/personer/", people.office_people, name="office_people"),
    path("tilganger/<int:membership_id>/", people.role, name="role"),
    path("invitasjoner/<int:invitation_id>/", people.invitation, name="invitation"),
]
