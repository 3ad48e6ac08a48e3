"""Reading the final answer: the `<answer>` text, the multiple-choice letter, a quantity + unit."""

from __future__ import annotations

import re
import string

ANSWER = re.compile(r"<answer>(.*?)(?:</answer>|$)", re.S)
LETTER = re.compile(r"^\(?([A-Z])\)?(?:[.):\s]|$)")
QUANTITY = re.compile(
    r"(-?\d+(?:\.\d+)?)\s*(%|percent|km2|km²|m2|m²|ha|hectares|km|m|buildings?)?(?![A-Za-z0-9])",
    re.I,
)
UNITS = {"percent": "%", "km²": "km2", "m²": "m2", "hectares": "ha", "building": "buildings"}


def choice_letters(n: int) -> list[str]:
    return list(string.ascii_uppercase[:n])


def answer_text(chain: str) -> str:
    """The text inside `<answer>`, or the chain's last line when the model wrote none."""
    found = ANSWER.search(chain)
    if found:
        return found.group(1).strip()
    return chain.strip().splitlines()[-1].strip() if chain.strip() else ""


def parse_choice(answer: str, choices: list[str] | None) -> str | None:
    """The candidate letter the answer names (by letter or by the candidate's own text)."""
    if not choices:
        return None
    letters = choice_letters(len(choices))
    m = LETTER.match(answer.strip())
    if m and m.group(1) in letters:
        return m.group(1)
    for letter, text in zip(letters, choices):
        if answer.strip().lower() == text.strip().lower():
            return letter
    return None


def parse_quantity(text: str) -> tuple[float | None, str | None]:
    """The first number in `text` with its unit, normalised (`percent` -> `%`, `km²` -> `km2`)."""
    m = QUANTITY.search(text)
    if not m:
        return None, None
    unit = m.group(2)
    if unit:
        unit = UNITS.get(unit.lower(), unit.lower() if unit != "%" else "%")
    return float(m.group(1)), unit


def read_answer(chain: str, choices: list[str] | None) -> tuple[str, str | None, float | None, str | None]:
    """(answer text, choice letter, value, unit) from a finished chain."""
    answer = answer_text(chain)
    choice = parse_choice(answer, choices)
    source = choices[ord(choice) - ord("A")] if choice else answer
    value, unit = parse_quantity(source)
    return answer, choice, value, unit
