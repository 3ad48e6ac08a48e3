"""The files and tensor names of an ONNX model folder, shared by the exporter and the ONNX backend.

A folder written by `terrascope-runtime export-onnx` holds:

- `vision.onnx`: pixels (1, 3, H, W) in [0, 1] -> `visual` (T, d), the projected visual tokens;
- `grounding.onnx`: pixels -> `features.0..2`, the grounding encoder maps (high-resolution first);
- `seg_projection.onnx`: `text_hidden_fcs`, the `[SEG]` hidden state `seg_hidden` (1, d) -> `seg_embedding` (1, e);
- `mask_decoder.onnx`: `seg_embedding` (1, e) + the three maps -> `probs` (H, W) and the predicted `iou`;
- `decoder.onnx` (and `decoder.int8.onnx` when quantised): `inputs_embeds` (1, n, d), `attention_mask`
  (1, past + n), `position_ids` (1, n) and `past_key_values.{i}.key|value` (1, kv_heads, past, head_dim)
  -> `logits` (1, n, V), `hidden` (1, n, d) and `present.{i}.key|value`; n and past are dynamic, so
  one graph serves prefill, one-token decode and the injection of selected visual tokens;
- `embeddings.safetensors`: the LLM's input embedding table, looked up in Python;
- `config.json`, the tokenizer files and `onnx.json` (this manifest).
"""

from __future__ import annotations

import json
from pathlib import Path

MANIFEST = "onnx.json"
FORMAT = 1
VISION, GROUNDING, SEG_PROJECTION = "vision.onnx", "grounding.onnx", "seg_projection.onnx"
MASK_DECODER, DECODER = "mask_decoder.onnx", "decoder.onnx"
DECODER_INT8 = "decoder.int8.onnx"
EMBEDDINGS = "embeddings.safetensors"
GROUNDING_OUTPUTS = ("features.0", "features.1", "features.2")
DECODER_INPUTS = ("inputs_embeds", "attention_mask", "position_ids")
DECODER_OUTPUTS = ("logits", "hidden")


def past_names(layers: int) -> list[str]:
    return [f"past_key_values.{i}.{kind}" for i in range(layers) for kind in ("key", "value")]


def present_names(layers: int) -> list[str]:
    return [f"present.{i}.{kind}" for i in range(layers) for kind in ("key", "value")]


def is_onnx_folder(folder: Path) -> bool:
    return (Path(folder) / MANIFEST).is_file()


def served_name(manifest: dict, int8: bool = False) -> str:
    """The name an exported model is served and reported under."""
    return manifest["name"] + ("-int8" if int8 else "")


def read_manifest(folder: Path) -> dict:
    """The manifest of an exported folder; ValueError when it is not one this runtime reads."""
    path = Path(folder) / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except json.JSONDecodeError as err:
        raise ValueError(f"{path} is not valid JSON ({err}); export the model again") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise ValueError(f"{path}: format {found!r}, this runtime reads {FORMAT}; export the model again")
    decoder = manifest.get("decoder")
    if not isinstance(manifest.get("name"), str) or not isinstance(decoder, dict) or any(
            not isinstance(decoder.get(k), int) for k in ("layers", "kv_heads", "head_dim")):
        raise ValueError(f"{path} lacks the model name or the decoder's cache shape; export the model again")
    return manifest
