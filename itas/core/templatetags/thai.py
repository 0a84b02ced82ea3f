"""Template filters for Thai dates and digits: {{ d|thaidate }}, {{ d|thaidate:"short" }},
{{ d|thaidate:"long,thai" }} for Thai digits, {{ n|thaidigits }}, {{ d|fiscalyear }}."""

from django import template

from itas.core import thaidate

register = template.Library()


def _parse(arg: str | None) -> tuple[str, str]:
    parts = (arg or "long").split(",")
    style = parts[0] or "long"
    digits = "thai" if "thai" in parts[1:] else "arabic"
    return style, digits


@register.filter
def thaidate_filter(value, arg=None):
    style, digits = _parse(arg)
    return thaidate.format_date(value, style, digits)


@register.filter
def thaidatetime(value, arg=None):
    style, digits = _parse(arg)
    return thaidate.format_datetime(value, style, digits)


@register.filter
def thaitime(value, arg=None):
    return thaidate.format_time(value, "thai" if arg == "thai" else "arabic")


@register.filter
def thaidigits(value):
    return thaidate.thai_digits(value)


@register.filter
def fiscalyear(value):
    return thaidate.fiscal_year(value) if value else ""


@register.filter
def score(value):
    """Two decimals, or an em dash where a score does not exist (never a zero)."""
    if value is None or value == "":
        return "–"
    return f"{float(value):.2f}"


register.filter("thaidate", thaidate_filter)


@register.filter
def tel(phone) -> str:
    """{{ agency.phone|tel }}: the `tel:` URI of a number as people write it."""
    from itas.core.thaitext import tel_uri

    return tel_uri(str(phone or ""))
