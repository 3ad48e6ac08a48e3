"""Training examples: a Terra-CoT sample (or a referring expression) turned into tensors.

An `Example` holds the input images, the prompt (from the same `build_prompt` inference uses),
the chain's token ids, and for every `[SEG]` its ground-truth mask, the image it belongs to, and
the visual-token positions (paper rule on the ground-truth mask) whose features follow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import torch

from ..data.landcover import BY_ID
from ..data.tasks import TASKS, MaskTarget, NoTask, Sample
from ..reasoning.prompt import Prompt, build_prompt
from ..reasoning.token_selection import select_tokens
from .bank import BankScene

SEG_TAG = re.compile(r"<p>(.*?)</p>\[SEG\]")
REFERRING = ["Segment the {p}.", "Where is the {p}?", "Show the {p}.", "Outline the {p} in this image."]


@dataclass
class Example:
    images: torch.Tensor  # (n, 3, H, W) float in [0, 1]
    modalities: list[str]
    prompt: Prompt
    chain: list[int]  # target token ids, ending with EOS
    masks: list[torch.Tensor]  # bool (H, W) per [SEG]
    mask_images: list[int]  # image index per [SEG]
    inject: list[torch.Tensor]  # visual-token positions fed back after each [SEG]
    task: str


def strip_grounding(chain: str) -> str:
    """The text-only chain of the same reasoning: regions named, no `<p>`/`[SEG]`."""
    return SEG_TAG.sub(r"\1", chain)


def _images_for(item: BankScene, variant: str, sample: Sample) -> tuple[list[torch.Tensor], list[str], list]:
    if variant == "sar":
        return [item.image("sar")], ["sar"], [None]
    if variant == "joint":
        return [item.image("optical"), item.image("sar")], ["optical", "sar"], [None, None]
    if variant == "temporal":
        dates = item.scene.dates
        return [item.image("optical", i) for i in sample.images], ["optical"] * len(sample.images), \
            [dates[i] for i in sample.images]
    return [item.image("optical")], ["optical"], [None]


def make_example(tokenizer, special, config, item: BankScene, sample: Sample, text_only: bool = False,
                 context: bool = True) -> Example:
    images, modalities, labels = _images_for(item, sample.variant, sample)
    prompt = build_prompt(tokenizer, special, list(zip(modalities, labels)), config.tokens_per_image,
                          sample.question, sample.choices, item.context if context else None)
    chain = strip_grounding(sample.chain) if text_only else sample.chain
    ids = tokenizer.encode(chain, add_special_tokens=False) + [special.eos]
    masks, mask_images, inject = [], [], []
    if not text_only:
        label_maps = {i: item.scene.labels[d] for i, d in enumerate(sample.images)}
        for target in sample.masks:
            mask = torch.from_numpy(target.resolve(label_maps))
            masks.append(mask)
            mask_images.append(target.image)
            inject.append(select_tokens(mask, "paper", config.tile_grid, config.tokens_per_tile_side))
    return Example(torch.stack(images), modalities, prompt, ids, masks, mask_images, inject, sample.task)


def referring_example(tokenizer, special, config, item: BankScene, rng: np.random.Generator) -> Example | None:
    """Stage 1 data: "Segment the X." -> `<p>X</p>[SEG]` with X's mask (a class present in the scene)."""
    labels = item.scene.labels[0]
    present = [c for c in np.unique(labels) if c in BY_ID and (labels == c).mean() > 0.003]
    if not present:
        return None
    cover = BY_ID[int(rng.choice(present))]
    sample = Sample("referring", "L1", "optical", str(rng.choice(REFERRING)).format(p=cover.name), None,
                    f"<p>{cover.name}</p>[SEG]", "", [MaskTarget(0, cover.name)])
    return make_example(tokenizer, special, config, item, sample)


TRAIN_TASK_WEIGHTS = {"coverage": 3, "area": 3, "distance": 2, "comparison": 3, "boundary": 2,
                      "building_change": 3, "existence": 1, "counting": 1, "localization": 1, "suitability": 1}


def random_example(tokenizer, special, config, bank: list[BankScene], rng: np.random.Generator,
                   text_only: bool = False) -> Example:
    """A Terra-CoT example from a random bank scene, task and variant (MC or free answer)."""
    names = list(TRAIN_TASK_WEIGHTS)
    weights = np.array([TRAIN_TASK_WEIGHTS[n] for n in names], float)
    while True:
        item = bank[int(rng.integers(len(bank)))]
        task = str(rng.choice(names, p=weights / weights.sum()))
        series = len(item.scene.dates) > 1
        if task == "building_change" and not series:
            continue
        variant = "temporal" if task == "building_change" else (
            "optical" if item.sar is None else str(rng.choice(["optical", "joint", "sar"], p=[0.5, 0.3, 0.2])))
        try:
            sample = TASKS[task](item.scene, rng, variant, mc=bool(rng.random() < 0.7))
        except NoTask:
            continue
        return make_example(tokenizer, special, config, item, sample, text_only)
