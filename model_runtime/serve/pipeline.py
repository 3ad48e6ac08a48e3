"""One question end to end: rasters in, a stream of georeferenced events out.

`ask` reads the request's rasters onto one working grid (`geo.intake`), runs the reasoning loop on
every tile, turns each mask into polygons in the request's CRS with its area in m2, and closes
with the answer. Over several tiles, the steps are stitched back onto the full grid and the
quantity is measured from the stitched masks (the answer says so); on one tile, the model's own
answer stands and the mask-measured value rides along as a check.
"""

from __future__ import annotations

import base64
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from ..geo import measure
from ..geo.intake import AOI, Grid, Intake, SeriesItem, Tile, stitch, take
from ..geo.vectorize import mask_polygons, mask_tiff_bytes, write_mask_tiff
from ..reasoning.answer import choice_letters, parse_quantity
from ..reasoning.events import AnswerEvent, MaskEvent, TextDelta
from ..reasoning.loop import PAPER, RELEASE, ImageInput, reason


@dataclass
class Question:
    optical: Path
    question: str
    choices: list[str] | None = None
    sar: Path | None = None
    series: list[SeriesItem] = field(default_factory=list)
    aoi: AOI | None = None
    optical_profile: str | None = None
    sar_profile: str | None = None
    rules: str = "paper"
    mask_format: str = "geojson"  # "geojson" | "geotiff_path" | "geotiff_bytes"
    out_dir: Path | None = None  # where mask GeoTIFFs are written
    max_new_tokens: int = 160


def context_line(tile: Tile, grid: Grid) -> str:
    px = grid.pixel_size
    return (f"Scene: {tile.width} x {tile.height} pixels of {px:g} m ({tile.width * px / 1000:.2f} x "
            f"{tile.height * px / 1000:.2f} km, {tile.width * tile.height * px * px / 1e6:.2f} km2).")


def measured_quantity(unit: str | None, steps: list[np.ndarray], valid: np.ndarray, grid: Grid):
    """The answer's quantity measured from step masks on the working grid (None if it has no unit)."""
    if not steps or unit is None:
        return None
    cell = measure.cell_area_m2(grid.transform)
    if unit == "%":
        return round(100.0 * np.count_nonzero(steps[0] & valid) / max(np.count_nonzero(valid), 1), 1)
    if unit in ("km2", "ha", "m2"):
        return round(np.count_nonzero(steps[0]) * cell / {"km2": 1e6, "ha": 1e4, "m2": 1.0}[unit], 2)
    if unit == "buildings":
        return float(measure.count_objects(steps[-1]))
    if unit == "m" and len(steps) >= 2:
        return measure.gap_m(steps[0], steps[1], grid.pixel_size)
    return None


def nearest_letter(value: float | None, choices: list[str] | None) -> str | None:
    if value is None or not choices:
        return None
    numbers = [parse_quantity(c)[0] for c in choices]
    if any(n is None for n in numbers):
        return None
    return choice_letters(len(choices))[int(np.argmin([abs(n - value) for n in numbers]))]


