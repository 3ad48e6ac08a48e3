"""The model card of a trained model folder: data, settings, training log and benchmark table."""

from __future__ import annotations

import json
from pathlib import Path


def write_card(model: Path, run: Path, reports: list[Path], notes: str = "") -> Path:
    model, run = Path(model), Path(run)
    cfg = json.loads((model / "config.json").read_text())
    settings = json.loads((run / "run.json").read_text())
    log = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines() if line.strip()]
    last = {}
    for entry in log:
        last[entry["stage"]] = entry
    size = (model / "model.safetensors").stat().st_size
    lines = [
        f"# {cfg['name']} {cfg['version']}", "",
        "A tiny TerraScope model (InternVL-style vision encoder, pixel shuffle and MLP projector, a Qwen2 LLM, a "
        "SAM2 Hiera grounding encoder and mask decoder, `text_hidden_fcs`), trained from scratch on this "
        "project's Terra-CoT data on a 2-core CPU. It runs the full pixel-grounded reasoning loop and is the "
        "runtime's default model. It is small: it shows the method working end to end, it is not a substitute "
        "for the 8B model.", "",
        "## Files", "",
        "`config.json` (architecture, tile layout, normalisation), "
        f"`model.safetensors` ({size / 2**20:.1f} MiB), "
        "`tokenizer.json` / `tokenizer_config.json` (byte-level BPE, one token per digit, TerraScope's special "
        "tokens).", "",
        "## Data", "",
        "Synthetic scenes from the training seed range (procedural land cover with Sentinel-2 / Landsat "
        "spectra, soft boundaries, haze and clouds, co-registered Sentinel-1-like SAR, 2-4 date series with "
        "building change) plus 128 px crops of the two shipped real rasters with index-derived labels; "
        "Terra-CoT tasks (coverage, area, distance, ranking, boundary, building change, existence, counting, "
        "localisation, suitability) in optical, SAR, joint and multi-temporal variants, multiple choice and "
        "free answers, and referring expressions. The benchmark's seeds are never used.", "",
        "## Training", "",
        "| stage | minutes | lr | batch | mask weight | steps | last loss (LM / BCE / Dice / IoU) |",
        "|---|---|---|---|---|---|---|",
    ]
    for stage in settings["stages"]:
        e = last.get(stage["name"], {})
        lines.append(f"| {stage['name']} | {stage['minutes']:.1f} | {stage['lr']} | {stage['batch']} | "
                     f"{stage.get('mask_weight') or settings['loss']} | {e.get('step', '-')} | "
                     f"{e.get('lm', 0):.3f} / {e.get('bce', 0):.3f} / {e.get('dice', 0):.3f} / {e.get('iou', 0):.3f} |")
    lines += ["", f"Loss setting `{settings['loss']}` (L_LM + lambda (Dice + BCE)); stage 2 trains LoRA "
              "(rank 16, alpha 32, merged into the weights), the projector, the mask decoder and "
              "`text_hidden_fcs`; seed " + str(settings["seed"]) + ". Reproduce with `make train-default`.", ""]
    for report in reports:
        lines += [(Path(report) / "report.md").read_text().replace("# ", "## ", 1), ""]
    if notes:
        lines += ["## Notes", "", notes, ""]
    out = model / "README.md"
    out.write_text("\n".join(lines))
    return out
