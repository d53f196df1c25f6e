from django.apps import AppConfig


class RegistryDupAppConfig(AppConfig):
    name = "tests.registry_dup_app"
    label = "registry_dup_app"
