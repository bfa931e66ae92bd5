import math

from django import template

register = template.Library()


@register.filter
def floor(value) -> int:
    """Round a percentage down, so 99.9% never shows as 100%."""
    try:
        return math.floor(float(value))
    except (TypeError, ValueError):
        return 0
