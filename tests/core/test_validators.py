import pytest
from django.core.exceptions import ValidationError

from tremplin.core.validators import (
    format_french_phone,
    luhn_ok,
    normalize_french_phone,
    validate_postcode,
    validate_siret,
)


class TestFrenchPhone:
    @pytest.mark.parametrize(
        "raw",
        [
            "0380123456",
            "03 80 12 34 56",
            "03.80.12.34.56",
            "03-80-12-34-56",
            " 03 80 12 34 56 ",
            "+33 3 80 12 34 56",
            "+33380123456",
            "+33 (0)3 80 12 34 56",
            "0033 3 80 12 34 56",
            "0033380123456",
        ],
    )
    def test_usual_spellings_are_normalised_to_ten_digits(self, raw):
        assert normalize_french_phone(raw) == "0380123456"

    def test_mobile_number(self):
        assert normalize_french_phone("+33 6 12 34 56 78") == "0612345678"

    @pytest.mark.parametrize("raw", ["", "   ", None])
    def test_empty_stays_empty(self, raw):
        assert normalize_french_phone(raw) == ""

    @pytest.mark.parametrize("raw", ["03 80 12 34 5", "380123456", "03 80 12 34 56 7", "+33 3 80 12 34 5"])
    def test_wrong_number_of_digits_is_refused(self, raw):
        with pytest.raises(ValidationError) as excinfo:
            normalize_french_phone(raw)
        assert "10 chiffres attendus" in excinfo.value.messages[0]

    @pytest.mark.parametrize("raw", ["+44 20 7946 0958", "+1 202 555 0143", "+41 22 123 45 67"])
    def test_foreign_numbers_are_refused(self, raw):
        with pytest.raises(ValidationError) as excinfo:
            normalize_french_phone(raw)
        assert excinfo.value.messages == ["Seuls les numéros français (+33 ou 0X XX XX XX XX) sont acceptés."]

    @pytest.mark.parametrize("raw", ["03 80 12 34 5a", "zéro trois", "03/80/12/34/56", "tel: 0380123456"])
    def test_letters_and_other_characters_are_refused(self, raw):
        with pytest.raises(ValidationError) as excinfo:
            normalize_french_phone(raw)
        assert "ne doit contenir que des chiffres" in excinfo.value.messages[0]

    @pytest.mark.parametrize("raw", ["00 80 12 34 56", "0080123456", "0044 20 7946 0958"])
    def test_numbers_starting_with_00_are_refused(self, raw):
        with pytest.raises(ValidationError):
            normalize_french_phone(raw)

    def test_number_not_starting_with_zero_is_refused(self):
        with pytest.raises(ValidationError):
            normalize_french_phone("3380123456")

    def test_format_groups_digits_by_two(self):
        assert format_french_phone("0380123456") == "03 80 12 34 56"
        assert format_french_phone("") == ""


class TestPostcode:
    @pytest.mark.parametrize("postcode", ["21000", "21300", "75001", "97400", "20000"])
    def test_valid_postcodes(self, postcode):
        validate_postcode(postcode)  # does not raise

    @pytest.mark.parametrize("postcode", ["2100", "210000", "21 000", "2A004", "abcde", "", None])
    def test_not_five_digits_is_refused(self, postcode):
        with pytest.raises(ValidationError) as excinfo:
            validate_postcode(postcode)
        assert excinfo.value.messages == ["Code postal invalide : 5 chiffres attendus, par exemple 21000."]

    @pytest.mark.parametrize("postcode", ["00100", "96000", "99999"])
    def test_postcodes_of_no_department_are_refused(self, postcode):
        with pytest.raises(ValidationError) as excinfo:
            validate_postcode(postcode)
        assert "aucun département" in excinfo.value.messages[0]


class TestSiret:
    def test_luhn(self):
        assert luhn_ok("732829320")
        assert luhn_ok("73282932000074")
        assert not luhn_ok("732829321")

    def test_valid_siret(self):
        validate_siret("73282932000074")  # does not raise

    def test_bad_establishment_key_is_refused(self):
        with pytest.raises(ValidationError) as excinfo:
            validate_siret("73282932000075")
        assert excinfo.value.messages == ["SIRET invalide : la clé de contrôle ne correspond pas."]

    def test_bad_siren_key_is_refused(self):
        with pytest.raises(ValidationError) as excinfo:
            validate_siret("73282932100074")
        assert "SIREN" in excinfo.value.messages[0]

    @pytest.mark.parametrize("value", ["7328293200007", "732829320000740", "", None, "732 829 320 00074"])
    def test_wrong_length_or_spaces_are_refused(self, value):
        with pytest.raises(ValidationError) as excinfo:
            validate_siret(value)
        assert excinfo.value.messages == ["SIRET invalide : 14 chiffres attendus, sans espace."]

    def test_letters_are_refused(self):
        with pytest.raises(ValidationError):
            validate_siret("7328293200007A")

    def test_la_poste_establishment_follows_the_sum_of_digits_rule(self):
        # Sum of digits 3+5+6+1 = 15, a multiple of 5, though the Luhn key is wrong.
        assert not luhn_ok("35600000010000")
        validate_siret("35600000010000")  # does not raise

    def test_la_poste_establishment_with_wrong_sum_is_refused(self):
        with pytest.raises(ValidationError) as excinfo:
            validate_siret("35600000010001")
        assert excinfo.value.messages == ["SIRET invalide : la clé de contrôle ne correspond pas."]

    def test_la_poste_head_office_is_valid(self):
        # The head office's SIRET follows the Luhn rule, not the sum-of-digits one (sum 26).
        validate_siret("35600000000048")  # does not raise

    def test_factories_valid_siret_helper_is_valid(self):
        from tests.factories import valid_siret

        for n in (1, 1000, 123456789):
            validate_siret(valid_siret(n))
