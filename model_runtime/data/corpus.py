"""Terra-CoT text for the tokenizer: questions, candidates and chains from training scenes."""

from __future__ import annotations

import numpy as np

from ..reasoning.prompt import format_choices
from .scene import generate_scene
from .seeds import TRAIN_SEEDS
from .tasks import TASKS, NoTask, scene_context


def corpus(scenes: int = 60) -> list[str]:
    """Text lines of every task family and variant over `scenes` training scenes."""
    lines = []
    for seed in TRAIN_SEEDS[:scenes]:
        scene = generate_scene(seed, dates=3)
        rng = np.random.default_rng(seed)
        lines.append(scene_context(scene))
        lines.extend(f"Image t_{i + 1} ({d}): " for i, d in enumerate(scene.dates))
        for task in TASKS.values():
            for variant, mc in (("optical", True), ("joint", False), ("sar", True)):
                try:
                    s = task(scene, rng, variant, mc=mc)
                except NoTask:
                    continue
                lines += [s.question, s.chain] + ([format_choices(s.choices)] if s.choices else [])
    return lines + ["Optical image: ", "SAR image: ", "\n"]
