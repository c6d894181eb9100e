"""Every number, text and date a person sets is bounded: out of range is a field error naming the field."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from meute.commands.arguments import SECONDS, bounded_int
from meute.core.bounds import INT_MAX, MONEY_MAX, TEXT_MAX, parse_id, parse_int
from meute.events.models import Event
from meute.members.models import Network
from meute.web.forms_events import EventForm
from meute.web.forms_peergroups import MinutesForm
from meute.web.networks.forms import NetworkForm
from meute.web.profiles.forms import ProfileForm
from tests.factories import EventFactory, NetworkFactory, NetworkRoleFactory

pytestmark = pytest.mark.django_db


def event_data(**changes: str) -> dict:
    start = timezone.localtime() + datetime.timedelta(days=3)
    data = {"kind": "workshop", "title": "Atelier RH", "audience": "members", "capacity": "30",
            "price_member": "0", "price_public": "10", "table_size": "6", "rounds": "8", "round_minutes": "10",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")}
    return {**data, **changes}


def french_errors(form_class, data: dict, **kwargs) -> dict:
    with translation.override("fr"):
        form = form_class(data, **kwargs)
        form.is_valid()
        return {name: " ".join(messages) for name, messages in form.errors.items()}


def test_a_capacity_beyond_32_bits_is_a_french_field_error_naming_the_field():
    """A capacity of 2**31 is refused on the capacity field, in French, with the form's label."""
    errors = french_errors(EventForm, event_data(capacity=str(2**31)))
    assert list(errors) == ["capacity"] and "« Capacité »" in errors["capacity"] and "100\xa0000" in errors["capacity"]


def test_a_huge_price_is_a_field_error():
    """A price of 1e99 euros is refused on its field."""
    errors = french_errors(EventForm, event_data(price_public="1e99"))
    assert list(errors) == ["price_public"] and "« Tarif non-membres (€) »" in errors["price_public"]


def test_a_far_year_is_a_field_error():
    """An event in year 9999 is refused on its start field."""
    errors = french_errors(EventForm, event_data(starts_at="9999-12-31T10:00", ends_at="9999-12-31T11:00"))
    assert {"starts_at", "ends_at"} <= set(errors) and "2100" in errors["starts_at"]


def test_a_founding_year_out_of_range_names_the_field():
    """A founding year of 99999 is refused with the field's label."""
    errors = french_errors(ProfileForm, {"founded_year": "99999", "email_visibility": "members",
                                         "phone_visibility": "members", "headcount": "3-5"})
    assert list(errors) == ["founded_year"] and "« Année de création »" in errors["founded_year"]


def test_an_unbounded_text_gets_a_maximum_length_and_a_counter():
    """A long text with no limit of its own is limited to TEXT_MAX characters, with a visible counter."""
    form = NetworkForm()
    html = str(form["goals"])
    errors = french_errors(NetworkForm, {"name": "R", "family": "business", "fee_amount": "0",
                                         "goals": "x" * (TEXT_MAX + 1)})
    assert f'maxlength="{TEXT_MAX}"' in html and "data-counter" in html and list(errors) == ["goals"]


def test_minutes_have_their_own_longer_limit():
    """The minutes of a meeting may be longer than an ordinary text, but not unbounded."""
    ok = french_errors(MinutesForm, {"minutes": "x" * (TEXT_MAX + 1)})
    too_long = french_errors(MinutesForm, {"minutes": "x" * 20_001})
    assert ok == {} and list(too_long) == ["minutes"]


def test_the_event_form_refuses_a_huge_capacity_and_creates_nothing(client):
    """Posting a capacity of 99999999999999999999 shows a field error and stores no event."""
    staff = NetworkRoleFactory()
    client.force_login(staff.user)
    response = client.post(reverse("web:event_create", args=[staff.network.slug]),
                           event_data(capacity="99999999999999999999"))
    assert response.status_code == 200 and "Capacité" in response.content.decode() and Event.objects.count() == 0


def test_the_network_form_refuses_a_huge_fee_and_changes_nothing(client):
    """Posting a fee of 10**12 euros shows a field error and leaves the fee as it was."""
    staff = NetworkRoleFactory()
    client.force_login(staff.user)
    response = client.post(reverse("web:network_edit", args=[staff.network.slug]),
                           {"name": "R", "family": "business", "fee_amount": "1000000000000"})
    assert response.status_code == 200 and Network.objects.get(pk=staff.network.pk).fee_amount == 0


@pytest.mark.parametrize(("field", "value"), [
    ("capacity", 2**31), ("price_member", MONEY_MAX + 1), ("rounds", 31), ("table_size", 99),
    ("description", "x" * (TEXT_MAX + 1)),
])
def test_model_validation_bounds_each_field_on_every_database(field, value):
    """full_clean refuses an out-of-range value on its field (SQLite would store it, PostgreSQL would raise)."""
    event = EventFactory.build(network=NetworkFactory(), **{field: value})
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    assert list(caught.value.message_dict) == [field]


def test_model_validation_bounds_a_network_size_and_fee():
    """A network's maximum size and fee are bounded by the model too."""
    network = NetworkFactory.build(max_size=INT_MAX + 1, fee_amount=Decimal("1000000"))
    with pytest.raises(ValidationError) as caught:
        network.full_clean()
    assert {"max_size", "fee_amount"} <= set(caught.value.message_dict)


def test_an_id_beyond_the_database_is_a_404(client):
    """An event id of 2**63 never reaches a query: the URL answers 404."""
    client.force_login(NetworkRoleFactory().user)
    assert client.get(f"/events/{2**63}/").status_code == 404
    assert client.get(f"/events/{2**63 - 1}/").status_code == 404


def test_parse_helpers_refuse_what_cannot_be_a_row_or_a_month():
    """Ids and numbers read from requests are None when out of range or not numbers."""
    assert [parse_id(v) for v in ("12", "0", "-3", "9" * 30, "x", None)] == [12, None, None, None, None, None]
    assert [parse_int(v, low=1, high=12) for v in ("12", "13", "²", " 3 ")] == [12, None, None, 3]


def test_error_pages_speak_french_in_the_site_layout(client):
    """An unknown address shows the French 404 page inside the site's layout."""
    client.force_login(NetworkRoleFactory().user)
    response = client.get("/nowhere/")
    content = response.content.decode()
    assert response.status_code == 404 and "Page introuvable" in content and 'class="topbar"' in content


def test_the_500_page_renders_without_a_request_or_the_database(django_assert_num_queries):
    """500.html renders with no request and no query, so it shows even when the database is down."""
    with translation.override("fr"), django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert "Erreur du serveur" in html and "meute.css" in html


def test_a_crashing_view_gets_the_french_500_page(monkeypatch):
    """An exception in a view answers the friendly 500 page."""
    from meute.web.home import views as home

    monkeypatch.setattr(home, "render", lambda *a, **k: 1 / 0)
    client = Client(raise_request_exception=False)
    client.force_login(NetworkRoleFactory().user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 500 and "Erreur du serveur" in response.content.decode()


@pytest.mark.parametrize("template", ["400.html", "403.html", "404.html"])
def test_each_error_page_has_a_way_home(template):
    """The 400, 403 and 404 pages link back to the home page."""
    with translation.override("fr"):
        html = render_to_string(template)
    assert reverse("web:home") in html and "Retour à l" in html


def test_cli_numbers_are_bounded():
    """--seconds 1e99 or a 20-digit count is refused by the command line parser."""
    import argparse

    for parse, text in ((SECONDS, "1e99"), (SECONDS, "nan"), (SECONDS, "0"), (bounded_int(1, 10), "9" * 20)):
        with pytest.raises(argparse.ArgumentTypeError):
            parse(text)
    assert SECONDS("2.5") == 2.5


def test_the_rotation_command_refuses_huge_seconds(capsys):
    """meute rotation plan --seconds 1e99 exits with code 2 and a message."""
    from meute.cli import main

    code = main(["rotation", "plan", "--players", "10", "--table-size", "5", "--rounds", "2", "--seconds", "1e99"])
    assert code == 2 and "--seconds" in capsys.readouterr().err


def test_a_service_refuses_an_out_of_range_value_that_did_not_come_through_a_form():
    """check_update_event refuses a capacity of 2**31 on the capacity field and changes nothing."""
    from meute.events.exceptions import EventError
    from meute.events.services import check_update_event

    event = EventFactory(capacity=10)
    staff = NetworkRoleFactory(network=event.network).user
    with translation.override("fr"), pytest.raises(EventError) as caught:
        check_update_event(event, acting_user=staff, capacity=2**31)
    event.refresh_from_db()
    assert caught.value.field == "capacity" and "« Capacité »" in caught.value.message and event.capacity == 10


def test_a_network_update_with_a_huge_fee_is_refused_by_the_service():
    """check_update_network refuses a fee of a million euros and leaves no audit entry."""
    from meute.core.audit import entries_for
    from meute.members.exceptions import InvalidMemberData
    from meute.members.services import check_update_network

    staff = NetworkRoleFactory()
    with pytest.raises(InvalidMemberData) as caught:
        check_update_network(staff.network, acting_user=staff.user, fee_amount=Decimal("1000000"))
    assert caught.value.field == "fee_amount" and not list(entries_for(staff.network))


def test_a_website_longer_than_its_column_is_a_field_error():
    """A valid but 300-character website address is refused by the form (PostgreSQL would raise)."""
    url = "https://example.org/" + "a" * 280
    errors = french_errors(NetworkForm, {"name": "R", "family": "business", "fee_amount": "0", "website": url})
    assert list(errors) == ["website"] and "« Site web »" in errors["website"]


def test_a_form_sent_without_its_security_token_gets_a_french_page():
    """A POST without its CSRF token answers 403 with the French explanation, not Django's English page."""
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(NetworkRoleFactory().user)
    response = strict.post(reverse("web:calendar"))
    assert response.status_code == 403 and "Session expirée" in response.content.decode()


def test_a_french_amount_with_a_decimal_comma_is_read_to_the_cent():
    """« 12,50 » in a French form is 12.50 €."""
    with translation.override("fr"):
        form = EventForm(event_data(price_member="12,50"))
        assert form.is_valid() and form.cleaned_data["price_member"] == Decimal("12.50")


def test_an_amount_with_a_point_is_still_read_in_french():
    """« 12.50 » typed in a French form is taken too."""
    with translation.override("fr"):
        form = EventForm(event_data(price_member="12.50"))
        assert form.is_valid() and form.cleaned_data["price_member"] == Decimal("12.50")


def test_a_wrong_amount_asks_for_a_number_not_a_whole_number():
    """An amount that is no number says « saisissez un nombre », not « un nombre entier »."""
    errors = french_errors(EventForm, event_data(price_member="douze"))
    assert errors["price_member"] == "« Tarif membres (€) » : saisissez un nombre."


def test_an_amount_is_shown_with_the_languages_decimal_separator():
    """A stored 12.50 € comes back in the French form as « 12,50 », in a box a comma can go in."""
    with translation.override("fr"):
        html = str(EventForm(initial={"price_member": Decimal("12.50")})["price_member"])
    assert 'value="12,50"' in html and 'type="text"' in html and 'inputmode="decimal"' in html


def test_a_wrong_hidden_value_says_the_form_expired_not_an_empty_label():
    """A hidden id altered to « abc » gives « Ce formulaire a expiré », never « « » : saisissez un nombre »."""
    from meute.web.referrals.forms import ReferralForm

    errors = french_errors(ReferralForm, {"meeting": "abc"})
    assert errors["meeting"] == "Ce formulaire a expiré : ouvrez-le de nouveau."


def test_a_wrong_web_address_names_its_field():
    """A visio link that is no address says which field, in French."""
    errors = french_errors(EventForm, event_data(visio_url="pas une adresse"))
    assert errors["visio_url"] == "« Lien visio » : saisissez une adresse web valide, comme https://example.org."


def test_a_choice_the_page_did_not_offer_names_its_field():
    """An event kind altered in the page says which field, not « 1 n’en fait pas partie »."""
    errors = french_errors(EventForm, event_data(kind="fete"))
    assert errors["kind"] == "« Type » : choisissez dans la liste."


def test_an_amount_beyond_its_maximum_gets_one_message():
    """Ten million euros says « au maximum 999 999,99 » once, not also how many digits are allowed."""
    errors = french_errors(EventForm, event_data(price_public="10000000"))
    assert errors["price_public"] == "« Tarif non-membres (€) » : au maximum 999\xa0999,99."


def test_an_amount_with_too_many_decimals_still_says_so():
    """Within the range, a third decimal is still refused on its field."""
    errors = french_errors(EventForm, event_data(price_public="12,345"))
    assert errors["price_public"] == "« Tarif non-membres (€) » : 2 décimales au maximum."
