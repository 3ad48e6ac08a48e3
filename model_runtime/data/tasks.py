"""Terra-CoT task synthesis: questions, chains of thought whose every region carries a mask, answers.

Each task reads the scene's ground truth and writes a chain that names each region as
`<p>phrase</p>[SEG]` (with `Image: t_i` before it in a series) and states the quantity it measured
from that region before the answer (a chain that verbalises the measurement is what a small model
learns to answer from). L1 tasks come straight from one mask (existence, counting, localisation,
coverage, area, boundary); L2 tasks combine them (ranking, distance, change, suitability).
Multiple-choice distractors are drawn from the task's own distribution of values over many scenes,
so the candidates alone do not give the answer away.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy import ndimage

from ..geo import measure
from ..reasoning.answer import choice_letters
from .landcover import BUILDINGS, BY_NAME, CLASSES, ROAD, TREES, WATER
from .scene import Scene, generate_scene
from .seeds import POOL_SEEDS

BENCH_TASKS = ["coverage", "area", "distance", "comparison", "boundary", "building_change"]
SAR_VISIBLE = [WATER.name, TREES.name, BUILDINGS.name, ROAD.name]  # classes SAR tells apart on its own


@dataclass
class MaskTarget:
    """What one `[SEG]` must segment: a class on image `image`, or buildings new since `since`."""

    image: int
    cover: str
    since: int | None = None

    def resolve(self, labels: dict[int, np.ndarray]) -> np.ndarray:
        """The target mask, from the label maps of the item's images (by image index)."""
        mask = labels[self.image] == BY_NAME[self.cover].id
        if self.since is not None:
            mask = measure.new_objects(labels[self.since] == BUILDINGS.id, mask)
        return mask

    @property
    def images(self) -> list[int]:
        return [self.image] if self.since is None else [self.image, self.since]


@dataclass
class Sample:
    task: str
    level: str  # "L1" | "L2"
    variant: str  # "optical" | "sar" | "joint" | "temporal"
    question: str
    choices: list[str] | None
    chain: str  # "<think>...</think><answer>...</answer>"
    answer: str  # the letter when choices are given
    masks: list[MaskTarget]
    value: float | None = None  # the ground-truth quantity of quantitative tasks
    unit: str | None = None
    images: list[int] = field(default_factory=lambda: [0])  # scene dates the item uses (sar: [0])

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Sample:
        data = dict(data)
        data["masks"] = [MaskTarget(**m) for m in data["masks"]]
        return cls(**data)


class NoTask(Exception):
    """The scene cannot carry this task (e.g. no buildings to count)."""


def scene_context(scene: Scene) -> str:
    """The geometry line the prompt carries, so areas and distances can be read in metres."""
    h, w = scene.shape
    px = scene.pixel_size
    return (f"Scene: {w} x {h} pixels of {px:g} m ({w * px / 1000:.2f} x {h * px / 1000:.2f} km, "
            f"{w * h * px * px / 1e6:.2f} km2).")


def seg(phrase: str, image: int | None = None, first: bool = False) -> str:
    """A region mention: `the <p>phrase</p>[SEG]`, after `Image: t_i` in a series."""
    prefix = f"Image: t_{image + 1} " if image is not None else ""
    return f"{prefix}{'The' if first and image is None else 'the'} <p>{phrase}</p>[SEG]"


def present(scene: Scene, date: int = 0, minimum: float = 1.0, among: list[str] | None = None) -> list[str]:
    names = among or [c.name for c in CLASSES]
    lab = scene.labels[date]
    return [n for n in names if measure.coverage_percent(lab == BY_NAME[n].id) >= minimum]


def fmt_area(value_m2: float, unit: str) -> float:
    return round(value_m2 / 1e6, 2) if unit == "km2" else float(round(value_m2 / 1e4))


def area_unit_for(shape: tuple[int, int], pixel_size: float) -> str:
    """Square kilometres for scenes of 5 km2 and more, hectares below."""
    return "km2" if shape[0] * shape[1] * pixel_size ** 2 >= 5e6 else "ha"


def area_unit(scene: Scene) -> str:
    return area_unit_for(scene.shape, scene.pixel_size)


def multiple_choice(rng: np.random.Generator, truth, pool: list, separated: Callable[[object, object], bool],
                    fmt: Callable[[object], str], n: int = 4) -> tuple[list[str], str]:
    """`n` candidates: the truth and distractors drawn from `pool`, all pairwise `separated`."""
    picked = [truth]
    for i in rng.permutation(len(pool)):
        value = pool[i]
        if len(picked) == n:
            break
        if all(separated(value, other) for other in picked):
            picked.append(value)
    if len(picked) < n:
        raise NoTask("not enough distinct distractors")
    order = rng.permutation(n)
    choices = [fmt(picked[i]) for i in order]
    return choices, choice_letters(n)[int(np.argmax(order == 0))]


