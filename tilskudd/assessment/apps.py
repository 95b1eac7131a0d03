from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "tilskudd.assessment"
    verbose_name = "Vurdering og tildeling"
