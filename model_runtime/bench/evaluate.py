"""Running the benchmark through the reasoning loop: our generated items or the public parquet."""

from __future__ import annotations

import io
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import rasterio
import torch
from tqdm import tqdm

from ..reasoning.answer import parse_choice
from ..reasoning.events import AnswerEvent, MaskEvent
from ..reasoning.loop import GroundingRules, ImageInput, greedy, reason
from .dataset import BenchItem, item_images, item_targets, load_benchmark
from .scoring import ItemResult, chain_choice, mask_ious, measured_value, nearest_choice

ABLATIONS = {
    "full": "mask",  # full pixel grounding
    "text-only": "none",  # no reinjection: a text-only chain
    "box": "box",  # the mask's bounding box instead of the mask
    "random": "random",  # random tokens of the same count
}


def answer_item(backend, images: list[ImageInput], question: str, choices: list[str] | None,
                rules: GroundingRules, context: str | None = None, next_token=greedy):
    """(answer event, mask events) of one question."""
    masks, answer = [], None
    for event in reason(backend, images, question, choices, rules=rules, context=context, next_token=next_token):
        if isinstance(event, MaskEvent):
            masks.append(event)
        elif isinstance(event, AnswerEvent):
            answer = event
    return answer, masks


def run_items(backend, root: Path, rules: GroundingRules, ablation: str = "full", limit: int | None = None,
              progress: bool = True) -> list[ItemResult]:
    """Answer every item of a generated benchmark and score each against its references."""
    rules = replace(rules, feed_back=ABLATIONS[ablation])
    items = load_benchmark(root)[:limit]
    results = []
    for item in tqdm(items, desc=f"bench ({ablation})", disable=not progress):
        results.append(score_item(backend, root, item, rules))
    return results


def score_item(backend, root: Path, item: BenchItem, rules: GroundingRules) -> ItemResult:
    images = item_images(root, item)
    t0 = time.perf_counter()
    answer, masks = answer_item(backend, images, item.sample.question, item.sample.choices, rules, item.context)
    return score_answer(root, item, answer, masks, time.perf_counter() - t0)


def score_answer(root: Path, item: BenchItem, answer: AnswerEvent, masks: list[MaskEvent],
                 seconds: float) -> ItemResult:
    """Score one answered item against its references (`seconds`: the time the model took)."""
    s = item.sample
    predicted = [m.mask for m in masks]
    transform = _transform(root, item)
    value = measured_value(s.task, predicted, transform, s.unit)
    phrases = [m.phrase for m in masks]
    measured = nearest_choice(s.task, value, s.choices or [], phrases)
    references = [m.cover if m.since is None else "new buildings" for m in s.masks]
    return ItemResult(
        id=item.id, task=s.task, variant=s.variant, correct=answer.choice == s.answer, choice=answer.choice,
        answer=answer.answer, ious=mask_ious(predicted, item_targets(root, item), phrases, references),
        measured_correct=None if measured is None else measured == s.answer,
        chain_correct=chain_choice(s.task, answer.text, s.choices or []) == s.answer, seconds=seconds,
    )


def _transform(root: Path, item: BenchItem):
    with rasterio.open(Path(root) / item.scene / f"labels_t{item.sample.masks[0].image}.tif") as src:
        return src.transform


def run_parquet(backend, path: Path, rules: GroundingRules, limit: int | None = None,
                progress: bool = True) -> list[ItemResult]:
    """The public TerraScope-Bench parquet (`image`, `task_type`, `question`, `candidates`,
    `gt_answer`): accuracy only, as its own evaluation script scores it."""
    import pyarrow.parquet as pq
    from PIL import Image

    table = pq.read_table(path).to_pylist()[:limit]
    h, w = backend.config.image_size
    results = []
    for k, row in enumerate(tqdm(table, desc="bench (parquet)", disable=not progress)):
        raw = row["image"]["bytes"] if isinstance(row["image"], dict) else row["image"]
        picture = Image.open(io.BytesIO(raw)).convert("RGB").resize((w, h), Image.BILINEAR)
        pixels = torch.from_numpy(np.asarray(picture, np.float32).transpose(2, 0, 1) / 255.0)
        choices = list(row["candidates"])
        t0 = time.perf_counter()
        answer, _ = answer_item(backend, [ImageInput(pixels)], row["question"], choices, rules)
        gold = parse_choice(str(row["gt_answer"]), choices)
        results.append(ItemResult(id=str(k), task=str(row["task_type"]), variant="optical",
                                  correct=answer.choice == gold, choice=answer.choice, answer=answer.answer,
                                  seconds=time.perf_counter() - t0))
    return results