def ask(backend, q: Question, should_stop: Callable[[], bool] | None = None, intake: Intake | None = None,
        size: int | None = None) -> Iterator[dict]:
    """Events (JSON-ready dicts): start, text, mask (one per [SEG] and tile), answer."""
    t0 = time.perf_counter()
    size = size or backend.config.image_size[0]
    intake = intake or take(q.optical, q.sar, q.series, q.aoi, size=size, optical_profile=q.optical_profile,
                            sar_profile=q.sar_profile)
    grid = intake.grid
    request_crs = q.aoi.crs if q.aoi else grid.crs
    rules = RELEASE if q.rules == "release" else PAPER
    t_intake = time.perf_counter() - t0
    yield {"type": "start", "model": backend.info(), "tiles": len(intake.tiles), "crs": str(grid.crs),
           "width": grid.width, "height": grid.height, "pixel_size": grid.pixel_size,
           "inputs": [{"modality": m, "date": d, "profile": p, "source": Path(s).name}
                      for m, d, p, s in zip(intake.modalities, intake.labels, intake.profiles, intake.sources)],
           "warnings": intake.warnings}
    step_masks: dict[int, list[tuple[Tile, np.ndarray]]] = {}
    step_info: dict[int, Counter] = {}
    answers: list[AnswerEvent] = []
    first_mask = None
    for t, tile in enumerate(intake.tiles):
        images = [ImageInput(torch.from_numpy(img), m, d)
                  for img, m, d in zip(tile.images, intake.modalities, intake.labels)]
        for event in reason(backend, images, q.question, q.choices, rules=rules, max_new_tokens=q.max_new_tokens,
                            should_stop=should_stop, context=context_line(tile, grid)):
            if isinstance(event, TextDelta):
                yield {"type": "text", "text": event.text, "tile": t}
            elif isinstance(event, MaskEvent):
                first_mask = first_mask or time.perf_counter() - t0
                yield _mask_event(event, tile, t, grid, intake, request_crs, q)
                step_masks.setdefault(event.index, []).append((tile, event.mask))
                step_info.setdefault(event.index, Counter())[(event.phrase, event.image)] += 1
            elif isinstance(event, AnswerEvent):
                answers.append(event)
        if should_stop is not None and should_stop():
            return
    valid = stitch(grid, [(tile, tile.valid) for tile in intake.tiles])
    stitched = [stitch(grid, step_masks[k]) for k in sorted(step_masks)]
    steps = []
    for k, mask in zip(sorted(step_masks), stitched):
        (phrase, image), _ = step_info[k].most_common(1)[0]
        step = {"index": k, "label": phrase, "image": image, "date": intake.labels[image],
                "pixels": int(mask.sum()), "area_m2": measure.area_m2(mask, grid.transform)}
        if q.out_dir is not None:
            Path(q.out_dir).mkdir(parents=True, exist_ok=True)
            step["mask"] = str(write_mask_tiff(Path(q.out_dir) / f"step_{k}.tif", mask, grid.transform, grid.crs,
                                               {"label": phrase, "question": q.question}))
        steps.append(step)
    timings = {"intake_s": round(t_intake, 3), "first_mask_s": first_mask and round(first_mask, 3),
               "total_s": round(time.perf_counter() - t0, 3)}
    yield _answer_event(answers, stitched, valid, grid, q, steps, timings)


def _mask_event(event: MaskEvent, tile: Tile, t: int, grid: Grid, intake: Intake, request_crs, q: Question) -> dict:
    mask = event.mask & tile.valid
    crop = mask[:tile.height, :tile.width]
    out = {**event.to_dict(), "step": event.index, "tile": t, "date": intake.labels[event.image],
           "source": Path(intake.sources[event.image]).name, "pixels": int(crop.sum()),
           "area_m2": measure.area_m2(crop, grid.transform), "crs": str(request_crs),
           "geometry": mask_polygons(crop, tile.transform, grid.crs, request_crs)}
    if q.mask_format == "geotiff_bytes":
        out["mask_tiff_base64"] = base64.b64encode(mask_tiff_bytes(crop, tile.transform, grid.crs)).decode()
    elif q.mask_format == "geotiff_path" and q.out_dir is not None:
        Path(q.out_dir).mkdir(parents=True, exist_ok=True)
        out["mask_tiff"] = str(write_mask_tiff(Path(q.out_dir) / f"tile{t}_step{event.index}.tif", crop,
                                               tile.transform, grid.crs))
    return out


def _answer_event(answers, stitched, valid, grid, q: Question, steps: list[dict], timings: dict) -> dict:
    if not answers:
        return {"type": "answer", "answer": "", "choice": None, "value": None, "unit": None, "steps": steps,
                "source": "none", "timings": timings}
    unit = Counter(a.unit for a in answers if a.unit).most_common(1)
    unit = unit[0][0] if unit else None
    measured = measured_quantity(unit, stitched, valid, grid)
    if len(answers) == 1:
        a = answers[0]
        answer, choice, value, source = a.answer, a.choice, a.value, "model"
    else:
        value = measured
        choice = nearest_letter(value, q.choices) or Counter(a.choice for a in answers).most_common(1)[0][0]
        answer = (f"{value:g} {unit}" if value is not None else Counter(a.answer for a in answers).most_common(1)[0][0])
        source = "stitched masks" if value is not None else "majority of tiles"
    return {"type": "answer", "answer": answer, "choice": choice, "value": value, "unit": unit,
            "measured": {"value": measured, "unit": unit}, "source": source, "tiles": len(answers),
            "text": answers[0].text if len(answers) == 1 else None, "steps": steps, "timings": timings}
