"""Raster intake: the analyst's rasters as model inputs on one projected working grid.

The optical raster defines the grid (its CRS and pixel size; a geographic raster is viewed through
its UTM zone so that every area and distance is in metres). The area of interest (a bbox in any
CRS, or the whole optical extent) becomes a window of that grid. SAR and time-series rasters are
read through a warped view onto exactly that window, whatever their CRS and resolution. Nodata
is respected. Windows larger than the model input are cut into tiles; each tile's masks are put
back at their offset (`stitch`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import rasterio
from rasterio.crs import CRS
from rasterio.enums import Resampling
from rasterio.errors import RasterioIOError
from rasterio.transform import Affine, array_bounds
from rasterio.vrt import WarpedVRT
from rasterio.warp import calculate_default_transform, transform_bounds

from .profiles import SensorProfile, detect_profile, get_profile
from .render import optical_to_model, sar_to_model


class IntakeError(ValueError):
    """Input an analyst must fix; `status` is the HTTP status it maps to."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


@dataclass
class AOI:
    bbox: tuple[float, float, float, float]  # minx, miny, maxx, maxy
    crs: str


@dataclass
class SeriesItem:
    path: Path
    date: str | None = None


@dataclass
class Grid:
    """The working grid of a request: CRS, transform and size of the AOI window."""

    crs: CRS
    transform: Affine
    width: int
    height: int

    @property
    def pixel_size(self) -> float:
        return float(self.transform.a)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        west, south, east, north = array_bounds(self.height, self.width, self.transform)
        return west, south, east, north


@dataclass
class Tile:
    row: int  # offset on the working grid, in pixels
    col: int
    height: int  # valid pixels (the rest of the model input is padding)
    width: int
    images: list[np.ndarray]  # per input image: (3, size, size) in [0, 1]
    valid: np.ndarray  # bool (size, size): inside the AOI and not nodata
    transform: Affine


@dataclass
class Intake:
    grid: Grid
    tiles: list[Tile]
    modalities: list[str]
    labels: list[str | None]  # dates of series items
    profiles: list[str]
    sources: list[str]
    nodata_share: float = 0.0
    warnings: list[str] = field(default_factory=list)


def _open(path: Path, what: str):
    path = Path(path)
    if not path.exists():
        raise IntakeError(f"{what} raster {path} does not exist", 404)
    try:
        return rasterio.open(path)
    except RasterioIOError as err:
        raise IntakeError(f"{what} raster {path.name} cannot be read as a raster ({err})", 422) from None


def _profile(src, name: str | None, kind: str) -> SensorProfile:
    try:
        if name:
            profile = get_profile(name)
        else:
            median = float(np.median(src.read(1, out_shape=(64, 64)))) if kind == "sar" else None
            profile = detect_profile(src.count, src.dtypes[0], src.tags(), list(src.descriptions), kind, median)
    except ValueError as err:
        raise IntakeError(f"{Path(src.name).name}: {err}") from None
    if profile.kind != kind:
        raise IntakeError(f"{Path(src.name).name}: profile {profile.name} is {profile.kind}, expected {kind}")
    if src.count < profile.min_bands:
        raise IntakeError(f"{Path(src.name).name} has {src.count} band(s); profile {profile.name} needs "
                          f"{profile.min_bands} ({', '.join(f'{r}=band {i}' for r, i in profile.bands.items())})")
    return profile


def working_grid(src, aoi: AOI | None, max_pixels: int) -> Grid:
    """The AOI window of the optical raster, on a projected CRS."""
    if src.crs is None:
        raise IntakeError(f"{Path(src.name).name} has no coordinate reference system; assign one "
                          "(Raster > Projections > Assign Projection) and try again")
    crs, transform, width, height = src.crs, src.transform, src.width, src.height
    if crs.is_geographic:
        west, south, east, north = src.bounds
        utm = _utm_for((west + east) / 2, (south + north) / 2)
        transform, width, height = calculate_default_transform(crs, utm, width, height, *src.bounds)
        crs = utm
    full = Grid(crs, transform, width, height)
    if aoi is None:
        window_bounds = full.bounds
    else:
        try:
            window_bounds = transform_bounds(CRS.from_user_input(aoi.crs), crs, *aoi.bbox)
        except Exception as err:  # noqa: BLE001 (any CRS parsing or transform failure)
            raise IntakeError(f"the area of interest's CRS {aoi.crs!r} is not usable: {err}") from None
    west, south, east, north = full.bounds
    w2, s2, e2, n2 = window_bounds
    w2, s2, e2, n2 = max(w2, west), max(s2, south), min(e2, east), min(n2, north)
    if w2 >= e2 or s2 >= n2:
        raise IntakeError(f"the area of interest does not overlap {Path(src.name).name}", 422)
    px, py = transform.a, -transform.e
    col0, row0 = math.floor((w2 - west) / px), math.floor((north - n2) / py)
    col1, row1 = math.ceil((e2 - west) / px), math.ceil((north - s2) / py)
    width, height = col1 - col0, row1 - row0
    if width * height > max_pixels:
        raise IntakeError(f"the area of interest is {width} x {height} pixels; this runtime takes at most "
                          f"{max_pixels:,} pixels per request: choose a smaller area", 413)
    return Grid(crs, transform * Affine.translation(col0, row0), width, height)


