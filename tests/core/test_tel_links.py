"""tel: links dial the number as people write it; phone fields open a phone's number pad."""

import pytest
from django.template import Context, Template

from itas.core.thaitext import tel_uri


@pytest.mark.parametrize(
    ("written", "uri"),
    [
        ("0 4249 1234", "tel:042491234"),
        ("042-491234 ต่อ 12", "tel:042491234,12"),
        ("042-491234 ext. 105", "tel:042491234,105"),
        ("042-491234, 081-234-5678", "tel:042491234"),
        ("๐๔๒-๔๙๑๒๓๔", "tel:042491234"),
        ("+66 42 491 234", "tel:+6642491234"),
        ("", ""),
    ],
)
def test_tel_uri(written, uri):
    assert tel_uri(written) == uri


def test_the_filter_is_there_in_every_template():
    html = Template('<a href="{{ p|tel }}">{{ p }}</a>').render(Context({"p": "042 491 234 ต่อ 7"}))
    assert 'href="tel:042491234,7"' in html


@pytest.mark.django_db
def test_phone_fields_ask_for_the_number_pad():
    from itas.agencies.forms import AddAgencyForm, ContactsForm
    from itas.events.forms import EventForm, RegistrationForm

    forms = [(ContactsForm(), "phone"), (AddAgencyForm(), "phone"), (EventForm(), "contact_phone")]
    forms.append((RegistrationForm(), "phone"))
    for form, name in forms:
        html = str(form[name])
        assert 'inputmode="tel"' in html and 'autocomplete="tel"' in html, name
