"""Map the TerraScope release checkpoint (Sa2VA-style InternVL3 + SAM2) onto our module tree, and back.

Release layout (custom-code ``Sa2VAChatModel`` state dict):

* ``vision_model.*``                  original InternViT (OpenGVLab ``modeling_intern_vit.py``)
* ``mlp1.{0,1,3}.*``                  projector: LayerNorm, Linear, (GELU), Linear
* ``language_model.model.*`` / ``language_model.lm_head.*``   Qwen2ForCausalLM
* ``grounding_encoder.sam2_model.*``  original facebookresearch SAM2 (``SAM2Base``)
* ``text_hidden_fcs.{0,2}.*``

Ours: ``vlm`` (transformers ``InternVLForConditionalGeneration``), ``grounding`` (``Sam2Model``),
``text_hidden_fcs``. Names follow transformers' ``convert_internvl_weights_to_hf.py`` and
``convert_sam2_to_hf.py``. Tensors that change layout:

* InternViT ``attn.qkv`` is split into ``attention.{q,k,v}_proj`` (rows are ``[q; k; v]``).
* SAM2 ``sam_prompt_encoder.point_embeddings.{0..3}.weight`` (each ``(1, d)``) are stacked into
  ``prompt_encoder.point_embed.weight`` (``(4, d)``).

Tied tensors: ``grounding.shared_image_embedding.positional_embedding`` is a copy of the prompt
encoder's gaussian matrix (stored once in the release); ``vlm.lm_head.weight`` is absent from the
release when it is tied to ``embed_tokens`` (as ``save_pretrained`` writes tied weights).

The release has no counterpart of ``vlm.model.vision_tower.layernorm`` (InternViT has no final norm):
our InternVL vision config must use ``use_mean_pooling=True`` so that module is an ``nn.Identity``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import torch
from safetensors.torch import load_file

from .checkpoint import CheckpointError
from .configs import get_config
from .terrascope import TerraScopeModel
from .tokenizer import load_tokenizer

_SLOTS = {
    "n": r"\d+",
    "w": r"weight|bias",
    "k": r"[1-4]",
    "x": r"[qkv]_proj",
    "y": r"[qkvo]_proj",
    "f": r"fc1|fc2",
    "g": r"gate_proj|up_proj|down_proj",
    "l": r"input_layernorm|post_attention_layernorm",
    "e": r"pos_embed|pos_embed_window",
    "h": r"qkv|proj",
    "p": r"not_a_point_embed|no_mask_embed",
    "t": r"iou_token|mask_tokens|obj_score_token",
    "c": r"conv_s0|conv_s1",
    "m": r"iou_prediction_head|pred_obj_score_head|output_hypernetworks_mlps\.\d+",
    "a": r"self_attn|cross_attn_token_to_image|cross_attn_image_to_token",
}


class _Template:
    """A full state-dict key with ``{slot}`` placeholders; matches keys and fills them back in."""

    def __init__(self, text: str):
        self.text = text
        parts = re.split(r"\{(\w)\}", text)
        self.regex = re.compile(
            "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{_SLOTS[p]})" for i, p in enumerate(parts))
        )

    def match(self, key: str) -> dict[str, str] | None:
        found = self.regex.fullmatch(key)
        return found.groupdict() if found else None

    def fill(self, slots: dict[str, str]) -> str:
        return self.text.format(**slots)


def _block(release_prefix: str, ours_prefix: str, pairs: list[tuple[str, str]]) -> list[tuple[_Template, _Template]]:
    return [(_Template(release_prefix + r), _Template(ours_prefix + o)) for r, o in pairs]


def _same(*names: str) -> list[tuple[str, str]]:
    return [(name, name) for name in names]


_SAM = "grounding_encoder.sam2_model."

# (release template, our template) pairs for tensors that are only renamed.
_RENAMES = [
    *_block("vision_model.", "vlm.model.vision_tower.", [
        ("embeddings.class_embedding", "embeddings.cls_token"),
        ("embeddings.position_embedding", "embeddings.position_embeddings"),
        ("embeddings.patch_embedding.{w}", "embeddings.patch_embeddings.projection.{w}"),
        ("encoder.layers.{n}.ls1", "encoder.layer.{n}.lambda_1"),
        ("encoder.layers.{n}.ls2", "encoder.layer.{n}.lambda_2"),
        ("encoder.layers.{n}.norm1.{w}", "encoder.layer.{n}.layernorm_before.{w}"),
        ("encoder.layers.{n}.norm2.{w}", "encoder.layer.{n}.layernorm_after.{w}"),
        ("encoder.layers.{n}.attn.proj.{w}", "encoder.layer.{n}.attention.projection_layer.{w}"),
        ("encoder.layers.{n}.attn.q_norm.weight", "encoder.layer.{n}.attention.q_norm.weight"),
        ("encoder.layers.{n}.attn.k_norm.weight", "encoder.layer.{n}.attention.k_norm.weight"),
        ("encoder.layers.{n}.mlp.{f}.{w}", "encoder.layer.{n}.mlp.{f}.{w}"),
    ]),
    *_block("mlp1.", "vlm.model.multi_modal_projector.", [
        ("0.{w}", "layer_norm.{w}"),
        ("1.{w}", "linear_1.{w}"),
        ("3.{w}", "linear_2.{w}"),
    ]),
    *_block("language_model.model.", "vlm.model.language_model.", _same(
        "embed_tokens.weight",
        "norm.weight",
        "layers.{n}.self_attn.{y}.{w}",
        "layers.{n}.mlp.{g}.weight",
        "layers.{n}.{l}.weight",
    )),
    *_block("language_model.", "vlm.", _same("lm_head.weight")),
    *_block(_SAM + "image_encoder.", "grounding.vision_encoder.", [
        ("trunk.patch_embed.proj.{w}", "backbone.patch_embed.projection.{w}"),
        ("trunk.{e}", "backbone.{e}"),
        ("trunk.blocks.{n}.norm{k}.{w}", "backbone.blocks.{n}.layer_norm{k}.{w}"),
        ("trunk.blocks.{n}.attn.{h}.{w}", "backbone.blocks.{n}.attn.{h}.{w}"),
        ("trunk.blocks.{n}.proj.{w}", "backbone.blocks.{n}.proj.{w}"),
        ("trunk.blocks.{n}.mlp.layers.0.{w}", "backbone.blocks.{n}.mlp.proj_in.{w}"),
        ("trunk.blocks.{n}.mlp.layers.1.{w}", "backbone.blocks.{n}.mlp.proj_out.{w}"),
        ("neck.convs.{n}.conv.{w}", "neck.convs.{n}.{w}"),
    ]),
    *_block(_SAM + "sam_prompt_encoder.", "grounding.prompt_encoder.", [
        ("pe_layer.positional_encoding_gaussian_matrix", "shared_embedding.positional_embedding"),
        ("{p}.weight", "{p}.weight"),
        ("mask_downscaling.0.{w}", "mask_embed.conv1.{w}"),
        ("mask_downscaling.1.{w}", "mask_embed.layer_norm1.{w}"),
        ("mask_downscaling.3.{w}", "mask_embed.conv2.{w}"),
        ("mask_downscaling.4.{w}", "mask_embed.layer_norm2.{w}"),
        ("mask_downscaling.6.{w}", "mask_embed.conv3.{w}"),
    ]),
    *_block(_SAM + "sam_mask_decoder.", "grounding.mask_decoder.", [
        ("{t}.weight", "{t}.weight"),
        ("{c}.{w}", "{c}.{w}"),
        ("output_upscaling.0.{w}", "upscale_conv1.{w}"),
        ("output_upscaling.1.{w}", "upscale_layer_norm.{w}"),
        ("output_upscaling.3.{w}", "upscale_conv2.{w}"),
        # 3-layer SAM2 MLPs: layers.{0,1,2} -> proj_in, layers.0, proj_out
        ("{m}.layers.0.{w}", "{m}.proj_in.{w}"),
        ("{m}.layers.1.{w}", "{m}.layers.0.{w}"),
        ("{m}.layers.2.{w}", "{m}.proj_out.{w}"),
        ("transformer.layers.{n}.{a}.{x}.{w}", "transformer.layers.{n}.{a}.{x}.{w}"),
        ("transformer.layers.{n}.{a}.out_proj.{w}", "transformer.layers.{n}.{a}.o_proj.{w}"),
        ("transformer.layers.{n}.norm{k}.{w}", "transformer.layers.{n}.layer_norm{k}.{w}"),
        ("transformer.layers.{n}.mlp.layers.0.{w}", "transformer.layers.{n}.mlp.proj_in.{w}"),
        ("transformer.layers.{n}.mlp.layers.1.{w}", "transformer.layers.{n}.mlp.proj_out.{w}"),
        ("transformer.final_attn_token_to_image.{x}.{w}", "transformer.final_attn_token_to_image.{x}.{w}"),
        ("transformer.final_attn_token_to_image.out_proj.{w}", "transformer.final_attn_token_to_image.o_proj.{w}"),
        ("transformer.norm_final_attn.{w}", "transformer.layer_norm_final_attn.{w}"),
    ]),
    *_block(_SAM, "grounding.", [("no_mem_embed", "no_memory_embedding")]),
    *_block("text_hidden_fcs.", "text_hidden_fcs.", _same("0.{w}", "2.{w}")),
]

# Fused InternViT qkv <-> separate q/k/v projections.
_QKV = (
    _Template("vision_model.encoder.layers.{n}.attn.qkv.{w}"),
    _Template("vlm.model.vision_tower.encoder.layer.{n}.attention.{x}.{w}"),
)
_QKV_ORDER = ("q_proj", "k_proj", "v_proj")

# One (1, d) embedding per point label <-> one (4, d) table.
_POINTS = (
    _Template(_SAM + "sam_prompt_encoder.point_embeddings.{n}.weight"),
    "grounding.prompt_encoder.point_embed.weight",
)

# Our alias -> our source. Always a copy of its source; the release stores it once.
_COPIES = {
    "grounding.shared_image_embedding.positional_embedding":
        "grounding.prompt_encoder.shared_embedding.positional_embedding",
}
# Our alias -> our source. Absent from the release when tied (shares storage with its source).
_TIES = {"vlm.lm_head.weight": "vlm.model.language_model.embed_tokens.weight"}

# SAM2 video/memory parts that the release carries but our model does not use.
_UNUSED = re.compile(
    re.escape(_SAM)
    + r"(?:(?:memory_attention|memory_encoder|mask_downsample|obj_ptr_proj|obj_ptr_tpos_proj)\..+"
    r"|maskmem_tpos_enc|no_mem_pos_enc|no_obj_ptr|no_obj_embed_spatial)"
)


def _rename(key: str, to_ours: bool) -> str | None:
    """Rename ``key`` by the first matching rule, or None when no rule matches."""
    for release, ours in _RENAMES:
        source, target = (release, ours) if to_ours else (ours, release)
        slots = source.match(key)
        if slots is not None:
            return target.fill(slots)
    return None


def _unknown(keys: list[str], side: str) -> KeyError:
    shown = ", ".join(sorted(keys)[:20])
    return KeyError(f"{len(keys)} {side} key(s) have no mapping rule: {shown}")


def unused_release_keys(release_sd: dict[str, torch.Tensor]) -> list[str]:
    """Release keys of SAM2 parts we do not use (memory attention/encoder, object pointers, ...)."""
    return sorted(key for key in release_sd if _UNUSED.fullmatch(key))


def _split_qkv(key: str, fused: torch.Tensor, vision_heads: int) -> list[torch.Tensor]:
    rows = fused.shape[0]
    if rows % (3 * vision_heads):
        raise ValueError(f"{key}: {rows} rows is not 3 x {vision_heads} heads x head_dim")
    return [part.clone() for part in fused.chunk(3, dim=0)]


def release_to_ours(release_sd: dict[str, torch.Tensor], vision_heads: int) -> dict[str, torch.Tensor]:
    """Convert a release state dict to our names; ``vision_heads`` validates the fused qkv layout.

    Keys listed by :func:`unused_release_keys` are left out; any other key without a rule raises KeyError.
    """
    ours: dict[str, torch.Tensor] = {}
    points: dict[int, torch.Tensor] = {}
    unknown = []
    for key, tensor in release_sd.items():
        if _UNUSED.fullmatch(key):
            continue
        if (slots := _QKV[0].match(key)) is not None:
            for name, part in zip(_QKV_ORDER, _split_qkv(key, tensor, vision_heads)):
                ours[_QKV[1].fill({**slots, "x": name})] = part
        elif (slots := _POINTS[0].match(key)) is not None:
            points[int(slots["n"])] = tensor
        elif (name := _rename(key, to_ours=True)) is not None:
            ours[name] = tensor
        else:
            unknown.append(key)
    if unknown:
        raise _unknown(unknown, "release")
    if points:
        if sorted(points) != list(range(len(points))):
            raise KeyError(f"point_embeddings indices are not 0..{len(points) - 1}: {sorted(points)}")
        ours[_POINTS[1]] = torch.cat([points[i] for i in range(len(points))], dim=0)
    for alias, source in _COPIES.items():
        if source in ours:
            ours[alias] = ours[source]
    for alias, source in _TIES.items():
        if source in ours and alias not in ours:
            ours[alias] = ours[source]
    return ours


def _shares_storage(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.data_ptr() == b.data_ptr() and a.shape == b.shape and a.stride() == b.stride()


def _drop_aliases(our_sd: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Our state dict without copied/tied aliases; raises if a required copy differs from its source."""
    kept = dict(our_sd)
    for alias, source in _COPIES.items():
        if alias in kept:
            if source not in kept or not torch.equal(kept[alias], kept[source]):
                raise ValueError(f"{alias} must equal {source}: the release stores this tensor once")
            del kept[alias]
    for alias, source in _TIES.items():
        if alias in kept and source in kept and _shares_storage(kept[alias], kept[source]):
            del kept[alias]
    return kept


