"""Plugin entry point: the menu and toolbar action, added on load and removed on unload."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

PLUGIN_ID = "terrascope_qgis"
ICON = Path(__file__).resolve().parent.parent / "resources" / "icon.svg"


def tr(text: str) -> str:
    return QCoreApplication.translate("TerraScopePlugin", text)


class TerraScopePlugin:
    def __init__(self, iface):
        self.iface = iface
        self.action: QAction | None = None

    def initGui(self) -> None:  # noqa: N802 (QGIS API)
        self.action = QAction(QIcon(str(ICON)), tr("TerraScope reasoning"), self.iface.mainWindow())
        self.action.setObjectName(f"{PLUGIN_ID}_open")
        self.iface.addPluginToRasterMenu(tr("&TerraScope"), self.action)
        self.iface.addToolBarIcon(self.action)

    def unload(self) -> None:
        if self.action is not None:
            self.iface.removePluginRasterMenu(tr("&TerraScope"), self.action)
            self.iface.removeToolBarIcon(self.action)
            self.action.deleteLater()
            self.action = None
