"""The held-out benchmark: TerraScope-Bench's six tasks as multiple choice, on generated scenes.

`make_benchmark` writes `items.jsonl` and one folder of GeoTIFFs per scene; it draws scenes only
from `BENCH_SEEDS`, which training never uses. Non-temporal tasks come in optical (50%), joint
optical + SAR (30%) and SAR-only (20%) variants; building change is multi-temporal (2-4 dates).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from ..data.scene import generate_scene
from ..data.scene_io import read_labels, read_optical, read_sar, write_scene
from ..data.seeds import BENCH_SEEDS
from ..data.tasks import BENCH_TASKS, TASKS, NoTask, Sample, scene_context
from ..geo.render import optical_to_model, sar_to_model
from ..reasoning.loop import ImageInput

VARIANT_CYCLE = ["optical", "joint", "optical", "sar", "joint", "optical", "optical", "joint", "sar", "optical"]
TASK_SEED_STRIDE = 100_000


@dataclass
class BenchItem:
    id: str
    seed: int
    scene: str  # folder relative to the benchmark root
    context: str
    sample: Sample

    def to_json(self) -> str:
        return json.dumps({"id": self.id, "seed": self.seed, "scene": self.scene, "context": self.context,
                           **self.sample.to_dict()})

    @classmethod
    def from_json(cls, line: str) -> BenchItem:
        data = json.loads(line)
        head = {k: data.pop(k) for k in ("id", "seed", "scene", "context")}
        return cls(sample=Sample.from_dict(data), **head)


def make_benchmark(out: Path, per_task: int = 110, progress: bool = True) -> Path:
    """Generate the benchmark into `out` (reproducible: the same items for the same `per_task`)."""
    out = Path(out)
    lines = []
    bar = tqdm(total=per_task * len(BENCH_TASKS), desc="benchmark", disable=not progress)
    for t, task in enumerate(BENCH_TASKS):
        made, k = 0, 0
        while made < per_task:
            seed = BENCH_SEEDS.start + t * TASK_SEED_STRIDE + k
            k += 1
            variant = "temporal" if task == "building_change" else VARIANT_CYCLE[made % len(VARIANT_CYCLE)]
            rng = np.random.default_rng(seed)
            dates = int(rng.integers(2, 5)) if task == "building_change" else 1
            scene = generate_scene(seed, dates=dates, pixel_size=10.0 if task == "building_change" else None)
            try:
                sample = TASKS[task](scene, rng, variant)
            except NoTask:
                continue
            folder = f"scenes/{seed}"
            label_dates = sorted({i for m in sample.masks for i in m.images})
            write_scene(scene, out / folder, dates=[] if variant == "sar" else sample.images,
                        sar=variant in ("sar", "joint"), labels=label_dates)
            item = BenchItem(f"{task}-{made:04d}", seed, folder, scene_context(scene), sample)
            lines.append(item.to_json())
            made += 1
            bar.update()
    bar.close()
    (out / "items.jsonl").write_text("\n".join(lines) + "\n")
    return out


def load_benchmark(root: Path) -> list[BenchItem]:
    path = Path(root) / "items.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: make one with `terrascope-runtime make-bench --out {root}`")
    return [BenchItem.from_json(line) for line in path.read_text().splitlines() if line.strip()]


def item_images(root: Path, item: BenchItem) -> list[ImageInput]:
    """The item's inputs at the model's size (the generated scenes already are)."""
    folder = Path(root) / item.scene
    variant = item.sample.variant
    images = []
    if variant != "sar":
        dates = json.loads((folder / "scene.json").read_text())["dates"]
        for i in item.sample.images:
            refl, _ = read_optical(folder / f"optical_t{i}.tif")
            label = dates[i] if variant == "temporal" else None
            images.append(ImageInput(torch.from_numpy(optical_to_model(refl[2], refl[1], refl[0])), "optical", label))
    if variant in ("sar", "joint"):
        vv, vh = read_sar(folder / "sar.tif")
        images.append(ImageInput(torch.from_numpy(sar_to_model(vv, vh)), "sar"))
    return images


def item_targets(root: Path, item: BenchItem) -> list[np.ndarray]:
    """The ground-truth mask of every `[SEG]` in the item's reference chain."""
    folder = Path(root) / item.scene
    needed = {i for m in item.sample.masks for i in m.images}
    labels = {i: read_labels(folder / f"labels_t{i}.tif") for i in needed}
    return [m.resolve(labels) for m in item.sample.masks]
