"""Export a TerraScope model to ONNX: five graphs, the embedding table and a manifest.

The graphs are exported (torch.export + onnxscript, torch's ONNX exporter) from the same
`TerraScopeModel` methods the PyTorch backend calls, so the two backends share one definition of
the model; see `onnx_layout` for the files and tensor names.
The reasoning loop itself (token selection, modality choice, routing, the KV cache bookkeeping)
stays in Python and is not exported.
"""

from __future__ import annotations

import inspect
import json
import logging
import tempfile
import time
import warnings
from pathlib import Path

import onnx
import torch
from safetensors.torch import save_file
from torch import nn
from transformers import DynamicCache

from .. import __version__
from . import onnx_layout as layout
from .terrascope import TerraScopeModel

OPSET = 18


class _Graph(nn.Module):
    """One model computation as a module of its own, for export: `fn(model, *inputs)`."""

    def __init__(self, model: TerraScopeModel, fn):
        super().__init__()
        self.model, self.fn = model, fn

    def forward(self, *inputs):
        return self.fn(self.model, *inputs)


def _mask_probs(model: TerraScopeModel, seg_embedding, *features):
    logits, iou = model.decode_mask(seg_embedding, list(features))
    return torch.sigmoid(logits[0]), iou


class _Decoder(nn.Module):
    """The LLM on flat past key/values: the cache is rebuilt from them and returned extended."""

    def __init__(self, model: TerraScopeModel):
        super().__init__()
        self.model = model
        self.text_config = model.vlm.config.text_config
        self.layers = self.text_config.num_hidden_layers

    def forward(self, inputs_embeds, attention_mask, position_ids, *past):
        cache = DynamicCache(config=self.text_config)
        for i in range(self.layers):
            cache.update(past[2 * i], past[2 * i + 1], i)
        hidden, logits, cache = self.model.language_forward(inputs_embeds, position_ids, cache, attention_mask)
        presents = []
        for layer in cache.layers[: self.layers]:
            presents += [layer.keys, layer.values]
        return (logits, hidden, *presents)


def decoder_shapes(model: TerraScopeModel) -> tuple[int, int, int]:
    """(layers, kv heads, head dim) of the LLM's cache."""
    tc = model.vlm.config.text_config
    head_dim = getattr(tc, "head_dim", None) or tc.hidden_size // tc.num_attention_heads
    return tc.num_hidden_layers, tc.num_key_value_heads, head_dim


def _export(module: nn.Module, args: tuple, path: Path, inputs: list[str], outputs: list[str],
            dynamic: dict | None = None) -> None:
    """torch.export -> ONNX; `dynamic` names the dynamic axes ({tensor name: {axis: name}})."""
    dynamic = dynamic or {}
    shapes = [{axis: torch.export.Dim.DYNAMIC for axis in dynamic.get(name, {})} or None for name in inputs]
    fixed = [p for p in inspect.signature(module.forward).parameters.values() if p.kind != p.VAR_POSITIONAL]
    if len(fixed) < len(inputs):  # a trailing *args parameter takes the rest as one tuple
        shapes = [*shapes[: len(fixed)], tuple(shapes[len(fixed):])]
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(module, args, dynamo=True, opset_version=OPSET, input_names=inputs,
                                    output_names=outputs, dynamic_shapes=tuple(shapes) if dynamic else None,
                                    verbose=False)
    program.save(str(path))
    proto = onnx.load(str(path), load_external_data=False)  # large weights stay in their external file
    for value in [*proto.graph.input, *proto.graph.output]:  # the exporter's symbols -> our axis names
        for axis, name in dynamic.get(value.name, {}).items():
            value.type.tensor_type.shape.dim[axis].dim_param = name
    onnx.save(proto, str(path))


def _stamp(path: Path, graph: str, config: dict, source: str) -> None:
    """Write the model's config and versions into the graph's metadata."""
    proto = onnx.load(str(path), load_external_data=False)
    props = {"terrascope.graph": graph, "terrascope.model": config["name"], "terrascope.version": config["version"],
             "terrascope.runtime": __version__, "terrascope.source": source, "terrascope.config": json.dumps(config)}
    del proto.metadata_props[:]
    for key, value in props.items():
        proto.metadata_props.add(key=key, value=value)
    proto.producer_name, proto.producer_version = "terrascope-runtime", __version__
    onnx.save(proto, str(path))


