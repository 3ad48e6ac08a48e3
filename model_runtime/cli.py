"""`terrascope-runtime`: the runtime's command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

from . import __version__


def _backend(args):
    from .backends.loading import open_backend

    return open_backend(args.model, device=args.device, int8=args.int8)


def question_from_args(args):
    from .geo.intake import AOI, SeriesItem
    from .serve.pipeline import Question

    series = []
    if args.series:
        dates = list(args.dates or [])
        if len(dates) == len(args.series):
            dates = [None, *dates]
        if dates and len(dates) != len(args.series) + 1:
            raise ValueError(f"{len(dates)} dates for {len(args.series) + 1} images (optical raster + series)")
        dates = dates or [None] * (len(args.series) + 1)
        series = [SeriesItem(p, d) for p, d in zip([args.optical, *args.series], dates)]
    aoi = AOI(tuple(args.aoi), args.aoi_crs) if args.aoi else None
    return Question(args.optical, args.question, args.choices, args.sar, series, aoi, args.profile,
                    args.sar_profile, args.rules, out_dir=args.out)


def cmd_ask(args) -> None:
    """Ask one question; stream the transcript, or print one JSON object with --json."""
    from .geo.vectorize import write_vector
    from .serve.pipeline import ask

    backend = _backend(args)
    q = question_from_args(args)
    transcript, step_text, polygons = [], {}, []
    answer, grid_crs = None, None
    for event in ask(backend, q):
        if event["type"] == "start":
            grid_crs = event["crs"]
        elif event["type"] == "text":
            transcript.append(event["text"])
            if not args.json:
                print(event["text"], end="", flush=True)
        elif event["type"] == "mask":
            step_text.setdefault(event["step"], event["text"])
            polygons.append({"geometry": event["geometry"], "step": event["step"], "tile": event["tile"],
                             "label": event["phrase"], "image": event["image"], "date": event["date"] or "",
                             "area_m2": event["area_m2"]})
            if not args.json:
                print(f"\n  [mask {event['step']}: {event['phrase']!r}, {event['pixels']} px, "
                      f"{event['area_m2'] / 1e4:.2f} ha]", flush=True)
        elif event["type"] == "answer":
            answer = event
    steps = [{**s, "text": step_text.get(s["index"], "")} for s in answer["steps"]]
    result = {"answer": answer["answer"], "choice": answer["choice"], "value": answer["value"], "unit": answer["unit"],
              "measured": answer.get("measured"), "source": answer["source"], "steps": steps,
              "model": backend.info(), "timings": answer["timings"]}
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "transcript.md").write_text(_markdown(q, transcript, result))
        if polygons:
            crs = q.aoi.crs if q.aoi else grid_crs  # the polygons' CRS: the request's
            result["shapefile"] = str(write_vector(args.out / "masks.shp", polygons, crs))
        (args.out / "answer.json").write_text(json.dumps(result, indent=2))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"\n\nAnswer: {result['answer']}" + (f" ({result['choice']})" if result["choice"] else ""))


def _markdown(q, transcript: list[str], result: dict) -> str:
    lines = [f"# {q.question}", "", f"Optical: `{q.optical}`" + (f"; SAR: `{q.sar}`" if q.sar else ""), ""]
    if q.choices:
        lines += ["Candidates: " + "; ".join(f"({chr(65 + i)}) {c}" for i, c in enumerate(q.choices)), ""]
    lines += ["## Reasoning", "", "".join(transcript).strip(), "", "## Steps", "",
              "| step | region | image | pixels | area (ha) | mask |", "|---|---|---|---|---|---|"]
    for s in result["steps"]:
        lines.append(f"| {s['index']} | {s['label']} | {s['image']} | {s['pixels']} | {s['area_m2'] / 1e4:.2f} | "
                     f"{Path(s.get('mask', '')).name} |")
    lines += ["", f"**Answer:** {result['answer']}" + (f" ({result['choice']})" if result["choice"] else "")
              + f" — source: {result['source']}", "", f"Model: {result['model']['name']} "
              f"{result['model']['version']} ({result['model']['backend']}, {result['model']['device']})"]
    return "\n".join(lines) + "\n"


def cmd_serve(args) -> None:
    from .serve.app import serve

    serve(args)


def cmd_init_model(args) -> None:
    """A model with random weights and a tokenizer trained on Terra-CoT text (training starts here)."""
    from .data.corpus import corpus
    from .model.checkpoint import save_pretrained
    from .model.configs import get_config
    from .model.terrascope import TerraScopeModel
    from .model.tokenizer import build_tokenizer

    torch.manual_seed(args.seed)
    tokenizer = build_tokenizer(corpus(args.corpus_scenes), vocab_size=args.vocab)
    model = TerraScopeModel(get_config(args.config).with_vocab(len(tokenizer)))
    save_pretrained(model, tokenizer, args.out)
    size = model.num_parameters() / 1e6
    print(f"wrote {args.out}: {args.config}, {size:.2f} M parameters, vocabulary {len(tokenizer)}")


def cmd_train(args) -> None:
    from .train.bank import real_bank, synthetic_bank
    from .train.presets import preset
    from .train.trainer import train

    torch.set_num_threads(args.threads or torch.get_num_threads())
    run = preset(args.preset, str(args.init), str(args.out), args.minutes, args.loss, args.seed, args.name,
                 args.version)
    bank = synthetic_bank(args.scenes, progress=not args.quiet)
    for raster in args.real or []:
        bank += real_bank(raster) * args.real_repeat
    model = train(run, bank, progress=not args.quiet)
    print(f"wrote {model}")


def cmd_make_bench(args) -> None:
    from .bench.dataset import make_benchmark

    out = make_benchmark(args.out, per_task=args.per_task, progress=not args.quiet)
    print(f"wrote {out / 'items.jsonl'}")


def cmd_bench(args) -> None:
    from .backends.loading import open_backend
    from .bench.evaluate import ABLATIONS, run_items, run_parquet
    from .bench.report import write_report
    from .bench.scoring import results_to_json, summarise
    from .reasoning.loop import PAPER, RELEASE

    backend = _backend(args)
    rules = RELEASE if args.rules == "release" else PAPER
    runs, details = {}, {"model": backend.info(), "rules": args.rules}
    if args.parquet:
        results = run_parquet(backend, args.parquet, rules, args.limit, progress=not args.quiet)
        runs["full"] = summarise(results)
        details["items"] = {"full": results_to_json(results)}
    else:
        ablations = list(ABLATIONS) if args.ablation == "all" else [args.ablation]
        details["items"] = {}
        for ablation in ablations:
            results = run_items(backend, args.data, rules, ablation, args.limit, progress=not args.quiet)
            runs[ablation] = summarise(results)
            details["items"][ablation] = results_to_json(results)
        for spec in args.compare or []:
            name, folder = spec.split("=", 1)
            other = open_backend(Path(folder), device=args.device, model_name=name)
            results = run_items(other, args.data, rules, "full", args.limit, progress=not args.quiet)
            runs[name] = summarise(results)
            details["items"][name] = results_to_json(results)
    out = write_report(runs, args.out, f"TerraScope benchmark: {backend.info()['name']}", details)
    print((out / "report.md").read_text())
    print(f"report: {out / 'report.md'}, {out / 'report.json'}, {out / 'report.png'}")


def cmd_export_onnx(args) -> None:
    """Export a model folder to ONNX (vision, grounding, mask decoder and LLM decoder graphs)."""
    from .model.loading import load_model
    from .model.onnx_export import export_onnx

    model, tokenizer = load_model(args.model)
    manifest = export_onnx(model, tokenizer, args.out, source=str(args.model or "default model"),
                           quantize=args.int8)
    print(f"wrote {args.out}: {', '.join(manifest['graphs'])} ({manifest['name']} {manifest['version']}, "
          f"opset {manifest['opset']}, {manifest['export_seconds']} s)")


def _model_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", type=Path, help="model folder, or one written by export-onnx (default: the shipped "
                   "default model)")
    p.add_argument("--device", default=None, help="cpu, cuda or cuda:N (default: CUDA when available)")
    p.add_argument("--int8", action="store_true", help="with an ONNX folder: run its int8-quantised decoder")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="terrascope-runtime", description="TerraScope model runtime")
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ask", help="ask a question about rasters")
    p.add_argument("--optical", type=Path, required=True)
    p.add_argument("--sar", type=Path)
    p.add_argument("--series", type=Path, nargs="+", help="later images of a time series, in date order")
    p.add_argument("--dates", nargs="+", help="dates of the series (optionally the optical raster's first)")
    p.add_argument("--question", required=True)
    p.add_argument("--choices", nargs="+")
    p.add_argument("--aoi", type=float, nargs=4, metavar=("MINX", "MINY", "MAXX", "MAXY"))
    p.add_argument("--aoi-crs", default="EPSG:4326")
    p.add_argument("--profile", help="optical sensor profile (default: detected)")
    p.add_argument("--sar-profile", help="SAR sensor profile (default: detected)")
    p.add_argument("--rules", choices=["paper", "release"], default="paper")
    _model_args(p)
    p.add_argument("--out", type=Path, help="folder for mask GeoTIFFs, masks.shp, transcript.md, answer.json")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the transcript")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("serve", help="serve the HTTP API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--token", default=None, help="required on every request (mandatory off loopback)")
    p.add_argument("--allow", type=Path, nargs="*", default=[], help="folders whose rasters requests may read")
    p.add_argument("--model", type=Path, action="append", help="model folder(s), PyTorch or exported ONNX; the "
                   "first is the default")
    p.add_argument("--device", default=None, help="cpu, cuda or cuda:N (default: CUDA when available)")
    p.add_argument("--int8", action="store_true", help="ONNX model folders: run their int8-quantised decoder")
    p.add_argument("--queue", type=int, default=8, help="requests that may wait for the model")
    p.add_argument("--max-pixels", type=int, default=4096 * 4096)
    p.add_argument("--max-upload-mb", type=float, default=256.0)
    p.add_argument("--workdir", type=Path, default=None, help="uploads and mask files (default: a temp folder)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("init-model", help="write a randomly initialised model folder")
    p.add_argument("--config", default="tiny")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--vocab", type=int, default=1024)
    p.add_argument("--corpus-scenes", type=int, default=60)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_init_model)

    p = sub.add_parser("train", help="train a model (pretraining, stage 1, stage 2)")
    p.add_argument("--init", type=Path, required=True, help="model folder to start from (see init-model)")
    p.add_argument("--out", type=Path, required=True, help="run folder: log, resumable state, model/")
    p.add_argument("--preset", choices=["default", "text-only", "smoke"], default="default")
    p.add_argument("--minutes", type=float, default=55.0, help="training time budget")
    p.add_argument("--loss", choices=["paper", "release"], default="paper")
    p.add_argument("--scenes", type=int, default=2000, help="synthetic training scenes")
    p.add_argument("--real", type=Path, nargs="*", help="real rasters to add (index-derived labels)")
    p.add_argument("--real-repeat", type=int, default=8, help="how often each real crop is repeated")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--name", help="the trained model's name (default: its configuration's)")
    p.add_argument("--version", help="the trained model's version")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("make-bench", help="generate the held-out benchmark (GeoTIFFs + items.jsonl)")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--per-task", type=int, default=110)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_make_bench)

    p = sub.add_parser("bench", help="score a model on the benchmark")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--data", type=Path, help="a folder made by make-bench")
    src.add_argument("--parquet", type=Path, help="the public TerraScope-Bench parquet file")
    _model_args(p)
    p.add_argument("--rules", choices=["paper", "release"], default="paper")
    p.add_argument("--ablation", choices=["full", "text-only", "box", "random", "all"], default="full")
    p.add_argument("--compare", nargs="*", metavar="NAME=DIR", help="other models (PyTorch or ONNX folders) to "
                   "score beside it; --int8 applies to --model only")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--out", type=Path, default=Path("bench-report"))
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("export-onnx", help="export a model folder to ONNX for the onnx backend")
    p.add_argument("--model", type=Path, help="model folder (default: the shipped default model)")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--int8", action="store_true", help="also write a dynamically int8-quantised decoder")
    p.set_defaults(func=cmd_export_onnx)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except (FileNotFoundError, ValueError, PermissionError) as err:
        print(f"terrascope-runtime: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
