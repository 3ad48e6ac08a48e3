"""Procedural georeferenced scenes with exact ground truth.

A scene is drawn as a land-cover map at 4x the output resolution (lakes or rivers, tree blobs,
crop parcels, bare patches, a settlement with roads and buildings), then averaged down so that
pixels on boundaries mix the classes' reflectances (soft boundaries, as a real sensor sees them).
Optical reflectance takes each class's per-band signature (`landcover.REFLECTANCE`), field-by-field
and textural variation, haze and sometimes clouds; the SAR image takes each class's backscatter
with multiplicative speckle and is blind to clouds. A series of 2-4 dates changes buildings
(new ones appear, some are demolished) and the season (crops harvested, grass dried).
Everything is a function of the seed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from rasterio.transform import Affine, from_origin
from scipy import ndimage

from .landcover import (
    BACKSCATTER_DB,
    BARE,
    BUILDINGS,
    BY_ID,
    CLASSES,
    CLOUD,
    CROPLAND,
    GRASSLAND,
    HAZE,
    REFLECTANCE,
    ROAD,
    SEASONAL,
    TREES,
    WATER,
)

SUPERSAMPLE = 4


@dataclass
class Scene:
    seed: int
    sensor: str  # "sentinel2" | "landsat8"
    crs: str
    transform: Affine
    dates: list[str]
    labels: list[np.ndarray]  # per date (H, W) uint8 class ids
    buildings: list[np.ndarray]  # per date (H, W) int32 building ids, stable across dates
    optical: list[np.ndarray]  # per date (6, H, W) float32 surface reflectance
    clouds: list[np.ndarray]  # per date (H, W) bool
    sar: np.ndarray  # (2, H, W) float32 sigma0 dB (VV, VH) at the first date
    meta: dict = field(default_factory=dict)

    @property
    def pixel_size(self) -> float:
        return float(self.transform.a)

    @property
    def shape(self) -> tuple[int, int]:
        return self.labels[0].shape


def smooth_noise(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    """Gaussian-filtered white noise scaled to [0, 1] (filtered at a coarser grid when smooth)."""
    step = max(1, int(sigma // 4))
    coarse = (-(-shape[0] // step), -(-shape[1] // step))
    field_ = ndimage.gaussian_filter(rng.standard_normal(coarse), sigma / step, mode="wrap")
    if step > 1:
        field_ = ndimage.zoom(field_, step, order=1)[: shape[0], : shape[1]]
    lo, hi = field_.min(), field_.max()
    return (field_ - lo) / (hi - lo + 1e-12)


def _quantile_mask(values: np.ndarray, share: float) -> np.ndarray:
    """The `share` of pixels with the highest values."""
    if share <= 0:
        return np.zeros(values.shape, bool)
    return values >= np.quantile(values, 1 - share)


class _Layout:
    """The land-cover map at supersampled resolution, drawn layer by layer."""

    def __init__(self, rng: np.random.Generator, size: int, pixel_size: float):
        self.rng, self.size, self.pixel = rng, size, pixel_size
        self.hi = size * SUPERSAMPLE
        self.map = np.full((self.hi, self.hi), GRASSLAND.id, np.uint8)
        self.parcels = np.zeros((self.hi, self.hi), np.int32)
        self.building_boxes: dict[int, tuple[int, int, int, int]] = {}  # id -> (r0, c0, h, w) at 1x

    def fields(self) -> None:
        rng, n = self.rng, self.hi
        rows = np.sort(rng.choice(np.arange(8, n - 8), rng.integers(3, 8), replace=False))
        cols = np.sort(rng.choice(np.arange(8, n - 8), rng.integers(3, 8), replace=False))
        r_id = np.searchsorted(rows, np.arange(n))
        c_id = np.searchsorted(cols, np.arange(n))
        self.parcels = (r_id[:, None] * (len(cols) + 1) + c_id[None, :] + 1).astype(np.int32)
        zone = smooth_noise(rng, (n, n), n / 6)
        ids = np.unique(self.parcels)
        ranked = ids[np.argsort(-ndimage.mean(zone, labels=self.parcels, index=ids))]
        chosen = ranked[: int(round(rng.uniform(0.0, 0.6) * len(ids)))]
        cover = np.zeros(self.parcels.max() + 1, np.uint8)
        cover[chosen] = np.where(rng.random(len(chosen)) < 0.8, CROPLAND.id, BARE.id)
        farmed = cover[self.parcels]
        self.map = np.where(farmed > 0, farmed, self.map)

    def blobs(self, cover, share_range, sigma_frac) -> None:
        share = self.rng.uniform(*share_range)
        noise = smooth_noise(self.rng, (self.hi, self.hi), self.hi * sigma_frac)
        self.map[_quantile_mask(noise, share)] = cover.id

    def water(self) -> None:
        rng, n = self.rng, self.hi
        kind = rng.choice(["none", "lake", "river"], p=[0.15, 0.5, 0.35])
        if kind == "lake":
            cy, cx = rng.uniform(0.2, 0.8, 2) * n
            yy, xx = np.mgrid[0:n, 0:n]
            radial = 1 - np.hypot(yy - cy, xx - cx) / n
            noise = smooth_noise(rng, (n, n), n / 10)
            self.map[_quantile_mask(radial + 0.6 * noise, rng.uniform(0.04, 0.35))] = WATER.id
        elif kind == "river":
            y = np.arange(n)
            centre = rng.uniform(0.25, 0.75) * n + rng.uniform(0.05, 0.2) * n * np.sin(
                2 * np.pi * y / rng.uniform(0.6, 1.5) / n + rng.uniform(0, 2 * np.pi))
            half = rng.uniform(0.015, 0.06) * n
            river = np.abs(np.arange(n)[None, :] - centre[:, None]) < half
            self.map[river.T if rng.random() < 0.5 else river] = WATER.id
        self.has_water = kind != "none"

    def roads(self, count: int) -> None:
        rng, n, s = self.rng, self.hi, SUPERSAMPLE
        width = s if self.pixel <= 10 else s // 2
        for _ in range(count):
            at = int(rng.uniform(0.1, 0.9) * n)
            slope = rng.uniform(-0.3, 0.3)
            pos = (at + slope * (np.arange(n) - n / 2)).astype(int)
            band = np.abs(np.arange(n)[None, :] - pos[:, None]) < width
            band = band.T if rng.random() < 0.5 else band
            self.map[band & (self.map != WATER.id)] = ROAD.id

    def settlement(self) -> np.ndarray:
        """A built-up zone (1x grid) with a street grid; buildings go in by `add_buildings`."""
        rng, size, s = self.rng, self.size, SUPERSAMPLE
        zone = _quantile_mask(smooth_noise(rng, (size, size), size / 8), rng.uniform(0.1, 0.35))
        step = int(rng.integers(10, 18))
        hi_zone = np.kron(zone, np.ones((s, s), bool))
        streets = np.zeros((self.hi, self.hi), bool)
        for k in range(int(rng.integers(0, step)), size, step):
            streets[k * s:(k + 1) * s, :] = True
            streets[:, k * s:(k + 1) * s] = True
        self.map[streets & hi_zone & (self.map != WATER.id)] = ROAD.id
        return zone

    def free_for_building(self, r0: int, c0: int, h: int, w: int) -> bool:
        s = SUPERSAMPLE
        if r0 < 1 or c0 < 1 or r0 + h >= self.size - 1 or c0 + w >= self.size - 1:
            return False
        window = self.map[(r0 - 1) * s:(r0 + h + 1) * s, (c0 - 1) * s:(c0 + w + 1) * s]
        return bool(np.isin(window, [GRASSLAND.id, BARE.id, CROPLAND.id]).all())

    def add_buildings(self, zone: np.ndarray, count: int) -> list[int]:
        """Up to `count` buildings of 2-5 pixels a side, one pixel apart, inside `zone`."""
        rng, s, added = self.rng, SUPERSAMPLE, []
        candidates = np.argwhere(zone)
        for _ in range(count * 20):
            if len(added) == count or len(candidates) == 0:
                break
            r0, c0 = candidates[rng.integers(len(candidates))]
            h, w = rng.integers(2, 6, 2)
            if self.free_for_building(r0, c0, h, w):
                bid = len(self.building_boxes) + 1
                self.building_boxes[bid] = (int(r0), int(c0), int(h), int(w))
                self.map[r0 * s:(r0 + h) * s, c0 * s:(c0 + w) * s] = BUILDINGS.id
                added.append(bid)
        return added

    def demolish(self, count: int) -> None:
        s = SUPERSAMPLE
        standing = list(self.building_boxes)
        for bid in self.rng.permutation(standing)[:count]:
            r0, c0, h, w = self.building_boxes.pop(int(bid))
            self.map[r0 * s:(r0 + h) * s, c0 * s:(c0 + w) * s] = BARE.id

    def fractions(self) -> np.ndarray:
        """(8, H, W) share of each class id (index = id) in every output pixel."""
        s, size = SUPERSAMPLE, self.size
        onehot = np.stack([self.map == k for k in range(8)]).astype(np.float32)
        return onehot.reshape(8, size, s, size, s).mean(axis=(2, 4))

    def building_ids(self) -> np.ndarray:
        out = np.zeros((self.size, self.size), np.int32)
        for bid, (r0, c0, h, w) in self.building_boxes.items():
            out[r0:r0 + h, c0:c0 + w] = bid
        return out


def _season(date: str) -> tuple[bool, bool]:
    """(crops harvested, grass dry) for a northern-hemisphere date."""
    month = dt.date.fromisoformat(date).month
    return month in (10, 11, 12, 1, 2, 3), month in (7, 8, 9)


def render_optical(rng, layout: _Layout, fractions: np.ndarray, sensor: str, date: str,
                   clouds: bool) -> tuple[np.ndarray, np.ndarray]:
    """Surface reflectance (6, H, W) and the cloud mask."""
    size = layout.size
    harvested, dry = _season(date)
    table = dict(REFLECTANCE[sensor])
    if harvested:
        table["cropland"] = SEASONAL["cropland"]
    if dry:
        table["grassland"] = SEASONAL["grassland"]
    s = SUPERSAMPLE
    parcel_gain = np.ones(layout.parcels.max() + 1)
    parcel_gain[1:] = rng.uniform(0.85, 1.15, layout.parcels.max())
    field_gain = parcel_gain[layout.parcels].reshape(size, s, size, s).mean(axis=(1, 3))
    refl = np.zeros((6, size, size), np.float32)
    for cover in CLASSES:
        texture = 1 + 0.08 * (smooth_noise(rng, (size, size), 2.0) - 0.5) + 0.03 * rng.standard_normal((size, size))
        if cover is CROPLAND:
            texture = texture * field_gain
        refl += fractions[cover.id] * np.asarray(table[cover.name], np.float32)[:, None, None] * texture
    haze = rng.uniform(0.0, 0.5) * smooth_noise(rng, (size, size), size / 3)
    refl += haze * np.asarray(HAZE, np.float32)[:, None, None]
    cloud = np.zeros((size, size), np.float32)
    if clouds:
        noise = smooth_noise(rng, (size, size), size / 10)
        threshold = np.quantile(noise, 1 - rng.uniform(0.05, 0.4))
        cloud = np.clip((noise - threshold) / 0.08, 0, 1) * rng.uniform(0.8, 1.0)
        refl = (1 - cloud) * refl + cloud * np.asarray(CLOUD, np.float32)[:, None, None]
    refl += rng.normal(0, 0.003, refl.shape)
    return np.clip(refl, 0.0001, 1.0).astype(np.float32), cloud > 0.5


def render_sar(rng, fractions: np.ndarray, looks: int = 4) -> np.ndarray:
    """Sigma0 (VV, VH) in dB: class backscatter mixed in linear power, texture, gamma speckle."""
    size = fractions.shape[1]
    power = np.zeros((2, size, size), np.float64)
    for cover in CLASSES:
        db = np.asarray(BACKSCATTER_DB[cover.name])[:, None, None]
        power += fractions[cover.id] * 10 ** (db / 10)
    texture = 10 ** (0.1 * rng.normal(0, 0.8, (2, size, size)))
    speckle = rng.gamma(looks, 1 / looks, (2, size, size))
    return (10 * np.log10(power * texture * speckle)).astype(np.float32)


def _dates(rng, count: int) -> list[str]:
    start = dt.date(int(rng.integers(2017, 2023)), int(rng.integers(1, 13)), int(rng.integers(1, 28)))
    out, day = [], start
    for _ in range(count):
        out.append(day.isoformat())
        day = day + dt.timedelta(days=int(rng.integers(90, 400)))
    return out


def generate_scene(seed: int, size: int = 128, dates: int = 1, pixel_size: float | None = None,
                   cloud_chance: float = 0.25) -> Scene:
    """A reproducible scene of `size` x `size` pixels with `dates` optical images and one SAR image."""
    rng = np.random.default_rng(seed)
    pixel = float(pixel_size or rng.choice([10.0, 30.0]))
    sensor = "sentinel2" if pixel <= 20 else "landsat8"
    zone = int(rng.integers(30, 37))
    x0 = float(rng.integers(3000, 7000) * 100)
    y0 = float(rng.integers(40000, 60000) * 100)
    layout = _Layout(rng, size, pixel)
    layout.fields()
    layout.blobs(TREES, (0.0, 0.3), 0.04)
    layout.blobs(BARE, (0.0, 0.08), 0.02)
    layout.water()
    layout.roads(int(rng.integers(0, 3)))
    built = rng.random() < (0.8 if pixel <= 10 else 0.4)
    zone_mask = layout.settlement() if built else np.zeros((size, size), bool)
    if built:
        layout.add_buildings(zone_mask, int(rng.integers(3, 30)))

    series_dates = _dates(rng, dates)
    labels, buildings, optical, clouds = [], [], [], []
    sar = None
    for i, date in enumerate(series_dates):
        if i > 0 and built:
            layout.demolish(int(rng.integers(0, 3)))
            layout.add_buildings(zone_mask, int(rng.integers(0, 12)))
        fractions = layout.fractions()
        lab = np.argmax(fractions[1:], axis=0).astype(np.uint8) + 1
        ids = layout.building_ids()
        lab[ids > 0] = BUILDINGS.id
        lab[(lab == BUILDINGS.id) & (ids == 0)] = BARE.id  # no building pixel without its building
        refl, cloud = render_optical(rng, layout, fractions, sensor, date, rng.random() < cloud_chance)
        labels.append(lab)
        buildings.append(ids)
        optical.append(refl)
        clouds.append(cloud)
        if sar is None:
            sar = render_sar(rng, fractions)
    return Scene(
        seed=seed, sensor=sensor, crs=f"EPSG:{32600 + zone}", transform=from_origin(x0, y0, pixel, pixel),
        dates=series_dates, labels=labels, buildings=buildings, optical=optical, clouds=clouds, sar=sar,
        meta={"classes": {c.id: c.name for c in BY_ID.values()}},
    )
