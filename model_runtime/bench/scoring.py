"""Scores: answer accuracy per task and overall, reasoning-mask IoU (split by right and wrong
answers), and the mask-measured answer of the quantitative tasks.

The mask-measured answer is the candidate nearest to the quantity measured from the model's own
reasoning masks and the raster's geometry: when it is right and the model's answer is wrong, the
masks were good and the reasoning over them failed; when both are wrong, the masks were.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import numpy as np
from rasterio.transform import Affine

from ..data.tasks import area_unit_for, fmt_area
from ..geo import measure
from ..reasoning.answer import choice_letters, parse_quantity

QUANTITATIVE = {"coverage", "area", "distance", "comparison", "boundary", "building_change"}


@dataclass
class ItemResult:
    id: str
    task: str
    variant: str
    correct: bool
    choice: str | None
    answer: str
    ious: list[float] = field(default_factory=list)  # one per reference [SEG]; 0 for a missing mask
    measured_correct: bool | None = None
    chain_correct: bool | None = None  # the candidate nearest the quantity the chain states
    seconds: float = 0.0


def mask_ious(predicted: list[np.ndarray], targets: list[np.ndarray], predicted_phrases: list[str] | None = None,
              target_phrases: list[str] | None = None) -> list[float]:
    """IoU of every reference mask against the reasoning mask that grounds it: the unused one with
    the same phrase (and image order) when phrases are given, else the one at the same place
    in the chain; a reference no reasoning mask grounds scores 0."""
    pairs: dict[int, int] = {}
    if predicted_phrases is not None and target_phrases is not None:
        for t, phrase in enumerate(target_phrases):
            match = next((p for p, q in enumerate(predicted_phrases) if q == phrase and p not in pairs.values()), None)
            if match is not None:
                pairs[t] = match
    for t in range(len(targets)):
        if t not in pairs and t < len(predicted) and t not in pairs.values():
            pairs[t] = t
    return [measure.iou(predicted[pairs[t]], target) if t in pairs else 0.0 for t, target in enumerate(targets)]


def measured_value(task: str, masks: list[np.ndarray], transform: Affine, unit: str | None):
    """The task's quantity measured from the reasoning masks (None when the masks cannot give it)."""
    px = float(transform.a)
    if not masks:
        return None
    if task == "coverage":
        return measure.coverage_percent(masks[0])
    if task == "area":
        return fmt_area(measure.area_m2(masks[0], transform), unit or area_unit_for(masks[0].shape, px))
    if task == "distance" and len(masks) >= 2:
        return measure.gap_m(masks[0], masks[1], px)
    if task == "building_change" and len(masks) >= 2:
        return float(measure.count_objects(measure.new_objects(masks[0], masks[1])))
    if task == "boundary" and len(masks) >= 2:
        return 1.0 if measure.shared_boundary_m(masks[0], masks[1], px) > 0 else 0.0
    if task == "comparison":
        return [measure.coverage_percent(m) for m in masks]
    return None


STATED = {
    "coverage": re.compile(r"covers (\d+(?:\.\d+)?) percent"),
    "area": re.compile(r"about (\d+(?:\.\d+)?) (?:km2|ha)"),
    "distance": re.compile(r"are (\d+(?:\.\d+)?) m apart"),
    "building_change": re.compile(r"are (\d+) buildings"),
}
REGION_SHARE = re.compile(r"<p>(.*?)</p>\[SEG\] covers (\d+(?:\.\d+)?) percent")


def chain_choice(task: str, chain: str, choices: list[str]) -> str | None:
    """The candidate nearest the quantity the chain itself states before its answer: separates a
    wrong measurement from a right one mapped to the wrong letter."""
    if not choices:
        return None
    if task == "boundary":
        if "boundary" in chain:
            return nearest_choice(task, 1.0, choices)
        return nearest_choice(task, 0.0, choices) if "apart" in chain else None
    if task == "comparison":
        shares = REGION_SHARE.findall(chain)
        if not shares:
            return None
        phrases = [p for p, _ in shares]
        return nearest_choice(task, [float(v) for _, v in shares], choices, phrases)
    pattern = STATED.get(task)
    found = pattern.findall(chain) if pattern else []
    return nearest_choice(task, float(found[-1]), choices) if found else None


def nearest_choice(task: str, value, choices: list[str], phrases: list[str] | None = None) -> str | None:
    """The letter of the candidate nearest to a measured value."""
    if value is None or not choices:
        return None
    letters = choice_letters(len(choices))
    if task == "boundary":
        return letters[[c.lower() for c in choices].index("yes" if value > 0 else "no")]
    if task == "comparison":
        if not phrases or len(value) < len(phrases):
            return None
        ranking = [p for _, p in sorted(zip(value, phrases), key=lambda t: -t[0])]
        for letter, choice in zip(letters, choices):
            if [s.strip() for s in choice.split(">")] == ranking or choice.strip() == ranking[0]:
                return letter
        return None
    numbers = [parse_quantity(c)[0] for c in choices]
    if any(n is None for n in numbers):
        return None
    return letters[int(np.argmin([abs(n - value) for n in numbers]))]


def summarise(results: list[ItemResult]) -> dict:
    """Accuracy per task, overall (items) and averaged over tasks; IoU overall and by correctness."""
    tasks = sorted({r.task for r in results})
    per_task = {}
    for t in tasks:
        rs = [r for r in results if r.task == t]
        measured = [r.measured_correct for r in rs if r.measured_correct is not None]
        per_task[t] = {
            "items": len(rs),
            "accuracy": 100.0 * np.mean([r.correct for r in rs]),
            "chain_accuracy": 100.0 * np.mean([bool(r.chain_correct) for r in rs]),
            "mask_measured_accuracy": 100.0 * np.mean(measured) if measured else None,
            "mean_iou": _mean([i for r in rs for i in r.ious]),
        }
    variants = {v: 100.0 * np.mean([r.correct for r in results if r.variant == v])
                for v in sorted({r.variant for r in results})}
    right = [i for r in results if r.correct for i in r.ious]
    wrong = [i for r in results if not r.correct for i in r.ious]
    return {
        "items": len(results),
        "accuracy": 100.0 * np.mean([r.correct for r in results]) if results else 0.0,
        "chain_accuracy": 100.0 * np.mean([bool(r.chain_correct) for r in results]) if results else 0.0,
        "task_average": float(np.mean([v["accuracy"] for v in per_task.values()])) if per_task else 0.0,
        "mean_iou": _mean([i for r in results for i in r.ious]),
        "mean_iou_correct": _mean(right),
        "mean_iou_wrong": _mean(wrong),
        "per_task": per_task,
        "per_variant": variants,
        "seconds_per_item": _mean([r.seconds for r in results]),
    }


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


def results_to_json(results: list[ItemResult]) -> list[dict]:
    return [asdict(r) for r in results]
