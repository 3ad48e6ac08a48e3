"""Shared fixtures: a tiny TerraScope model with random weights and a tokenizer trained here."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import torch
import uvicorn

from model_runtime.backends.torch_backend import TorchBackend
from model_runtime.model.configs import get_config
from model_runtime.model.terrascope import TerraScopeModel
from model_runtime.model.tokenizer import build_tokenizer
from model_runtime.serve.app import Settings, create_app

CORPUS = [
    "What share of this area is water? The <p>water</p>[SEG] covers 29 percent of the image.",
    "Image: t_1 shows <p>buildings</p>[SEG] and Image: t_2 shows <p>new buildings</p>[SEG].",
    "How many buildings appeared between these dates? Options: (A) 3 (B) 5 (C) 8 (D) 12",
    "The <p>tree cover</p>[SEG] is adjacent to the <p>cropland</p>[SEG]; 1.5 km2, 250 m, 40 %.",
]


@pytest.fixture(scope="session")
def tokenizer():
    return build_tokenizer(CORPUS * 20, vocab_size=400)


@pytest.fixture(scope="session")
def model(tokenizer):
    torch.manual_seed(0)
    return TerraScopeModel(get_config("tiny").with_vocab(len(tokenizer))).eval()


@pytest.fixture()
def backend(model, tokenizer):
    return TorchBackend(model, tokenizer, device="cpu")


@pytest.fixture()
def script(tokenizer):
    """A `next_token` that writes a fixed chain and records the logits it was shown."""

    def make(text: str):
        ids = tokenizer.encode(text, add_special_tokens=False)

        def next_token(logits, generated):
            next_token.logits.append(logits.clone())
            return ids[len(generated)] if len(generated) < len(ids) else tokenizer.eos_token_id

        next_token.logits = []
        return next_token

    return make


def random_images(n: int, seed: int = 0, size: int = 128) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return [torch.rand(3, size, size, generator=g) for _ in range(n)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Running:
    """A real runtime server on loopback, in a thread, for the length of a `with` block."""

    def __init__(self, settings: Settings):
        self.app = create_app(settings)
        self.url = f"http://127.0.0.1:{settings.port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=settings.port, log_level="error"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return self
            time.sleep(0.05)
        raise RuntimeError("server did not start")

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)