def far_apart(rel: float, absolute: float) -> Callable[[float, float], bool]:
    return lambda a, b: abs(a - b) >= max(absolute, rel * max(abs(a), abs(b)))


def _classes_for(variant: str) -> list[str] | None:
    return SAR_VISIBLE if variant == "sar" else None


# ---- L1 ------------------------------------------------------------------------------------------

def coverage(scene, rng, variant, mc=True) -> Sample:
    names = present(scene, among=_classes_for(variant))
    if not names:
        raise NoTask("no class covers 1% of the scene")
    cover = str(rng.choice(names))
    pct = round(measure.coverage_percent(scene.labels[0] == BY_NAME[cover].id))
    q = str(rng.choice([
        "What share of this area is {c}?", "What percentage of the image is covered by {c}?",
        "How much of this scene is {c}, in percent?", "Roughly what fraction of the area is {c}?",
    ])).format(c=cover)
    chain = f"The <p>{cover}</p>[SEG] covers {pct} percent of the image."
    choices, letter = (multiple_choice(rng, pct, value_pool("coverage", cover), far_apart(0.25, 4), lambda v: f"{v}%")
                       if mc else (None, f"{pct}%"))
    return Sample("coverage", "L1", variant, q, choices, _wrap(chain, letter), letter,
                  [MaskTarget(0, cover)], float(pct), "%")


def area(scene, rng, variant, mc=True) -> Sample:
    names = present(scene, among=_classes_for(variant))
    if not names:
        raise NoTask("no class covers 1% of the scene")
    cover = str(rng.choice(names))
    unit = area_unit(scene)
    mask = scene.labels[0] == BY_NAME[cover].id
    pct = round(measure.coverage_percent(mask))
    value = fmt_area(measure.area_m2(mask, scene.transform), unit)
    total = fmt_area(measure.area_m2(np.ones_like(mask), scene.transform), unit)
    q = str(rng.choice([
        "What is the area of the {c} in {u}?", "How many {u} of {c} are in this image?",
        "Estimate the {c} area in {u}.",
    ])).format(c=cover, u=unit)
    chain = f"The <p>{cover}</p>[SEG] covers {pct} percent of the {total:g} {unit} image, about {value:g} {unit}."
    pool = value_pool("area_" + unit, cover)
    choices, letter = (multiple_choice(rng, value, pool, far_apart(0.3, 0.05 if unit == "km2" else 2),
                                       lambda v: f"{v:g} {unit}") if mc else (None, f"{value:g} {unit}"))
    return Sample("area", "L1", variant, q, choices, _wrap(chain, letter), letter,
                  [MaskTarget(0, cover)], value, unit)


def boundary(scene, rng, variant, mc=True) -> Sample:
    names = present(scene, among=_classes_for(variant))
    if len(names) < 2:
        raise NoTask("fewer than two classes")
    a, b = (str(x) for x in rng.choice(names, 2, replace=False))
    ma, mb = (scene.labels[0] == BY_NAME[n].id for n in (a, b))
    length = measure.shared_boundary_m(ma, mb, scene.pixel_size)
    q = str(rng.choice([
        "Does the {a} border the {b}?", "Do the {a} and the {b} share a boundary?",
        "Is the {a} adjacent to the {b}?",
    ])).format(a=a, b=b)
    if length > 0:
        chain = f"{seg(a, first=True)} and {seg(b)} share {length:g} m of boundary."
        yes = True
    else:
        gap = measure.gap_m(ma, mb, scene.pixel_size)
        chain = f"{seg(a, first=True)} and {seg(b)} are {gap:g} m apart."
        yes = False
    choices = ["Yes", "No"] if mc else None
    letter = ("A" if yes else "B") if mc else ("Yes" if yes else "No")
    return Sample("boundary", "L1", variant, q, choices, _wrap(chain, letter), letter,
                  [MaskTarget(0, a), MaskTarget(0, b)], 1.0 if yes else 0.0, None)


def existence(scene, rng, variant, mc=True) -> Sample:
    names = _classes_for(variant) or [c.name for c in CLASSES]
    cover = str(rng.choice(names))
    pct = round(measure.coverage_percent(scene.labels[0] == BY_NAME[cover].id))
    q = str(rng.choice(["Is there any {c} in this image?", "Does this area contain {c}?"])).format(c=cover)
    yes = pct > 0
    chain = f"The <p>{cover}</p>[SEG] covers {pct} percent of the image."
    letter = ("A" if yes else "B") if mc else ("Yes" if yes else "No")
    return Sample("existence", "L1", variant, q, ["Yes", "No"] if mc else None, _wrap(chain, letter), letter,
                  [MaskTarget(0, cover)], float(pct), "%")


