"""Scenes from real rasters: labels from a class map (a land-cover product) or from spectral indices.

`label_from_indices` derives water from MNDWI (green, SWIR1), else NDWI (green, NIR), else a
visible-band rule for RGB-only imagery (see `water_mask`); vegetation from
NDVI (moderate -> grassland; dense and dark in SWIR1 -> tree cover, dense and bright ->
cropland; without SWIR, dense -> tree cover); built-up and bare soil from NDBI (SWIR1, NIR) where
SWIR exists. Pixels no rule claims stay 0 (unlabelled). `scene_from_raster` crops a real raster and its
labels into the same `Scene` the synthetic generator makes, so every Terra-CoT task runs on it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
from rasterio.enums import Resampling
from rasterio.vrt import WarpedVRT
from rasterio.windows import Window

from ..geo.profiles import SensorProfile, detect_profile, get_profile
from .landcover import BANDS, BARE, BUILDINGS, CROPLAND, GRASSLAND, TREES, WATER
from .scene import Scene

# ESA WorldCover 10 m class codes -> this project's classes.
WORLDCOVER = {10: TREES.id, 20: GRASSLAND.id, 30: GRASSLAND.id, 40: CROPLAND.id, 50: BUILDINGS.id, 60: BARE.id,
              80: WATER.id, 90: GRASSLAND.id, 95: TREES.id, 100: GRASSLAND.id}


def _nd(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num((a - b) / (a + b), nan=0.0)


def otsu(values: np.ndarray, classes: int = 2, bins: int = 128) -> tuple[float, float]:
    """Otsu's (multi-level) method: the highest threshold splitting `values` into `classes`
    classes with the largest between-class variance, and the separability (that variance over
    the total, 0-1)."""
    hist, edges = np.histogram(values, bins=bins)
    p = hist / max(hist.sum(), 1)
    centres = (edges[:-1] + edges[1:]) / 2
    w = np.concatenate([[0.0], np.cumsum(p)])  # class weight of bins [0, k)
    m = np.concatenate([[0.0], np.cumsum(p * centres)])
    mean = m[-1]
    total_var = float(np.sum(p * (centres - mean) ** 2))

    def part(a, b):  # between-class term of bins [a, b)
        wk, mk = w[b] - w[a], m[b] - m[a]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.nan_to_num(mk ** 2 / wk)

    ks = np.arange(1, bins)
    if classes == 2:
        scores = part(0, ks) + part(ks, bins)
        best = np.flatnonzero(scores >= scores.max() - 1e-12)  # the middle of a flat optimum
        cut, score = ks[best[len(best) // 2]], scores.max()
    else:
        a, b = np.meshgrid(ks, ks, indexing="ij")
        scores = np.where(a < b, part(0, a) + part(a, b) + part(b, bins), -np.inf)
        i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)
        cut, score = ks[j], scores[i, j]
    separability = (score - mean ** 2) / total_var if total_var > 0 else 0.0
    return float(edges[cut]), float(separability)


def water_mask(bands: dict[str, np.ndarray], calibrated: bool = True) -> tuple[np.ndarray, str]:
    """(water mask, rule used) by the best water index the bands allow.

    Calibrated reflectance takes MNDWI > 0 or NDWI > 0. Uncalibrated imagery takes the same index
    above its Otsu threshold, when the index is clearly bimodal. RGB-only imagery takes
    (blue - red) / (blue + red) above its 3-class Otsu threshold (water, the vegetation next to
    it, the rest) where blue is also above its Otsu threshold: vegetation shares water's high
    blue/red ratio but absorbs blue, while water scatters it.
    """
    if "swir1" in bands or "nir" in bands:
        other = "swir1" if "swir1" in bands else "nir"
        index, name = _nd(bands["green"], bands[other]), "MNDWI" if other == "swir1" else "NDWI"
        if calibrated:
            return index > 0, f"{name} > 0"
        threshold, separability = otsu(index)
        return (index > threshold) if separability > 0.7 else np.zeros(index.shape, bool), f"{name} > Otsu"
    index = _nd(bands["blue"], bands["red"])
    threshold, separability = otsu(index, classes=3)
    if separability < 0.8:
        return np.zeros(index.shape, bool), "visible: no clear water class"
    return (index > threshold) & (bands["blue"] > otsu(bands["blue"])[0]), "visible blue/red + blue (Otsu)"


def label_from_indices(bands: dict[str, np.ndarray], calibrated: bool = True) -> np.ndarray:
    """Class ids (uint8, 0 = unlabelled) from band roles -> reflectance arrays."""
    water, _ = water_mask(bands, calibrated)
    labels = np.zeros(water.shape, np.uint8)
    if "nir" in bands:
        ndvi = _nd(bands["nir"], bands["red"])
        labels[ndvi > 0.2] = GRASSLAND.id
        if "swir1" in bands:  # forest is darker in SWIR than crops and grass
            dense = ndvi > 0.5
            labels[dense & (bands["swir1"] < 0.2)] = TREES.id
            labels[dense & (bands["swir1"] >= 0.2) & (ndvi > 0.7)] = CROPLAND.id
            ndbi = _nd(bands["swir1"], bands["nir"])
            labels[(ndbi > 0.1) & (ndvi < 0.2)] = BUILDINGS.id
            labels[(ndbi > 0.0) & (ndbi <= 0.1) & (ndvi < 0.2)] = BARE.id
        else:
            labels[ndvi > 0.6] = TREES.id
    labels[water] = WATER.id
    return labels


def read_bands(src, profile: SensorProfile, window: Window | None = None) -> dict[str, np.ndarray]:
    if src.count < profile.min_bands:
        raise ValueError(f"{src.name}: {src.count} bands, but profile {profile.name} needs {profile.min_bands}")
    return {role: profile.convert(src.read(i, window=window)) for role, i in profile.bands.items()}


def scene_from_raster(raster: Path, labels: Path | None = None, profile: str | None = None,
                      window: tuple[int, int, int] | None = None, class_map: dict[int, int] | None = None,
                      date: str | None = None) -> Scene:
    """A `Scene` from a real optical raster: its labels from `labels` (warped onto the raster's grid,
    codes mapped by `class_map`, ESA WorldCover by default) or else from spectral indices.
    `window` = (col, row, size) crops a square."""
    with rasterio.open(raster) as src:
        prof = get_profile(profile) if profile else detect_profile(src.count, src.dtypes[0], src.tags(),
                                                                     list(src.descriptions))
        win = Window(*window[:2], window[2], window[2]) if window else Window(0, 0, src.width, src.height)
        bands = read_bands(src, prof, win)
        transform = src.window_transform(win)
        crs = src.crs
        date = date or src.tags().get("DATE", "")
    if labels is not None:
        with rasterio.open(labels) as lab, WarpedVRT(lab, crs=crs, transform=transform, width=int(win.width),
                                                      height=int(win.height), resampling=Resampling.mode) as vrt:
            codes = vrt.read(1)
        mapping = class_map or WORLDCOVER
        lut = np.zeros(max(max(mapping), int(codes.max())) + 1, np.uint8)
        for code, cid in mapping.items():
            lut[code] = cid
        label_map = lut[codes]
    else:
        label_map = label_from_indices(bands, calibrated=prof.units == "reflectance")
    optical = np.stack([bands.get(b, np.zeros_like(bands["red"])) for b in BANDS]).astype(np.float32)
    return Scene(seed=-1, sensor=prof.name, crs=str(crs), transform=transform, dates=[date], labels=[label_map],
                 buildings=[np.zeros(label_map.shape, np.int32)], optical=[optical], clouds=[label_map < 0],
                 sar=None, meta={"source": str(raster), "profile": prof.name})
