"""Benchmark reports: a markdown table, a JSON file and a PNG chart, with the paper's numbers."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TASK_NAMES = {
    "coverage": "Coverage Analysis", "area": "Absolute Area Quantification", "distance": "Distance Measurement",
    "comparison": "Area Comparison/Ranking", "boundary": "Boundary Relationship Detection",
    "building_change": "Building Change Estimation",
}
# TerraScope 8B on TerraScope-Bench (accuracy %), as published; for reference, not a like-for-like
# comparison (their benchmark is expert-verified real imagery, ours is generated).
PAPER = {"coverage": 73.2, "area": 70.2, "comparison": 71.8, "boundary": 80.0, "distance": 65.9,
         "building_change": 52.1, "average": 68.9}
PAPER_ABLATIONS = {"base": 33.8, "text-only": 58.7, "random": 43.2, "box": 62.8, "full": 68.9}


def _fmt(v, digits=1) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def markdown(runs: dict[str, dict], title: str) -> str:
    """One column per run (ablation), one row per task, with the paper's published figures."""
    names = list(runs)
    lines = [f"# {title}", "", "| task | " + " | ".join(f"{n} acc %" for n in names)
             + " | chain-stated acc % | mask-measured acc % | mean IoU | paper (8B) acc % |",
             "|---|" + "---|" * (len(names) + 4)]
    first = runs[names[0]]
    for task, label in TASK_NAMES.items():
        if task not in first["per_task"]:
            continue
        row = [_fmt(runs[n]["per_task"][task]["accuracy"]) for n in names]
        t = first["per_task"][task]
        lines.append(f"| {label} ({t['items']}) | " + " | ".join(row) + f" | {_fmt(t.get('chain_accuracy'))}"
                     f" | {_fmt(t['mask_measured_accuracy'])} | {_fmt(t['mean_iou'], 3)} | {PAPER[task]} |")
    lines.append("| **average over tasks** | " + " | ".join(_fmt(runs[n]["task_average"]) for n in names)
                 + f" | | | {_fmt(first['mean_iou'], 3)} | {PAPER['average']} |")
    lines.append("| all items | " + " | ".join(_fmt(runs[n]["accuracy"]) for n in names)
                 + f" | {_fmt(first.get('chain_accuracy'))} | | | |")
    lines += ["", "Columns: the letter the model wrote, per run; for the first run, the candidate nearest the "
              "quantity its chain states (chain-stated) and the candidate nearest the quantity measured from "
              "its reasoning masks and the raster's geometry (mask-measured).",
              "", f"Mean IoU of reasoning masks: {_fmt(first['mean_iou'], 3)} "
              f"(answers right: {_fmt(first['mean_iou_correct'], 3)}, wrong: {_fmt(first['mean_iou_wrong'], 3)}).",
              "Accuracy by input: " + ", ".join(f"{k} {_fmt(v)}%" for k, v in first["per_variant"].items()) + ".",
              f"Seconds per item: {_fmt(first['seconds_per_item'], 3)}.",
              "", "Paper ablations (bench average, 8B): " + ", ".join(f"{k} {v}" for k, v in PAPER_ABLATIONS.items())
              + ". The paper's figures are for reference: a different model on a different (real) benchmark."]
    return "\n".join(lines) + "\n"


def chart(runs: dict[str, dict], path: Path) -> None:
    tasks = [t for t in TASK_NAMES if t in next(iter(runs.values()))["per_task"]]
    series = {n: [r["per_task"][t]["accuracy"] for t in tasks] for n, r in runs.items()}
    series["paper 8B"] = [PAPER[t] for t in tasks]
    width = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for k, (name, values) in enumerate(series.items()):
        ax.bar([i + k * width for i in range(len(tasks))], values, width, label=name)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(tasks))])
    ax.set_xticklabels([TASK_NAMES[t].replace(" ", "\n", 1) for t in tasks], fontsize=8)
    ax.set_ylabel("accuracy %")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=8)
    ax.set_title("TerraScope benchmark accuracy by task")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_report(runs: dict[str, dict], out: Path, title: str, details: dict | None = None) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.md").write_text(markdown(runs, title))
    (out / "report.json").write_text(json.dumps({"title": title, "runs": runs, "paper": PAPER,
                                                 "paper_ablations": PAPER_ABLATIONS, **(details or {})}, indent=2))
    chart(runs, out / "report.png")
    return out
