from django.urls import path

from tilskudd.organisations import views

app_name = "organisations"
urlpatterns = [
    path("organisasjoner/<int:organisation_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisasjoner/<int:organisation_id>/endre/", views.organisation_edit, name="organisation_edit"),
    path("embeter/<int:office_id>/", views.office_detail, name="office_detail"),
]
