"""Open the right backend for a model folder: ONNX Runtime for an exported folder, else PyTorch."""

from __future__ import annotations

from pathlib import Path

from ..model.onnx_layout import is_onnx_folder


def open_backend(folder: Path | None = None, device: str | None = None, int8: bool = False,
                 model_name: str | None = None):
    """A backend for `folder` (the shipped default model when None).

    A folder written by `export-onnx` runs on ONNX Runtime (`int8` picks its quantised decoder);
    any other model folder is loaded into PyTorch.
    """
    if folder is not None and is_onnx_folder(folder):
        from .onnx_backend import OnnxBackend

        return OnnxBackend(folder, device=device, int8=int8, model_name=model_name)
    if int8:
        raise ValueError(f"--int8 needs a folder written by export-onnx; {folder or 'the default model'} is not one")
    from ..model.loading import load_model
    from .torch_backend import TorchBackend

    model, tokenizer = load_model(folder)
    return TorchBackend(model, tokenizer, device=device, model_name=model_name)
