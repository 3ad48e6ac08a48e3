"""Reading answers: letter, candidate text, quantity and unit."""

import pytest

from model_runtime.reasoning.answer import read_answer


@pytest.mark.parametrize(
    "chain,choices,expected",
    [
        ("<think>...</think><answer>B</answer>", ["10%", "29%"], ("B", "B", 29.0, "%")),
        ("<answer>(C) 1.5 km2</answer>", ["0.5 km2", "1 km2", "1.5 km2"], ("(C) 1.5 km2", "C", 1.5, "km2")),
        ("<answer>29%</answer>", ["10%", "29%"], ("29%", "B", 29.0, "%")),
        ("<answer>about 250 m</answer>", None, ("about 250 m", None, 250.0, "m")),
        ("<answer>12 buildings</answer>", None, ("12 buildings", None, 12.0, "buildings")),
        ("<answer>3.2 hectares", None, ("3.2 hectares", None, 3.2, "ha")),
        ("<answer>Yes</answer>", None, ("Yes", None, None, None)),
        ("<answer>E</answer>", ["1", "2"], ("E", None, None, None)),
        ("no answer tag, 40 percent", None, ("no answer tag, 40 percent", None, 40.0, "%")),
    ],
)
def test_read_answer(chain, choices, expected):
    assert read_answer(chain, choices) == expected
