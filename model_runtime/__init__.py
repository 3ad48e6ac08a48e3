"""TerraScope model runtime: pixel-grounded visual reasoning over Earth-observation rasters."""

__version__ = "0.1.0"
