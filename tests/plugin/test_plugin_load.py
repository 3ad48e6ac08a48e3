"""The plugin loads in a real QGIS (offscreen), adds its action, and removes it on unload."""

from qgis.PyQt.QtWidgets import QAction

import terrascope_qgis


def test_plugin_adds_and_removes_its_action(qgis_iface):
    plugin = terrascope_qgis.classFactory(qgis_iface)
    plugin.initGui()
    actions = qgis_iface.mainWindow().findChildren(QAction, "terrascope_qgis_open")
    assert len(actions) == 1
    assert not actions[0].icon().isNull()
    plugin.unload()
    assert plugin.action is None


def test_plugin_package_has_no_heavy_imports():
    """torch and transformers never load inside QGIS's Python."""
    import sys

    import terrascope_qgis.plugin  # noqa: F401

    assert "torch" not in sys.modules and "transformers" not in sys.modules