def quantize_decoder(folder: Path) -> Path:
    """Dynamic int8 quantisation of the decoder's matrix multiplies (weights int8 per channel), after
    onnxruntime's recommended pre-processing (shape inference and graph optimisation)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    folder = Path(folder)
    out = folder / layout.DECODER_INT8
    # beyond protobuf's 2 GiB, weights live in an external data file beside the graph
    large = sum(f.stat().st_size for f in folder.glob(layout.DECODER + "*")) > 2**31 - 2**26
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "decoder.prepared.onnx"
        quant_pre_process(str(folder / layout.DECODER), str(prepared), save_as_external_data=large)
        quantize_dynamic(prepared, out, weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul", "Gemm"], use_external_data_format=large)
    return out


def export_onnx(model: TerraScopeModel, tokenizer, out: Path, source: str = "", quantize: bool = False) -> dict:
    """Write the ONNX model folder for `model` (float32, CPU) into `out`; returns the manifest."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)  # not "torchvision is not installed" per graph
    model = model.to("cpu", torch.float32).eval()
    cfg = model.config
    h, w = cfg.image_size
    layers, kv_heads, head_dim = decoder_shapes(model)
    d = cfg.text_hidden_size
    started = time.perf_counter()

    pixels = torch.rand(1, 3, h, w)
    _export(_Graph(model, lambda m, px: m.visual_tokens(px)[0]), (pixels,), out / layout.VISION, ["pixels"],
            ["visual"])
    _export(_Graph(model, lambda m, px: tuple(m.grounding_features(px))), (pixels,), out / layout.GROUNDING,
            ["pixels"], list(layout.GROUNDING_OUTPUTS))
    with torch.no_grad():
        features = model.grounding_features(pixels)
    _export(model.text_hidden_fcs, (torch.randn(1, d),), out / layout.SEG_PROJECTION, ["seg_hidden"],
            ["seg_embedding"])
    _export(_Graph(model, _mask_probs), (torch.randn(1, cfg.prompt_embed_dim), *features), out / layout.MASK_DECODER,
            ["seg_embedding", *layout.GROUNDING_OUTPUTS], ["probs", "iou"])

    past_len, n = 3, 2  # any sizes: both axes are dynamic
    past = [torch.randn(1, kv_heads, past_len, head_dim) for _ in range(2 * layers)]
    inputs = (torch.randn(1, n, d), torch.ones(1, past_len + n, dtype=torch.int64),
              torch.arange(past_len, past_len + n)[None], *past)
    dynamic = {"inputs_embeds": {1: "sequence"}, "attention_mask": {1: "total"}, "position_ids": {1: "sequence"},
               "logits": {1: "sequence"}, "hidden": {1: "sequence"}}
    dynamic.update({name: {2: "past"} for name in layout.past_names(layers)})
    dynamic.update({name: {2: "total"} for name in layout.present_names(layers)})
    _export(_Decoder(model), inputs, out / layout.DECODER, [*layout.DECODER_INPUTS, *layout.past_names(layers)],
            [*layout.DECODER_OUTPUTS, *layout.present_names(layers)], dynamic)

    table = model.language_model.get_input_embeddings().weight.detach().contiguous()
    save_file({"embed_tokens": table}, str(out / layout.EMBEDDINGS), metadata={"version": cfg.version})
    (out / layout.EMBEDDINGS).chmod(0o644)  # readable like the graphs beside it
    cfg.to_json(out / "config.json")
    tokenizer.save_pretrained(str(out))
    config = json.loads((out / "config.json").read_text())
    graphs = [layout.VISION, layout.GROUNDING, layout.SEG_PROJECTION, layout.MASK_DECODER, layout.DECODER]
    if quantize:
        graphs.append(quantize_decoder(out).name)
    for name in graphs:
        _stamp(out / name, name.removesuffix(".onnx"), config, source)
    manifest = {"format": layout.FORMAT, "name": f"{cfg.name}-onnx", "model": cfg.name, "version": cfg.version,
                "runtime": __version__, "source": source, "opset": OPSET, "torch": torch.__version__,
                "dtype": "float32", "graphs": graphs,
                "decoder": {"layers": layers, "kv_heads": kv_heads, "head_dim": head_dim},
                "export_seconds": round(time.perf_counter() - started, 1)}
    (out / layout.MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest

