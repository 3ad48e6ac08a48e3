"""The PyTorch backend: the model's parts behind the interface the reasoning loop calls."""

from __future__ import annotations

import torch
from transformers import DynamicCache

from ..model.terrascope import TerraScopeModel
from ..model.tokenizer import SpecialTokens
from .base import ImageCache, ImageFeatures


def pick_device(requested: str | None = None) -> torch.device:
    if requested:
        return torch.device(requested)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


class TorchBackend:
    """Runs a `TerraScopeModel` eagerly; image encodings are cached by content (LRU)."""

    name = "torch"

    def __init__(self, model: TerraScopeModel, tokenizer, device: str | None = None,
                 dtype: torch.dtype | None = None, image_cache: int = 8, model_name: str | None = None):
        self.device = pick_device(device)
        if dtype is None:
            dtype = torch.bfloat16 if self.device.type == "cuda" and torch.cuda.is_bf16_supported() else torch.float32
        self.dtype = dtype
        self.model = model.to(device=self.device, dtype=dtype).eval()
        self.config = model.config
        self.tokenizer = tokenizer
        self.special = SpecialTokens.from_tokenizer(tokenizer)
        self.model_name = model_name or model.config.name
        self.images = ImageCache(image_cache)

    def info(self) -> dict:
        return {"name": self.model_name, "version": self.config.version, "backend": self.name,
                "device": str(self.device), "dtype": str(self.dtype).replace("torch.", "")}

    @torch.no_grad()
    def encode(self, pixels: torch.Tensor) -> ImageFeatures:
        """Visual tokens and grounding features of one image, computed once per distinct image."""
        def run() -> ImageFeatures:
            batch = pixels.to(self.device, self.dtype)[None]
            return ImageFeatures(self.model.visual_tokens(batch)[0], self.model.grounding_features(batch))
        return self.images.get(pixels, run)

    @torch.no_grad()
    def embed(self, ids: list[int]) -> torch.Tensor:
        return self.model.embed_tokens(torch.tensor(ids, device=self.device)).clone()

    def new_cache(self) -> DynamicCache:
        return DynamicCache(config=self.model.vlm.config.text_config)

    @torch.no_grad()
    def forward(self, embeds: torch.Tensor, start: int, cache: DynamicCache | None):
        """Run `embeds` (n, d) at positions start.. ; with `cache`, it is extended in place."""
        n = embeds.shape[0]
        positions = torch.arange(start, start + n, device=self.device)[None]
        hidden, logits, _ = self.model.language_forward(embeds[None], positions, cache)
        return hidden[0], logits[0].float()

    @torch.no_grad()
    def mask(self, seg_hidden: torch.Tensor, features: ImageFeatures) -> tuple[torch.Tensor, float]:
        """Mask probabilities (H, W) at the model input size and the decoder's predicted IoU."""
        logits, iou = self.model.mask_logits(seg_hidden[None], features.grounding)
        return torch.sigmoid(logits[0].float()).cpu(), float(iou[0])
