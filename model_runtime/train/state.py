"""Resumable training state in safetensors + JSON: weights, optimizer moments, step, RNG. No pickle."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file


def save_state(folder: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer, step: int,
               extra: dict) -> None:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    trainable = {k: v.detach().contiguous() for k, v in model.named_parameters() if v.requires_grad}
    save_file(trainable, str(folder / "trainable.safetensors"))
    tensors, scalars = {}, {}
    for i, state in optimizer.state_dict()["state"].items():
        for key, value in state.items():
            if torch.is_tensor(value) and value.dim() > 0:
                tensors[f"{i}.{key}"] = value.contiguous()
            else:
                scalars[f"{i}.{key}"] = float(value)
    save_file(tensors or {"_": torch.zeros(1)}, str(folder / "optimizer.safetensors"))
    (folder / "state.json").write_text(json.dumps({
        "step": step, "scalars": scalars, "param_groups": optimizer.state_dict()["param_groups"],
        "torch_rng": torch.get_rng_state().tolist(), **extra}))


def load_state(folder: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer) -> dict:
    folder = Path(folder)
    meta = json.loads((folder / "state.json").read_text())
    weights = load_file(str(folder / "trainable.safetensors"))
    params = dict(model.named_parameters())
    with torch.no_grad():
        for k, v in weights.items():
            params[k].copy_(v)
    tensors = load_file(str(folder / "optimizer.safetensors"))
    state: dict[int, dict] = {}
    for key, value in tensors.items():
        if key != "_":
            i, name = key.split(".", 1)
            state.setdefault(int(i), {})[name] = value
    for key, value in meta["scalars"].items():
        i, name = key.split(".", 1)
        state.setdefault(int(i), {})[name] = torch.tensor(value)
    optimizer.load_state_dict({"state": state, "param_groups": meta["param_groups"]})
    torch.set_rng_state(torch.tensor(meta["torch_rng"], dtype=torch.uint8))
    return meta
