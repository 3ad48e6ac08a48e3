"""Finding and loading a model folder: this project's layout or the public release's."""

from __future__ import annotations

import json
from pathlib import Path

from .checkpoint import CheckpointError, load_pretrained
from .release import load_release

DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "default_model"


def load_model(folder: Path | None = None, release_config: str = "terrascope-8b"):
    """(model, tokenizer) from `folder` (the shipped default model when None)."""
    folder = Path(folder) if folder else DEFAULT_MODEL
    if not folder.is_dir():
        hint = " (build the default model with `make train-default`)" if folder == DEFAULT_MODEL else ""
        raise CheckpointError(f"model folder {folder} does not exist{hint}")
    config = folder / "config.json"
    if config.is_file() and "internvl" in json.loads(config.read_text()):
        return load_pretrained(folder)
    return load_release(folder, config_name=release_config)
