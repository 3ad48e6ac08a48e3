"""A bank of training scenes held as model-ready images and label maps.

Scenes are generated once (synthetic, from `TRAIN_SEEDS`) or cut from real rasters with labels, so
that sampling training examples costs no rendering. Images are kept as uint8 (3, H, W) and turned
into [0, 1] floats when batched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from ..data.real import scene_from_raster
from ..data.scene import Scene, generate_scene
from ..data.seeds import TRAIN_SEEDS
from ..data.tasks import scene_context
from ..geo.render import optical_to_model, sar_to_model


@dataclass
class BankScene:
    scene: Scene  # labels, geometry, dates (optical/sar arrays dropped to save memory)
    optical: list[torch.Tensor]  # uint8 (3, H, W) per date
    sar: torch.Tensor | None  # uint8 (3, H, W)
    context: str

    def image(self, modality: str, date: int = 0) -> torch.Tensor:
        raw = self.sar if modality == "sar" else self.optical[date]
        return raw.float() / 255.0


def _u8(image: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.round(image * 255).astype(np.uint8))


def bank_scene(scene: Scene) -> BankScene:
    optical = [_u8(optical_to_model(o[2], o[1], o[0])) for o in scene.optical]
    sar = _u8(sar_to_model(scene.sar[0], scene.sar[1])) if scene.sar is not None else None
    context = scene_context(scene)
    scene.optical, scene.sar = [], None
    return BankScene(scene, optical, sar, context)


def synthetic_bank(count: int, start: int = 0, size: int = 128, progress: bool = True) -> list[BankScene]:
    """`count` scenes from the training seeds; a third are series of 2-4 dates at 10 m."""
    out = []
    for seed in tqdm(TRAIN_SEEDS[start:start + count], desc="scenes", disable=not progress):
        rng = np.random.default_rng(seed)
        series = seed % 3 == 0
        scene = generate_scene(seed, size=size, dates=int(rng.integers(2, 5)) if series else 1,
                               pixel_size=10.0 if series else None)
        out.append(bank_scene(scene))
    return out


def real_bank(raster: Path, size: int = 128, stride: int = 96) -> list[BankScene]:
    """Crops of a real raster with index-derived labels (optical only)."""
    whole = scene_from_raster(raster)
    h, w = whole.shape
    out = []
    for row in range(0, h - size + 1, stride):
        for col in range(0, w - size + 1, stride):
            out.append(bank_scene(scene_from_raster(raster, window=(col, row, size))))
    return out
