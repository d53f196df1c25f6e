from django.apps import AppConfig


class OfflineShopConfig(AppConfig):
    name = "backend.offline_shop"
    label = "offline_shop"
    verbose_name = "Offline shop"