def _utm_for(lon: float, lat: float) -> CRS:
    zone = min(int((lon + 180) // 6) + 1, 60)
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def read_on_grid(src, grid: Grid, bands: list[int], resampling=Resampling.bilinear) -> tuple[np.ndarray, np.ndarray]:
    """`bands` of `src` on `grid` (any CRS and resolution) and the valid-data mask."""
    with WarpedVRT(src, crs=grid.crs, transform=grid.transform, width=grid.width, height=grid.height,
                   resampling=resampling, src_nodata=src.nodata, nodata=src.nodata) as vrt:
        data = vrt.read(bands, masked=True)
    valid = ~np.ma.getmaskarray(data).any(axis=0)
    return np.ma.getdata(data).astype(np.float32), valid


def _optical(src, grid, profile) -> tuple[np.ndarray, np.ndarray]:
    roles = ["red", "green", "blue"]
    data, valid = read_on_grid(src, grid, [profile.bands[r] for r in roles])
    values = profile.convert(data)
    return optical_to_model(values[0], values[1], values[2]), valid


def _sar(src, grid, profile) -> tuple[np.ndarray, np.ndarray]:
    data, valid = read_on_grid(src, grid, [profile.bands["vv"], profile.bands["vh"]])
    values = profile.convert(data)
    return sar_to_model(values[0], values[1]), valid


def _read_extra(path: Path, what: str, kind: str, profile_name: str | None, grid: Grid):
    """A SAR or later series raster on the working grid: (image, valid, profile name, DATE tag)."""
    with _open(path, what) as src:
        if src.crs is None:
            raise IntakeError(f"{Path(path).name} has no coordinate reference system")
        profile = _profile(src, profile_name, kind)
        image, ok = (_sar if kind == "sar" else _optical)(src, grid, profile)
        if not ok.any():
            raise IntakeError(f"{what} raster {Path(path).name} does not overlap the area of interest")
        return image, ok, profile.name, src.tags().get("DATE")


def tile_grid(grid: Grid, size: int) -> list[tuple[int, int]]:
    return [(r, c) for r in range(0, grid.height, size) for c in range(0, grid.width, size)]


def take(optical: Path, sar: Path | None = None, series: list[SeriesItem] | None = None, aoi: AOI | None = None,
         size: int = 128, max_pixels: int = 4096 * 4096, optical_profile: str | None = None,
         sar_profile: str | None = None) -> Intake:
    """Read the request's rasters onto one grid and cut it into model-sized tiles."""
    series = series or []
    if sar is not None and series:
        raise IntakeError("give either a SAR raster or a time series, not both")
    with _open(optical, "optical") as src:
        grid = working_grid(src, aoi, max_pixels)
        prof = _profile(src, optical_profile, "optical")
        first, valid = _optical(src, grid, prof)
        images, profiles = [first], [prof.name]
        modalities, labels = ["optical"], [None]
        if series:
            labels = [series[0].date or src.tags().get("DATE")]
    sources = [str(optical)]
    extras = [(item.path, "time-series", "optical", optical_profile, item.date) for item in series[1:]]
    extras += [(sar, "SAR", "sar", sar_profile, None)] if sar is not None else []
    covered = valid.copy()  # where every input has data
    for path, what, kind, profile_name, date in extras:
        img, ok, name, tagged_date = _read_extra(path, what, kind, profile_name, grid)
        images.append(img)
        profiles.append(name)
        modalities.append(kind)
        labels.append(None if kind == "sar" else date or tagged_date)
        sources.append(str(path))
        covered &= ok
        if kind == "optical":
            valid &= ok
    if not valid.any():
        raise IntakeError("the area of interest holds only nodata pixels")
    tiles = []
    for row, col in tile_grid(grid, size):
        h, w = min(size, grid.height - row), min(size, grid.width - col)
        pad = [np.zeros((3, size, size), np.float32) for _ in images]
        for out, img in zip(pad, images):
            out[:, :h, :w] = img[:, row:row + h, col:col + w] * valid[row:row + h, col:col + w]
        ok = np.zeros((size, size), bool)
        ok[:h, :w] = valid[row:row + h, col:col + w]
        if ok.any():
            tiles.append(Tile(row, col, h, w, pad, ok, grid.transform * Affine.translation(col, row)))
    warnings = []
    if len(images) > 1 and (~covered).mean() > 0.01:
        warnings.append(f"{100 * (~covered).mean():.0f}% of the area lacks data in at least one input")
    return Intake(grid, tiles, modalities, labels, profiles, sources, float((~valid).mean()), warnings)


def stitch(grid: Grid, pieces: list[tuple[Tile, np.ndarray]]) -> np.ndarray:
    """Tile masks (model-input sized) put back onto the full working grid."""
    out = np.zeros((grid.height, grid.width), bool)
    for tile, mask in pieces:
        out[tile.row:tile.row + tile.height, tile.col:tile.col + tile.width] |= (
            mask[:tile.height, :tile.width] & tile.valid[:tile.height, :tile.width])
    return out
