from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "kesu.organisation"
    label = "organisation"
