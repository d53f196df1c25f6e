from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "backend.plan"
    label = "plan"
    verbose_name = "The plan's targets and periods"
