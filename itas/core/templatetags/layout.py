"""Layout filters that keep style="..." out of the markup (the Content-Security-Policy forbids
inline styles): a template names a class of static/itas/pct.css instead."""

import math

from django import template

register = template.Library()


@register.filter
def pct(value) -> int:
    """{{ x|pct }}: a whole percent 0..100 for class="w-pct-N", rounded down so that a bar never
    shows more than its value (84.9 against a pass mark of 85 stays short of the mark). Anything
    that is not a number (None, "", "–") is 0."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    if math.isnan(number):
        return 0
    return math.floor(max(0.0, min(100.0, number)))
