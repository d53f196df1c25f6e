from django.apps import AppConfig


class PromotionsConfig(AppConfig):
    name = "backend.promotions"
    label = "promotions"
    verbose_name = "Promotions"
