"""The ONNX Runtime backend: an exported model folder behind the interface the reasoning loop calls.

Every graph runs through I/O binding, so the grounding maps and the LLM's key/value cache stay
where the execution provider keeps them (GPU memory with CUDA) and go back in as the next run's
inputs; only visual tokens, hidden states, logits and masks come back to the CPU, where the loop's
token selection, modality choice and routing run exactly as with the PyTorch backend.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from safetensors.numpy import load_file

from ..model import onnx_layout as layout
from ..model.checkpoint import CheckpointError
from ..model.configs import TerraScopeConfig
from ..model.tokenizer import SpecialTokens, load_tokenizer
from .base import ImageCache, ImageFeatures

CUDA, CPU = "CUDAExecutionProvider", "CPUExecutionProvider"


@functools.cache
def cuda_usable(device_id: int = 0) -> bool:
    """Whether ONNX Runtime's CUDA execution provider really starts on GPU `device_id`: listed
    providers only say which onnxruntime package is installed, not that a GPU and CUDA work."""
    if CUDA not in ort.get_available_providers():
        return False
    from onnx import TensorProto, helper

    value = {"elem_type": TensorProto.FLOAT, "shape": [1]}
    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "probe",
                              [helper.make_tensor_value_info("x", **value)],
                              [helper.make_tensor_value_info("y", **value)])
    probe = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    try:
        session = ort.InferenceSession(probe.SerializeToString(), providers=[(CUDA, {"device_id": device_id}), CPU])
    except Exception:  # any failure to start means: not usable
        return False
    return session.get_providers()[0] == CUDA


def pick_provider(device: str | None = None) -> tuple[str, int]:
    """(execution provider, device id) for `device` ("cpu", "cuda", "cuda:1"; None: CUDA if usable)."""
    kind, _, index = (device or "").partition(":")
    if kind in ("", "auto"):
        return (CUDA, 0) if cuda_usable(0) else (CPU, 0)
    if kind == "cpu":
        return CPU, 0
    if kind == "cuda" and (index == "" or index.isdigit()):
        device_id = int(index or 0)
        available = ort.get_available_providers()
        if CUDA not in available:
            raise ValueError(f"onnxruntime {ort.__version__} has no CUDA execution provider (it offers "
                             f"{', '.join(available)}); install onnxruntime-gpu: make setup-gpu, or pip "
                             "install 'terrascope-runtime[gpu]' after pip uninstall onnxruntime")
        if not cuda_usable(device_id):
            raise ValueError(f"onnxruntime's CUDA execution provider could not start on cuda:{device_id} (no such "
                             "GPU, or the CUDA/cuDNN libraries it needs are missing); use --device cpu")
        return CUDA, device_id
    raise ValueError(f"unknown device {device!r} for the ONNX backend; use cpu, cuda or cuda:N")


class OnnxCache:
    """The decoder's key/values: one `OrtValue` per layer and kind, on the provider's device."""

    def __init__(self):
        self.values: list[ort.OrtValue] | None = None
        self.length = 0


class OnnxBackend:
    """Runs a folder written by `terrascope-runtime export-onnx` on ONNX Runtime."""

    name = "onnx"

    def __init__(self, folder: Path, device: str | None = None, int8: bool = False, image_cache: int = 8,
                 model_name: str | None = None):
        folder = Path(folder)
        try:
            self.manifest = layout.read_manifest(folder)
        except (OSError, ValueError) as err:
            raise CheckpointError(f"{folder} is not a readable ONNX model folder: {err}") from None
        decoder = layout.DECODER_INT8 if int8 else layout.DECODER
        needed = [layout.VISION, layout.GROUNDING, layout.SEG_PROJECTION, layout.MASK_DECODER, decoder,
                  layout.EMBEDDINGS, "config.json"]
        missing = [f for f in needed if not (folder / f).is_file()]
        if missing:
            hint = " (export with --int8 to write the quantised decoder)" if decoder in missing and int8 else ""
            raise CheckpointError(f"{folder} lacks {', '.join(missing)}{hint}")
        self.provider, self.device_id = pick_provider(device)
        self.device_type = "cuda" if self.provider == CUDA else "cpu"
        self.int8 = int8
        self.config = TerraScopeConfig.from_json(folder / "config.json")
        self.tokenizer = load_tokenizer(folder)
        self.special = SpecialTokens.from_tokenizer(self.tokenizer)
        self.model_name = model_name or layout.served_name(self.manifest, int8)
        self.embeddings = load_file(str(folder / layout.EMBEDDINGS))["embed_tokens"]
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # errors only: shape-merge notes on the traced graphs are noise
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        threads = os.environ.get("OMP_NUM_THREADS", "")
        options.intra_op_num_threads = int(threads) if threads.isdigit() else 0
        providers = [(CUDA, {"device_id": self.device_id}), CPU] if self.provider == CUDA else [CPU]

        def session(name: str) -> ort.InferenceSession:
            return ort.InferenceSession(str(folder / name), sess_options=options, providers=providers)

        self.vision, self.grounding = session(layout.VISION), session(layout.GROUNDING)
        self.seg_projection, self.mask_decoder = session(layout.SEG_PROJECTION), session(layout.MASK_DECODER)
        self.decoder = session(decoder)
        shapes = self.manifest["decoder"]
        self.layers, self.kv_heads, self.head_dim = shapes["layers"], shapes["kv_heads"], shapes["head_dim"]
        self.past_names, self.present_names = layout.past_names(self.layers), layout.present_names(self.layers)
        self.images = ImageCache(image_cache)

    def info(self) -> dict:
        device = f"cuda:{self.device_id}" if self.device_type == "cuda" else "cpu"
        return {"name": self.model_name, "version": self.config.version, "backend": self.name, "device": device,
                "dtype": "float32, int8 decoder" if self.int8 else "float32", "provider": self.provider}

    def _run(self, session: ort.InferenceSession, inputs: dict, keep: tuple[str, ...] = ()) -> dict:
        """Run with I/O binding: `OrtValue` inputs stay where they are; outputs named in `keep` stay
        on the provider's device as `OrtValue`s, the others come back as numpy arrays."""
        binding = session.io_binding()
        for name, value in inputs.items():
            if isinstance(value, ort.OrtValue):
                binding.bind_ortvalue_input(name, value)
            else:
                binding.bind_cpu_input(name, np.ascontiguousarray(value))
        names = [out.name for out in session.get_outputs()]
        for name in names:
            if name in keep:
                binding.bind_output(name, self.device_type, self.device_id)
            else:
                binding.bind_output(name, "cpu")
        session.run_with_iobinding(binding)
        return {name: value if name in keep else value.numpy() for name, value in zip(names, binding.get_outputs())}

    def encode(self, pixels: torch.Tensor) -> ImageFeatures:
        """Visual tokens and grounding maps of one image, computed once per distinct image."""
        def run() -> ImageFeatures:
            batch = pixels.detach().to("cpu", torch.float32).numpy()[None]
            visual = self._run(self.vision, {"pixels": batch})["visual"]
            maps = self._run(self.grounding, {"pixels": batch}, keep=layout.GROUNDING_OUTPUTS)
            return ImageFeatures(torch.from_numpy(visual), [maps[name] for name in layout.GROUNDING_OUTPUTS])
        return self.images.get(pixels, run)

    def embed(self, ids: list[int]) -> torch.Tensor:
        return torch.from_numpy(self.embeddings[np.asarray(ids, dtype=np.int64)])

    def new_cache(self) -> OnnxCache:
        return OnnxCache()

    @functools.cached_property
    def _empty_past(self) -> list[ort.OrtValue]:
        """Zero-length key/values on the provider's device: the past of a prefill."""
        empty = np.zeros((1, self.kv_heads, 0, self.head_dim), dtype=np.float32)
        return [ort.OrtValue.ortvalue_from_numpy(empty, self.device_type, self.device_id)
                for _ in self.past_names]

    def forward(self, embeds: torch.Tensor, start: int, cache: OnnxCache | None):
        """Run `embeds` (n, d) at positions start.. ; with `cache`, it is extended in place."""
        n = embeds.shape[0]
        past = cache.values if cache is not None and cache.values is not None else self._empty_past
        if cache is not None and cache.length != start:
            raise ValueError(f"the cache holds {cache.length} positions; cannot continue at {start}")
        inputs = {"inputs_embeds": embeds.detach().to(torch.float32).numpy()[None],
                  "attention_mask": np.ones((1, start + n), dtype=np.int64),
                  "position_ids": np.arange(start, start + n, dtype=np.int64)[None]}
        inputs.update(zip(self.past_names, past))
        out = self._run(self.decoder, inputs, keep=tuple(self.present_names))
        if cache is not None:
            cache.values, cache.length = [out[name] for name in self.present_names], start + n
        return torch.from_numpy(out["hidden"][0]), torch.from_numpy(out["logits"][0])

    def mask(self, seg_hidden: torch.Tensor, features: ImageFeatures) -> tuple[torch.Tensor, float]:
        """Mask probabilities (H, W) at the model input size and the decoder's predicted IoU."""
        hidden = seg_hidden.detach().to(torch.float32).numpy()[None]
        inputs = {"seg_embedding": self._run(self.seg_projection, {"seg_hidden": hidden})["seg_embedding"]}
        inputs.update(zip(layout.GROUNDING_OUTPUTS, features.grounding))
        out = self._run(self.mask_decoder, inputs)
        return torch.from_numpy(out["probs"]), float(out["iou"].reshape(-1)[0])
