"""Organizations are found by any of their names, and no name means two of them."""

import pytest
from django.core.exceptions import ValidationError

from ledger import services
from ledger.models import Organization
from ledger.selectors import find_organization
from ledger.selectors.organizations import find_organizations
from ledger.services.organizations import create_unverified_organizations


@pytest.mark.parametrize("name", ["United States", "u.s.", "USA", "washington", "US", " usa "])
def test_found_by_name_alias_or_country_code(united_states, name):
    assert find_organization(name) == united_states


def test_found_by_iati_identifier(db):
    usaid = services.create_organization(
        name="USAID", kind="government_body", iati_identifier="US-GOV-1"
    )
    assert find_organization("us-gov-1") == usaid


def test_unknown_names_match_nothing(united_states):
    assert find_organization("Atlantis") is None
    assert find_organization("") is None


@pytest.mark.parametrize("name", ["united states", "U.S.", "usa"])
def test_a_name_already_used_as_a_name_or_alias_is_refused(united_states, name):
    with pytest.raises(ValidationError) as excinfo:
        services.create_organization(name=name, kind="other")
    assert "United States" in excinfo.value.message_dict["name"][0]
    assert Organization.objects.count() == 1


def test_an_alias_already_used_elsewhere_is_refused(united_states, united_kingdom):
    with pytest.raises(ValidationError) as excinfo:
        services.add_alias(organization=united_kingdom, alias="Washington")
    assert "alias" in excinfo.value.message_dict
    assert services.add_alias(organization=united_states, alias="washington").alias == "Washington"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "Narnia", "kind": "state", "country_code": "NN"}, "country_code"),
        ({"name": "Elbonia", "kind": "empire"}, "kind"),
        ({"name": "", "kind": "other"}, "name"),
    ],
)
def test_invalid_organizations_get_field_messages(db, values, field):
    with pytest.raises(ValidationError) as excinfo:
        services.create_organization(**values)
    assert field in excinfo.value.message_dict


def test_a_state_needs_its_country_code(db):
    with pytest.raises(ValidationError) as excinfo:
        services.create_organization(name="Moldova", kind="state")
    assert "country code" in str(excinfo.value)


def test_the_pentagon_sits_within_the_us_government(united_states):
    pentagon = services.create_organization(
        name="US Department of Defense",
        kind="government_body",
        country_code="US",
        parent=united_states,
        aliases=["Pentagon"],
    )
    assert find_organization("pentagon") == pentagon
    assert pentagon.parent == united_states


@pytest.fixture
def ukraine_in_cyrillic(db):
    return services.create_organization(
        name="Україна", kind="state", country_code="UA", aliases=["Украина"]
    )


@pytest.mark.parametrize("name", ["Україна", "україна", "УКРАЇНА", "украина", "УКРАИНА"])
def test_found_by_a_cyrillic_name_in_any_case(ukraine_in_cyrillic, name):
    assert find_organization(name) == ukraine_in_cyrillic
    key = name.lower()
    assert find_organizations([name, "Atlantis"]) == {key: ukraine_in_cyrillic}


@pytest.mark.parametrize("name", ["УКРАЇНА", "украина"])
def test_a_cyrillic_name_differing_only_by_case_is_refused(ukraine_in_cyrillic, name):
    with pytest.raises(ValidationError) as excinfo:
        services.create_organization(name=name, kind="other")
    assert "Україна" in excinfo.value.message_dict["name"][0]
    with pytest.raises(ValidationError):
        create_unverified_organizations([Organization(name=name, kind="other")])
    assert Organization.objects.count() == 1
