"""Plugin entry point: the Raster-menu action that shows the TerraScope dock."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, QTranslator
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

PLUGIN_ID = "terrascope_qgis"
ROOT = Path(__file__).resolve().parent


def asset(*parts: str) -> Path:
    """A file of resources/ or i18n/: inside the installed plugin, or beside it in the repository."""
    inside = ROOT.joinpath(*parts)
    return inside if inside.exists() else ROOT.parent.joinpath(*parts)


def tr(text: str) -> str:
    return QCoreApplication.translate("TerraScopePlugin", text)


def install_translator() -> QTranslator | None:
    """The user's locale's translation from i18n/ (compiled .qm), if there is one."""
    locale = str(QSettings().value("locale/userLocale", QLocale().name()) or "en")[:2]
    qm = asset("i18n", f"terrascope_qgis_{locale}.qm")
    if not qm.is_file():
        return None
    translator = QTranslator()
    if translator.load(str(qm)):
        QCoreApplication.installTranslator(translator)
        return translator
    return None


class TerraScopePlugin:
    def __init__(self, iface):
        self.iface = iface
        self.action: QAction | None = None
        self.dock = None
        self.provider = None
        self.translator = install_translator()

    def initProcessing(self) -> None:  # noqa: N802 (QGIS API)
        from qgis.core import QgsApplication

        from .processing.provider import TerraScopeProvider

        self.provider = TerraScopeProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self) -> None:  # noqa: N802 (QGIS API)
        from .ui.dock import TerraScopeDock

        self.initProcessing()
        self.dock = TerraScopeDock(self.iface, self.iface.mainWindow())
        self.iface.addDockWidget(_right_area(), self.dock)
        self.dock.hide()
        icon = QIcon(str(asset("resources", "icon.svg")))
        self.action = QAction(icon, tr("TerraScope reasoning"), self.iface.mainWindow())
        self.action.setObjectName(f"{PLUGIN_ID}_open")
        self.action.setCheckable(True)
        self.action.toggled.connect(self.dock.setUserVisible)
        self.dock.visibilityChanged.connect(self.action.setChecked)
        self.iface.addPluginToRasterMenu(tr("&TerraScope"), self.action)
        self.iface.addToolBarIcon(self.action)

    def unload(self) -> None:
        if self.provider is not None:
            from qgis.core import QgsApplication

            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.dock is not None:
            self.dock.unload()
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        if self.action is not None:
            self.iface.removePluginRasterMenu(tr("&TerraScope"), self.action)
            self.iface.removeToolBarIcon(self.action)
            self.action.deleteLater()
            self.action = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)


def _right_area():
    from qgis.PyQt.QtCore import Qt

    return Qt.DockWidgetArea.RightDockWidgetArea
