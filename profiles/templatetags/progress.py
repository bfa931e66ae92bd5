import math

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def floor(value) -> int:
    """Round a percentage down, so 99.9% never shows as 100%."""
    try:
        return math.floor(float(value))
    except (TypeError, ValueError):
        return 0


@register.filter
def translated(message: str) -> str:
    """A message marked with gettext_noop in a plain module, in the active language.

    Unlike {% translate variable %}, which looks up the message with its percent signs
    doubled, this finds messages such as "ready at 100%" as makemessages extracted them.
    """
    return gettext(message)
