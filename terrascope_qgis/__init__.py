"""TerraScope for QGIS (plugin folder `terrascope_qgis`, distinct from the "Terrascope" STAC plugin)."""


def classFactory(iface):  # noqa: N802 (QGIS's entry point name)
    from .plugin import TerraScopePlugin

    return TerraScopePlugin(iface)
