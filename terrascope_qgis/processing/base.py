"""What every TerraScope Processing algorithm shares: its group and translation context."""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm
from qgis.PyQt.QtCore import QCoreApplication


class TerraScopeAlgorithm(QgsProcessingAlgorithm):
    def tr(self, text: str) -> str:
        return QCoreApplication.translate(type(self).__name__, text)

    def createInstance(self):  # noqa: N802 (QGIS API)
        return type(self)()

    def group(self) -> str:
        return QCoreApplication.translate("TerraScopeAlgorithm", "Pixel-grounded reasoning")

    def groupId(self) -> str:  # noqa: N802
        return "reasoning"
