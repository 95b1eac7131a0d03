from django.contrib import admin

from tilskudd.organisations.models import Fylke, Office, Organisation


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("name", "organisasjonsnummer", "postal_town", "phone")
    fields = ("name", "organisasjonsnummer", "postal_address", "postal_code", "postal_town", "phone", "email")


@admin.register(Fylke)
class FylkeAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "office")
    list_select_related = ("office",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "kommunenummer",
        "organisasjonsnummer",
        "postal_town",
        "fylke",
        "valid_to",
    )
    list_filter = ("kind", "fylke__office")
    list_select_related = ("fylke",)
    search_fields = ("name", "kommunenummer", "organisasjonsnummer")
    autocomplete_fields = ("successor",)
