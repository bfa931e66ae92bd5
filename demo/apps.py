from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Generated demo and benchmark data: content and people, apart from the product's apps."""

    name = "demo"
    verbose_name = "Demo data"