def counting(scene, rng, variant, mc=True) -> Sample:
    mask = scene.labels[0] == BUILDINGS.id
    n = measure.count_objects(mask)
    if n == 0 and rng.random() < 0.8:
        raise NoTask("no buildings")
    q = str(rng.choice(["How many buildings are there?", "Count the buildings in this image."]))
    chain = f"The <p>buildings</p>[SEG] are {n} separate buildings."
    choices, letter = (multiple_choice(rng, n, value_pool("count", "buildings"), far_apart(0.2, 1), str)
                       if mc else (None, str(n)))
    return Sample("counting", "L1", variant, q, choices, _wrap(chain, letter), letter,
                  [MaskTarget(0, BUILDINGS.name)], float(n), "buildings")


def localization(scene, rng, variant, mc=True) -> Sample:
    names = present(scene, minimum=0.5, among=_classes_for(variant))
    candidates = [n for n in names if measure.coverage_percent(scene.labels[0] == BY_NAME[n].id) < 25]
    if not candidates:
        raise NoTask("no compact class")
    cover = str(rng.choice(candidates))
    where = measure.direction(scene.labels[0] == BY_NAME[cover].id)
    q = str(rng.choice(["Where is the {c} in this image?", "In which part of the scene is the {c}?"])).format(c=cover)
    chain = f"The <p>{cover}</p>[SEG] lies mostly in the {where} of the image."
    places = ["north-west", "north", "north-east", "west", "centre", "east", "south-west", "south", "south-east"]
    choices, letter = (multiple_choice(rng, where, places, lambda a, b: a != b, str) if mc else (None, where))
    return Sample("localization", "L1", variant, q, choices, _wrap(chain, letter), letter, [MaskTarget(0, cover)])


# ---- L2 ------------------------------------------------------------------------------------------

def comparison(scene, rng, variant, mc=True) -> Sample:
    """Rank three regions by area (four candidate orders), or pick the larger of two."""
    names = present(scene, minimum=1.0, among=_classes_for(variant))
    if len(names) < 2:
        raise NoTask("fewer than two classes")
    picked = [str(x) for x in rng.choice(names, min(3, len(names)), replace=False)]
    pct = {n: round(measure.coverage_percent(scene.labels[0] == BY_NAME[n].id)) for n in picked}
    if len(set(pct.values())) < len(picked):
        raise NoTask("tied shares")
    ranking = sorted(picked, key=lambda n: -pct[n])
    if len(picked) == 3:
        q = str(rng.choice([
            "Rank the {a}, the {b} and the {c} by area, largest first.",
            "Order these by the ground they cover, from most to least: {a}, {b}, {c}.",
        ])).format(a=picked[0], b=picked[1], c=picked[2])
        orders = [list(p) for p in itertools.permutations(picked)]
        truth, fmt = ranking, " > ".join
    else:
        q = str(rng.choice(["Which covers more ground, the {a} or the {b}?",
                            "Is there more {a} or more {b} in this area?"])).format(a=picked[0], b=picked[1])
        orders, truth, fmt = picked, ranking[0], str
    chain = "; ".join(f"{seg(n, first=i == 0)} covers {pct[n]} percent" for i, n in enumerate(picked)) + "."
    choices, letter = (multiple_choice(rng, truth, orders, lambda a, b: a != b, fmt, n=min(4, len(orders)))
                       if mc else (None, fmt(truth)))
    return Sample("comparison", "L2", variant, q, choices, _wrap(chain, letter), letter,
                  [MaskTarget(0, n) for n in picked])


def distance(scene, rng, variant, mc=True) -> Sample:
    names = present(scene, minimum=0.2, among=_classes_for(variant))
    pairs = [(a, b) for a in names for b in names if a < b]
    rng.shuffle(pairs)
    for a, b in pairs:
        ma, mb = (scene.labels[0] == BY_NAME[n].id for n in (a, b))
        gap = measure.gap_m(ma, mb, scene.pixel_size)
        if gap and gap > 0:
            break
    else:
        raise NoTask("no two separate classes")
    gap = float(round(gap / scene.pixel_size) * scene.pixel_size)
    q = str(rng.choice([
        "How far is the {a} from the {b}?", "What is the shortest distance between the {a} and the {b}, in metres?",
    ])).format(a=a, b=b)
    chain = f"{seg(a, first=True)} and {seg(b)} are {gap:g} m apart at their closest."
    step = scene.pixel_size
    pool = [v for v in value_pool("distance", "any") if v > 0]
    choices, letter = (multiple_choice(rng, gap, pool, far_apart(0.3, 2 * step), lambda v: f"{float(v):g} m")
                       if mc else (None, f"{gap:g} m"))
    return Sample("distance", "L2", variant, q, choices, _wrap(chain, letter), letter,
                  [MaskTarget(0, a), MaskTarget(0, b)], gap, "m")


