"""Land-cover classes and their signatures: optical surface reflectance per sensor band and SAR
backscatter.

Reflectances are representative surface-reflectance values of each cover type at the band
centres of Sentinel-2 MSI and Landsat 8/9 OLI (as spectral libraries such as USGS splib07 and
ECOSTRESS and published Sentinel-2 / Landsat class means give them: water dark beyond green, the
red edge of vegetation, soils rising into the SWIR, bright flat impervious surfaces). Backscatter
is C-band (Sentinel-1 IW GRD) sigma0 in dB: calm water near -22 dB VV, double bounce on
buildings, volume scattering in forest raising VH.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LandCover:
    id: int
    name: str  # what questions and chains call it
    colour: str  # for maps and charts


WATER = LandCover(1, "water", "#3a86c8")
TREES = LandCover(2, "tree cover", "#2b6d34")
CROPLAND = LandCover(3, "cropland", "#e3c16f")
GRASSLAND = LandCover(4, "grassland", "#9fd37a")
BUILDINGS = LandCover(5, "buildings", "#d9473b")
ROAD = LandCover(6, "road", "#6b6b6b")
BARE = LandCover(7, "bare soil", "#b08b62")

CLASSES = [WATER, TREES, CROPLAND, GRASSLAND, BUILDINGS, ROAD, BARE]
BY_ID = {c.id: c for c in CLASSES}
BY_NAME = {c.name: c for c in CLASSES}

# Band order of the rasters the generator writes: blue, green, red, NIR, SWIR1, SWIR2.
BANDS = ["blue", "green", "red", "nir", "swir1", "swir2"]
SENSOR_BANDS = {
    "sentinel2": ["B02", "B03", "B04", "B08", "B11", "B12"],
    "landsat8": ["SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7"],
}

# Surface reflectance (0-1) in the order of BANDS.
REFLECTANCE = {
    "sentinel2": {
        "water": (0.055, 0.050, 0.030, 0.018, 0.009, 0.006),
        "tree cover": (0.025, 0.050, 0.028, 0.330, 0.160, 0.075),
        "cropland": (0.035, 0.075, 0.045, 0.420, 0.230, 0.110),
        "grassland": (0.045, 0.080, 0.070, 0.290, 0.270, 0.160),
        "buildings": (0.130, 0.140, 0.155, 0.210, 0.250, 0.230),
        "road": (0.080, 0.090, 0.100, 0.120, 0.140, 0.130),
        "bare soil": (0.090, 0.130, 0.180, 0.240, 0.330, 0.280),
    },
    "landsat8": {
        "water": (0.050, 0.048, 0.028, 0.016, 0.008, 0.005),
        "tree cover": (0.023, 0.048, 0.027, 0.320, 0.155, 0.072),
        "cropland": (0.033, 0.072, 0.043, 0.400, 0.225, 0.108),
        "grassland": (0.043, 0.078, 0.068, 0.280, 0.265, 0.158),
        "buildings": (0.125, 0.136, 0.150, 0.205, 0.245, 0.225),
        "road": (0.078, 0.088, 0.098, 0.118, 0.138, 0.128),
        "bare soil": (0.088, 0.128, 0.176, 0.235, 0.325, 0.275),
    },
}
# Cropland after harvest and grassland in the dry season (seasonal change in a series).
SEASONAL = {
    "cropland": (0.085, 0.120, 0.160, 0.230, 0.310, 0.260),
    "grassland": (0.070, 0.100, 0.120, 0.230, 0.310, 0.220),
}
CLOUD = (0.62, 0.63, 0.64, 0.66, 0.52, 0.40)
HAZE = (0.060, 0.045, 0.030, 0.012, 0.004, 0.002)  # additive path radiance at full haze

# Sentinel-1 sigma0 in dB: (VV, VH).
BACKSCATTER_DB = {
    "water": (-22.0, -28.5),
    "tree cover": (-7.5, -13.0),
    "cropland": (-10.5, -16.5),
    "grassland": (-11.5, -18.5),
    "buildings": (-1.0, -9.0),
    "road": (-17.5, -24.0),
    "bare soil": (-12.5, -20.5),
}
