from django.utils import translation

from meute.events.rotations import plan_message
from meute.matching.rotations import RotationProblem


def test_plan_message_speaks_french_with_the_proof():
    """A plan with repeats that cannot be avoided says why in French, with the bound's numbers."""
    problem = RotationProblem(participants=8, table_size=4, rounds=3)  # 2 tables of 4: pigeonhole
    with translation.override("fr"):
        message = plan_message(problem, 4)
    assert message.startswith("Aucun plan sans répétition n’est possible (4 places par table mais seulement 2 tables")
    assert "4 rencontres répétées" in message


def test_plan_message_without_repeats():
    """A plan where nobody meets twice says so."""
    with translation.override("fr"):
        assert plan_message(RotationProblem(participants=8, table_size=4, rounds=1), 0) == \
            "Aucune paire ne se rencontre deux fois."