def ours_to_release(our_sd: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Exact inverse of :func:`release_to_ours` (no unused SAM2 keys are produced).

    Split or stacked parts are cloned so the result can be written with safetensors.
    """
    release: dict[str, torch.Tensor] = {}
    qkv: dict[tuple[str, str], dict[str, torch.Tensor]] = {}
    unknown = []
    for key, tensor in _drop_aliases(our_sd).items():
        if (slots := _QKV[1].match(key)) is not None:
            qkv.setdefault((slots["n"], slots["w"]), {})[slots["x"]] = tensor
        elif key == _POINTS[1]:
            for i, row in enumerate(tensor.split(1, dim=0)):
                release[_POINTS[0].fill({"n": str(i)})] = row.clone()
        elif (name := _rename(key, to_ours=False)) is not None:
            release[name] = tensor
        else:
            unknown.append(key)
    if unknown:
        raise _unknown(unknown, "our")
    for (layer, leaf), parts in qkv.items():
        if set(parts) != set(_QKV_ORDER):
            raise KeyError(f"vision layer {layer} {leaf}: need q/k/v projections, got {sorted(parts)}")
        release[_QKV[0].fill({"n": layer, "w": leaf})] = torch.cat([parts[x] for x in _QKV_ORDER], dim=0)
    return release


def read_release_weights(folder: Path) -> dict[str, torch.Tensor]:
    """All tensors of a release folder: `model.safetensors` or the shards its index names."""
    folder = Path(folder)
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        shards = sorted(set(json.loads(index.read_text())["weight_map"].values()))
    elif (folder / "model.safetensors").is_file():
        shards = ["model.safetensors"]
    else:
        raise CheckpointError(f"{folder} holds no safetensors weights (pickled weights are never loaded)")
    weights: dict[str, torch.Tensor] = {}
    for shard in shards:
        weights.update(load_file(str(folder / shard)))
    return weights


def load_release(folder: Path, config_name: str = "terrascope-8b") -> tuple[TerraScopeModel, object]:
    """Load the public TerraScope release (or a checkpoint in its layout) from a local folder.

    The architecture comes from the named configuration, its vocabulary from the release's
    embedding table; the tokenizer (with TerraScope's special tokens) from the same folder.
    """
    weights = read_release_weights(folder)
    config = get_config(config_name)
    config.extra.pop("direct_mask_head", None)  # the release's decoder is SAM2's alone
    vocab = weights["language_model.model.embed_tokens.weight"].shape[0]
    config.internvl["text_config"]["vocab_size"] = vocab
    model = TerraScopeModel(config)
    ours = release_to_ours(weights, vision_heads=config.internvl["vision_config"]["num_attention_heads"])
    try:
        model.load_state_dict(ours, strict=True)
    except RuntimeError as err:
        raise CheckpointError(f"{folder} does not fit the {config_name!r} configuration: {err}") from None
    return model.eval(), load_tokenizer(folder)
