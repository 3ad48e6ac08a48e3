"""Model folders: `config.json` + `model.safetensors` + the tokenizer files. Never pickle."""

from __future__ import annotations

from pathlib import Path

from safetensors.torch import load_model, save_model

from .configs import TerraScopeConfig
from .terrascope import TerraScopeModel
from .tokenizer import load_tokenizer

CONFIG, WEIGHTS = "config.json", "model.safetensors"
PICKLED = ("*.bin", "*.pt", "*.pth", "*.ckpt", "*.pkl")


class CheckpointError(ValueError):
    """A model folder that cannot be loaded, with the reason in words."""


def save_pretrained(model: TerraScopeModel, tokenizer, folder: Path) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    model.config.to_json(folder / CONFIG)
    save_model(model, str(folder / WEIGHTS), metadata={"format": "pt", "config": model.config.name,
                                                       "version": model.config.version})
    tokenizer.save_pretrained(str(folder))
    return folder


def load_pretrained(folder: Path) -> tuple[TerraScopeModel, object]:
    """Load a model folder on the CPU; only safetensors weights are read."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CheckpointError(f"model folder {folder} does not exist")
    if not (folder / WEIGHTS).is_file():
        pickled = [p.name for pattern in PICKLED for p in folder.glob(pattern)]
        hint = f" (found {', '.join(pickled)}: pickled weights are never loaded)" if pickled else ""
        raise CheckpointError(f"{folder} has no {WEIGHTS}{hint}")
    if not (folder / CONFIG).is_file():
        raise CheckpointError(f"{folder} has no {CONFIG}")
    config = TerraScopeConfig.from_json(folder / CONFIG)
    model = TerraScopeModel(config)
    try:
        missing, unexpected = load_model(model, str(folder / WEIGHTS), strict=False)
    except RuntimeError as err:  # shape mismatches
        raise CheckpointError(f"{folder / WEIGHTS} does not match its config: {err}") from None
    if missing or unexpected:
        raise CheckpointError(f"{folder / WEIGHTS} does not match its config: missing {sorted(missing)[:5]}, "
                              f"unexpected {sorted(unexpected)[:5]}")
    return model.eval(), load_tokenizer(folder)
