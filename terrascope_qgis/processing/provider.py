"""The TerraScope Processing provider (id `terrascope_qgis`, apart from any other plugin's)."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .ask import AskTerraScope
from .mask_areas import MaskAreasByClass


class TerraScopeProvider(QgsProcessingProvider):
    def id(self) -> str:
        return "terrascope_qgis"

    def name(self) -> str:
        return "TerraScope pixel-grounded reasoning"

    def icon(self) -> QIcon:
        from ..plugin import asset

        return QIcon(str(asset("resources", "icon.svg")))

    def loadAlgorithms(self) -> None:  # noqa: N802 (QGIS API)
        self.addAlgorithm(AskTerraScope())
        self.addAlgorithm(MaskAreasByClass())
