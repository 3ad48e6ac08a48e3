"""Named model configurations: plain data that fully describes a TerraScope model.

A configuration holds the keyword arguments of transformers' own `InternVLConfig` (vision encoder,
pixel-shuffle projector, Qwen2 LLM) and `Sam2Config` (grounding encoder, prompt encoder, mask
decoder), plus the few numbers TerraScope adds: the tile layout of the model input and the
normalisation of pixels.
"""

from __future__ import annotations

import copy
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class TerraScopeConfig:
    name: str
    internvl: dict
    sam2: dict
    tile_size: int
    tile_grid: tuple[int, int]
    grounding_size: int
    image_mean: tuple[float, float, float] = (0.485, 0.456, 0.406)
    image_std: tuple[float, float, float] = (0.229, 0.224, 0.225)
    version: str = "0.0.0"
    extra: dict = field(default_factory=dict)

    @property
    def text_hidden_size(self) -> int:
        return self.internvl["text_config"]["hidden_size"]

    @property
    def prompt_embed_dim(self) -> int:
        return self.sam2["prompt_encoder_config"]["hidden_size"]

    @property
    def tokens_per_tile_side(self) -> int:
        vision = self.internvl["vision_config"]
        patches = vision["image_size"][0] // vision["patch_size"][0]
        return int(patches * self.internvl.get("downsample_ratio", 0.5))

    @property
    def image_size(self) -> tuple[int, int]:
        """(height, width) in pixels of one model input image."""
        rows, cols = self.tile_grid
        return rows * self.tile_size, cols * self.tile_size

    @property
    def token_grid(self) -> tuple[int, int]:
        """(rows, cols) of visual tokens over the whole input image."""
        rows, cols = self.tile_grid
        side = self.tokens_per_tile_side
        return rows * side, cols * side

    @property
    def tokens_per_image(self) -> int:
        rows, cols = self.token_grid
        return rows * cols

    def with_vocab(self, vocab_size: int) -> TerraScopeConfig:
        """A copy whose LLM vocabulary matches a tokenizer of `vocab_size` entries."""
        out = copy.deepcopy(self)
        out.internvl["text_config"]["vocab_size"] = vocab_size
        return out

    def to_json(self, path: Path) -> None:
        Path(path).write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def from_json(cls, path: Path) -> TerraScopeConfig:
        data = json.loads(Path(path).read_text())
        data["tile_grid"] = tuple(data["tile_grid"])
        data["image_mean"] = tuple(data["image_mean"])
        data["image_std"] = tuple(data["image_std"])
        return cls(**data)


def _tiny() -> TerraScopeConfig:
    """About 2.7 M parameters: a 128 px image in 2x2 tiles of 64 px, 16 tokens per tile."""
    return TerraScopeConfig(
        name="tiny",
        internvl=dict(
            vision_config=dict(
                hidden_size=96, num_hidden_layers=2, num_attention_heads=4, intermediate_size=256,
                image_size=[64, 64], patch_size=[8, 8], use_mean_pooling=True,
            ),
            text_config=dict(
                model_type="qwen2", hidden_size=128, num_hidden_layers=4, num_attention_heads=4,
                num_key_value_heads=2, intermediate_size=384, vocab_size=1024,
                max_position_embeddings=2048, rope_theta=10000.0, tie_word_embeddings=True,
            ),
            downsample_ratio=0.5, image_seq_length=16, tie_word_embeddings=True,
        ),
        sam2=dict(
            vision_config=dict(
                backbone_config=dict(
                    model_type="sam2_hiera_det_model", hidden_size=32, num_attention_heads=1,
                    image_size=[128, 128], blocks_per_stage=[1, 1, 2, 1],
                    embed_dim_per_stage=[32, 64, 128, 256], num_attention_heads_per_stage=[1, 2, 4, 8],
                    window_size_per_stage=[8, 4, 8, 4], global_attention_blocks=[3],
                    window_positional_embedding_background_size=[4, 4],
                ),
                backbone_channel_list=[256, 128, 64, 32],
                backbone_feature_sizes=[[32, 32], [16, 16], [8, 8]], fpn_hidden_size=64,
            ),
            prompt_encoder_config=dict(hidden_size=64, image_size=128, patch_size=16),
            mask_decoder_config=dict(hidden_size=64, mlp_dim=256, num_attention_heads=4, iou_head_hidden_dim=64),
        ),
        tile_size=64,
        tile_grid=(2, 2),
        grounding_size=128,
        extra={"direct_mask_head": True},
    )


def _terrascope_8b() -> TerraScopeConfig:
    """InternVL3-8B (InternViT-300M + Qwen2.5-7B) with a SAM2 Hiera-L grounding encoder."""
    return TerraScopeConfig(
        name="terrascope-8b",
        internvl=dict(
            vision_config=dict(
                hidden_size=1024, num_hidden_layers=24, num_attention_heads=16, intermediate_size=4096,
                image_size=[448, 448], patch_size=[14, 14], use_mean_pooling=True,
                layer_scale_init_value=0.1, norm_type="layer_norm",
            ),
            text_config=dict(
                model_type="qwen2", hidden_size=3584, num_hidden_layers=28, num_attention_heads=28,
                num_key_value_heads=4, intermediate_size=18944, vocab_size=151674,
                max_position_embeddings=32768, rope_theta=1000000.0, rms_norm_eps=1e-6,
                tie_word_embeddings=False,
            ),
            downsample_ratio=0.5, image_seq_length=256, tie_word_embeddings=False,
        ),
        sam2=dict(
            vision_config=dict(
                backbone_config=dict(
                    model_type="sam2_hiera_det_model", hidden_size=144, num_attention_heads=2,
                    image_size=[1024, 1024], blocks_per_stage=[2, 6, 36, 4],
                    embed_dim_per_stage=[144, 288, 576, 1152], num_attention_heads_per_stage=[2, 4, 8, 16],
                    window_size_per_stage=[8, 4, 16, 8], global_attention_blocks=[23, 33, 43],
                    window_positional_embedding_background_size=[7, 7],
                ),
                backbone_channel_list=[1152, 576, 288, 144],
                backbone_feature_sizes=[[256, 256], [128, 128], [64, 64]], fpn_hidden_size=256,
            ),
            prompt_encoder_config=dict(hidden_size=256, image_size=1024, patch_size=16),
            mask_decoder_config=dict(hidden_size=256, mlp_dim=2048, num_attention_heads=8, iou_head_hidden_dim=256),
        ),
        tile_size=448,
        tile_grid=(2, 2),
        grounding_size=1024,
    )


CONFIGS = {"tiny": _tiny, "terrascope-8b": _terrascope_8b}


def get_config(name: str) -> TerraScopeConfig:
    """A fresh copy of the named configuration."""
    try:
        return CONFIGS[name]()
    except KeyError:
        raise KeyError(f"unknown model configuration {name!r}; known: {', '.join(CONFIGS)}") from None
