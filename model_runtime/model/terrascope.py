"""The TerraScope model: transformers' InternVL + SAM2 classes joined by `text_hidden_fcs`.

- `vlm` (`InternVLForConditionalGeneration`): vision encoder -> pixel shuffle -> MLP projector gives
  the visual tokens; its Qwen2 LLM reads them and writes the chain of reasoning.
- `grounding` (`Sam2Model`): the grounding encoder runs once per image; its prompt encoder and mask
  decoder turn one `[SEG]` into a mask.
- `text_hidden_fcs`: maps the last-layer hidden state at a `[SEG]` position to a prompt embedding,
  appended to the sparse prompt after one "not-a-point" padding embedding (the release's scheme).

The methods are the parts the reasoning loop composes; none of them holds loop state.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from transformers import InternVLConfig, InternVLForConditionalGeneration, Sam2Config, Sam2Model

from .configs import TerraScopeConfig


class TerraScopeModel(nn.Module):
    def __init__(self, config: TerraScopeConfig):
        super().__init__()
        self.config = config
        self.vlm = InternVLForConditionalGeneration(InternVLConfig(**config.internvl))
        self.grounding = Sam2Model(Sam2Config(**config.sam2))
        # SAM2 keeps one random Fourier matrix for image and prompt positions; transformers holds two
        with torch.no_grad():
            self.grounding.shared_image_embedding.positional_embedding.copy_(
                self.grounding.prompt_encoder.shared_embedding.positional_embedding)
        d, e = config.text_hidden_size, config.prompt_embed_dim
        self.text_hidden_fcs = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, e))
        if config.extra.get("direct_mask_head"):
            # tiny models only: per-pixel embeddings dotted with the [SEG] embedding, added to the SAM
            # decoder's logits, so a decoder trained from scratch gets a direct path to the prompt
            fpn = config.sam2["vision_config"]["fpn_hidden_size"]
            self.direct_mask_head = nn.Conv2d(fpn // 8 + fpn // 4 + fpn, e, kernel_size=1)
        self.register_buffer("pixel_mean", torch.tensor(config.image_mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("pixel_std", torch.tensor(config.image_std).view(1, 3, 1, 1), persistent=False)

    @property
    def language_model(self):
        return self.vlm.model.language_model

    def normalize(self, images: torch.Tensor) -> torch.Tensor:
        """Images in [0, 1], (B, 3, H, W) -> model pixel values."""
        return (images - self.pixel_mean.to(images.dtype)) / self.pixel_std.to(images.dtype)

    def visual_tokens(self, images: torch.Tensor) -> torch.Tensor:
        """Projected visual tokens, (B, T, d), tile by tile in row-major tile order.

        `images` are (B, 3, H, W) in [0, 1] at `config.image_size`; each tile gives s x s tokens in
        row-major order (see `reasoning.token_selection.token_sequence_index`).
        """
        b = images.shape[0]
        rows, cols = self.config.tile_grid
        t = self.config.tile_size
        pixels = self.normalize(images)
        tiles = pixels.unfold(2, t, t).unfold(3, t, t)  # B, C, rows, cols, t, t
        tiles = tiles.permute(0, 2, 3, 1, 4, 5).reshape(b * rows * cols, 3, t, t)
        out = self.vlm.model.get_image_features(
            tiles, vision_feature_layer=-1, vision_feature_select_strategy="default"
        ).pooler_output
        return out.reshape(b, -1, out.shape[-1])

    def grounding_features(self, images: torch.Tensor) -> list[torch.Tensor]:
        """Grounding encoder feature maps (high-resolution first), computed once per image."""
        size = self.config.grounding_size
        pixels = self.normalize(F.interpolate(images, size=(size, size), mode="bilinear", align_corners=False))
        g = self.grounding
        feats = g.get_image_features(pixels, return_dict=True).fpn_hidden_states
        feats = list(feats)
        feats[-1] = feats[-1] + g.no_memory_embedding
        b = images.shape[0]
        return [f.permute(1, 2, 0).reshape(b, -1, *hw) for f, hw in zip(feats, g.backbone_feature_sizes)]

    def embed_tokens(self, ids: torch.Tensor) -> torch.Tensor:
        return self.language_model.get_input_embeddings()(ids)

    def language_forward(self, embeds, position_ids, cache=None, attention_mask=None):
        """Run the LLM over `embeds` (B, n, d); returns (last-layer hidden (B, n, d), logits, cache)."""
        out = self.language_model(
            inputs_embeds=embeds, position_ids=position_ids, cache=cache, use_cache=cache is not None,
            attention_mask=attention_mask,
        )
        hidden = out.last_hidden_state
        return hidden, self.vlm.lm_head(hidden), out.cache if cache is not None else None

    def mask_logits(self, seg_hidden: torch.Tensor, features: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        """`[SEG]` hidden states (B, d) + grounding features -> (mask logits (B, H, W) at the model
        input size, predicted IoU (B,)). The best of the decoder's three masks by predicted IoU."""
        return self.decode_mask(self.text_hidden_fcs(seg_hidden), features)

    def decode_mask(self, seg_embedding: torch.Tensor,
                    features: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        """`mask_logits` from the `[SEG]` embeddings after `text_hidden_fcs`, (B, prompt_embed_dim)."""
        g = self.grounding
        b = seg_embedding.shape[0]
        lang = seg_embedding.view(b, 1, 1, -1)
        pad = g.prompt_encoder.not_a_point_embed.weight.view(1, 1, 1, -1).expand(b, 1, 1, -1)
        sparse = torch.cat([pad.to(lang.dtype), lang], dim=2)
        h, w = features[-1].shape[-2:]
        dense = g.prompt_encoder.no_mask_embed.weight.view(1, -1, 1, 1).expand(b, -1, h, w)
        positional = g.get_image_wide_positional_embeddings().expand(b, -1, -1, -1)
        low_res, iou, _, _ = g.mask_decoder(
            image_embeddings=features[-1], image_positional_embeddings=positional.to(lang.dtype),
            sparse_prompt_embeddings=sparse, dense_prompt_embeddings=dense.to(lang.dtype),
            multimask_output=True, high_resolution_features=features[:-1],
        )
        low_res, iou = low_res[:, 0], iou[:, 0]  # one prompt per image
        best = iou.argmax(dim=-1)
        picked = low_res[torch.arange(b), best]
        if hasattr(self, "direct_mask_head"):
            size = picked.shape[-2:]
            stacked = torch.cat([F.interpolate(f, size=size, mode="bilinear", align_corners=False)
                                 for f in features], 1)
            pixels = self.direct_mask_head(stacked)  # (B, e, h, w)
            picked = picked + torch.einsum("bchw,bc->bhw", pixels, lang.view(b, -1)) / pixels.shape[1] ** 0.5
        logits = F.interpolate(picked[:, None], size=self.config.image_size, mode="bilinear", align_corners=False)
        return logits[:, 0], iou[torch.arange(b), best]

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())
