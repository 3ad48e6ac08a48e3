"""Serving figures measured side by side: requests per second and time to the first mask event,
for 1 and 4 concurrent clients, against a real server on loopback with the default model."""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn

from ..data.scene import generate_scene
from ..data.scene_io import write_scene
from ..serve.app import Settings, create_app


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _one(url: str, payload: dict) -> tuple[float, float | None]:
    t0 = time.perf_counter()
    first_mask = None
    with httpx.stream("POST", f"{url}/v1/reason", json=payload, timeout=600) as r:
        r.raise_for_status()
        for line in r.iter_lines():
            if line and first_mask is None and json.loads(line)["type"] == "mask":
                first_mask = time.perf_counter() - t0
    return time.perf_counter() - t0, first_mask


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--requests", type=int, default=8, help="requests per measurement")
    ap.add_argument("--model", type=Path, default=None)
    args = ap.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="terrascope-bench-"))
    write_scene(generate_scene(5, pixel_size=10.0), folder, sar=False)
    settings = Settings(port=_port(), allowed_roots=[folder], queue_size=16, workdir=folder / "work",
                        **({"models": [args.model]} if args.model else {}))
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=settings.port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{settings.port}"
    payload = {"optical": str(folder / "optical_t0.tif"), "question": "What share of this area is water?",
               "choices": ["5%", "20%", "35%", "60%"]}
    _one(url, payload)  # warm-up (model load, first image)
    rows = []
    for clients in (1, 4):
        t0 = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            results = list(pool.map(lambda _: _one(url, payload), range(args.requests)))
        wall = time.perf_counter() - t0
        firsts = [f for _, f in results if f is not None]
        rows.append((clients, args.requests / wall, statistics.median(r for r, _ in results),
                     statistics.median(firsts) if firsts else None))
    server.should_exit = True
    info = app.state.models.get(None).info()
    print(f"Serving {info['name']} ({info['backend']}, {info['device']}), {args.requests} requests per row, "
          "one 128 x 128 px scene")
    print("| clients | requests/s | median latency | median time to first mask |")
    print("|---|---|---|---|")
    for clients, rps, latency, first in rows:
        print(f"| {clients} | {rps:.2f} | {latency * 1000:.0f} ms | "
              f"{'-' if first is None else f'{first * 1000:.0f} ms'} |")


if __name__ == "__main__":
    main()
