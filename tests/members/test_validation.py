import pytest

from meute.members.exceptions import InvalidMemberData
from meute.members.validation import clean_naf, clean_siret, find_commune
from tests.factories import valid_siret


def test_clean_siret_accepts_spaces():
    """A valid SIRET typed with spaces is accepted as 14 digits."""
    siret = valid_siret(1)
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    assert clean_siret(spaced) == siret


def test_clean_siret_rejects_wrong_check_digit():
    """A SIRET whose check digit is wrong is refused with a reason."""
    siret = valid_siret(1)
    wrong = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    with pytest.raises(InvalidMemberData, match="check digit"):
        clean_siret(wrong)


def test_clean_siret_rejects_wrong_length():
    """A SIRET that is not 14 digits is refused."""
    with pytest.raises(InvalidMemberData, match="14 digits"):
        clean_siret("1234")


def test_clean_naf_normalises():
    """A NAF code typed without the dot is normalised."""
    assert clean_naf("6201z") == "62.01Z"


def test_clean_naf_rejects_unknown_code():
    """An unknown NAF code is refused."""
    with pytest.raises(InvalidMemberData, match="NAF"):
        clean_naf("99.99Q")


@pytest.mark.django_db
def test_find_commune_by_insee_code():
    """A commune is found by its INSEE code."""
    assert find_commune("86194").name == "Poitiers"


@pytest.mark.django_db
def test_find_commune_by_postal_code_and_city():
    """A commune is found by postal code and city name when no INSEE code is given."""
    assert find_commune("", postal_code="86000", city="POITIERS").insee == "86194"


@pytest.mark.django_db
def test_find_commune_rejects_unknown_code():
    """An unknown INSEE code is refused."""
    with pytest.raises(InvalidMemberData, match="INSEE"):
        find_commune("99999")


@pytest.mark.django_db
def test_find_commune_by_postal_code_with_abbreviated_saint():
    """“St Julien l'Ars” with 86800 finds Saint-Julien-l'Ars among the code's eight communes."""
    assert find_commune("", postal_code="86800", city="ST JULIEN L'ARS").name == "Saint-Julien-l'Ars"


@pytest.mark.django_db
def test_find_commune_refuses_an_ambiguous_postal_code():
    """A postal code shared by several communes, without a matching city, asks for the INSEE code."""
    with pytest.raises(InvalidMemberData, match="Several communes"):
        find_commune("", postal_code="86800", city="")


@pytest.mark.parametrize(("typed", "meant"), [("Poitiers-sur-Mer", "Poitiers"), ("Niort Cedex 9 Bis", "Niort")])
def test_an_unknown_commune_with_extra_words_suggests_the_commune_it_starts_with(typed, meant):
    """An unknown name that begins with a commune's name lists that commune as a candidate."""
    with pytest.raises(InvalidMemberData) as error:
        find_commune("", city=typed)
    assert f"{meant} (" in str(error.value)
