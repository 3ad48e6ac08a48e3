"""What every backend shares: the per-image features and their content-keyed LRU cache.

A backend exposes `config`, `tokenizer`, `special`, `info()`, `encode(pixels)`, `embed(ids)`,
`new_cache()`, `forward(embeds, start, cache)` and `mask(seg_hidden, features)`: the calls
`reasoning.loop.reason` makes. Tensors crossing that interface are torch tensors on the CPU or
the backend's device; what a backend keeps inside (grounding maps, the KV cache) is its own.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch


@dataclass
class ImageFeatures:
    visual: torch.Tensor  # (T, d) projected visual tokens
    grounding: list[Any]  # grounding encoder maps, each (1, C, h, w), in the backend's own form


class ImageCache:
    """Encodings of the last few distinct images, keyed by pixel content."""

    def __init__(self, size: int = 8):
        self.size = size
        self._items: OrderedDict[str, ImageFeatures] = OrderedDict()
        self.encoder_runs = 0

    def get(self, pixels: torch.Tensor, encode: Callable[[], ImageFeatures]) -> ImageFeatures:
        key = hashlib.sha1(pixels.detach().to("cpu", torch.float32).contiguous().numpy().tobytes()).hexdigest()
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        feats = encode()
        self.encoder_runs += 1
        self._items[key] = feats
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return feats

    def clear(self) -> None:
        self._items.clear()
