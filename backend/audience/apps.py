from django.apps import AppConfig


class AudienceConfig(AppConfig):
    name = "backend.audience"
    label = "audience"
    verbose_name = "Audience"
