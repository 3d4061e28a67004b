import pytest

from tremplin.core.text import digits, fold, name_key


class TestFold:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("Zoé", "zoe"),
            ("LEFÈVRE", "lefevre"),
            ("Lefèvre", "lefevre"),
            ("Zoé  D'Hérouville", "zoe d herouville"),
            ("Jean-Pierre", "jean pierre"),
            ("  Chenôve ", "chenove"),
            ("Fontaine-lès-Dijon", "fontaine les dijon"),
            ("François Çà", "francois ca"),
            ("Cœur", "coeur"),
            ("ŒUVRE", "oeuvre"),
            ("Lætitia", "laetitia"),
            ("ÆLIS", "aelis"),
            ("zoe.lefevre@example.org", "zoe lefevre example org"),
            ("", ""),
            (None, ""),
        ],
    )
    def test_fold(self, value, expected):
        assert fold(value) == expected


class TestNameKey:
    def test_accents_case_hyphens_and_spaces_are_ignored(self):
        assert name_key("Le Gall") == name_key("LEGALL") == name_key("le-gall") == "legall"
        assert name_key("Lefèvre") == name_key("LEFEVRE") == "lefevre"
        assert name_key("Jean-Pierre") == name_key("jean pierre") == name_key("JEAN PIERRE") == "jeanpierre"

    def test_ligatures_are_expanded(self):
        assert name_key("Bœuf") == name_key("BOEUF") == "boeuf"
        assert name_key("Lætitia") == name_key("Laetitia")

    def test_apostrophes_are_ignored(self):
        assert name_key("D'Hérouville") == name_key("dherouville")

    def test_different_names_differ(self):
        assert name_key("Lefèvre") != name_key("Lefebvre")
        assert name_key("Zoé") != name_key("Zoée")


def test_digits_keeps_only_digits():
    assert digits("+33 (0)3.80-12 34 56") == "330380123456"
    assert digits("") == ""
    assert digits(None) == ""