def building_change(scene, rng, variant, mc=True) -> Sample:
    if len(scene.dates) < 2:
        raise NoTask("needs a series")
    last = len(scene.dates) - 1
    before, after = (scene.labels[i] == BUILDINGS.id for i in (0, last))
    if not after.any():
        raise NoTask("no buildings")
    n0, n1 = measure.count_objects(before), measure.count_objects(after)
    new = measure.count_objects(measure.new_objects(before, after))
    q = str(rng.choice([
        "How many buildings appeared between {d0} and {d1}?",
        "How many new buildings were built between the first and the last image?",
        "Count the buildings constructed between {d0} and {d1}.",
    ])).format(d0=scene.dates[0], d1=scene.dates[last])
    chain = (f"{seg('buildings', 0)} are {n0} buildings; {seg('buildings', last)} are {n1} buildings; "
             f"{seg('new buildings', last)} are {new} buildings.")
    choices, letter = (multiple_choice(rng, new, value_pool("new_buildings", "buildings"), far_apart(0.2, 1), str)
                       if mc else (None, str(new)))
    return Sample("building_change", "L2", "temporal", q, choices, _wrap(chain, letter), letter,
                  [MaskTarget(0, BUILDINGS.name), MaskTarget(last, BUILDINGS.name),
                   MaskTarget(last, BUILDINGS.name, since=0)], float(new), "buildings",
                  images=list(range(len(scene.dates))))


def suitability(scene, rng, variant, mc=True) -> Sample:
    """Land suitable for farming: grassland or bare soil within 300 m of water."""
    lab = scene.labels[0]
    water = lab == WATER.id
    if not water.any():
        raise NoTask("no water")
    near = ndimage.distance_transform_edt(~water) * scene.pixel_size <= 300
    open_land = np.isin(lab, [BY_NAME["grassland"].id, BY_NAME["bare soil"].id])
    pct = round(measure.coverage_percent(open_land & near))
    q = str(rng.choice([
        "What share of this area is suitable for farming (open land within 300 m of water)?",
        "How much land here could be farmed, counting grassland or bare soil near water?",
    ]))
    chain = (f"{seg('water', first=True)} is the source; {seg('grassland')} and {seg('bare soil')} "
             f"within 300 m of it cover {pct} percent of the image.")
    choices, letter = (multiple_choice(rng, pct, value_pool("coverage", "grassland"), far_apart(0.25, 4),
                                       lambda v: f"{v}%") if mc else (None, f"{pct}%"))
    return Sample("suitability", "L2", variant, q, choices, _wrap(chain, letter), letter,
                  [MaskTarget(0, WATER.name), MaskTarget(0, "grassland"), MaskTarget(0, "bare soil")], float(pct), "%")


def _wrap(chain: str, answer: str) -> str:
    return f"<think>{chain}</think><answer>{answer}</answer>"


TASKS: dict[str, Callable[..., Sample]] = {
    "coverage": coverage, "area": area, "distance": distance, "comparison": comparison, "boundary": boundary,
    "building_change": building_change, "existence": existence, "counting": counting,
    "localization": localization, "suitability": suitability,
}


@functools.lru_cache(maxsize=1)
def _pool_scenes() -> list[Scene]:
    return [generate_scene(seed, dates=2) for seed in POOL_SEEDS]


@functools.cache
def value_pool(kind: str, cover: str) -> tuple:
    """Values a task takes over scenes it never asks about (the distractors' distribution)."""
    values = []
    for scene in _pool_scenes():
        lab = scene.labels[0]
        if kind == "coverage":
            values.append(round(measure.coverage_percent(lab == BY_NAME[cover].id)))
        elif kind.startswith("area_"):
            unit = kind.split("_")[1]
            if area_unit(scene) == unit:
                values.append(fmt_area(measure.area_m2(lab == BY_NAME[cover].id, scene.transform), unit))
        elif kind == "count":
            values.append(measure.count_objects(lab == BUILDINGS.id))
        elif kind == "new_buildings":
            after = scene.labels[1] == BUILDINGS.id
            values.append(measure.count_objects(measure.new_objects(lab == BUILDINGS.id, after)))
        elif kind == "distance":
            masks = [lab == c.id for c in CLASSES if (lab == c.id).any()]
            gaps = [measure.gap_m(a, b, scene.pixel_size) for a, b in zip(masks, masks[1:])]
            values.extend(round(g / scene.pixel_size) * scene.pixel_size for g in gaps if g)
    return tuple(values)
