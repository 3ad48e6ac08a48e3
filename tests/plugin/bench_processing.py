"""`make bench`: polygons per minute through the Ask TerraScope algorithm (QGIS Processing, standalone),
against a real runtime on loopback with the default model."""

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, "/usr/share/qgis/python/plugins")

from qgis.core import QgsApplication, QgsFeature, QgsGeometry, QgsRasterLayer, QgsRectangle, QgsVectorLayer  # noqa: E402

from tests.plugin.conftest import MAKE_RASTERS, RUNTIME_PY, Runtime  # noqa: E402


def main(polygons: int = 12) -> None:
    import subprocess

    app = QgsApplication([], False)
    app.initQgis()
    import processing
    from processing.core.Processing import Processing

    from terrascope_qgis.processing.provider import TerraScopeProvider

    Processing.initialize()
    provider = TerraScopeProvider()  # the registry does not keep it alive
    QgsApplication.processingRegistry().addProvider(provider)
    folder = Path(tempfile.mkdtemp(prefix="terrascope-bench-"))
    subprocess.run([str(RUNTIME_PY), "-c", MAKE_RASTERS, str(folder)], check=True, cwd=REPO)
    runtime = Runtime(folder)
    try:
        optical = QgsRasterLayer(str(folder / "optical_t0.tif"), "optical")
        e = optical.extent()
        areas = QgsVectorLayer(f"Polygon?crs={optical.crs().authid()}", "areas", "memory")
        cols = 4
        w, h = e.width() / cols, e.height() / ((polygons + cols - 1) // cols)
        features = []
        for k in range(polygons):
            f = QgsFeature()
            col, row = k % cols, k // cols
            x0, y0 = e.xMinimum() + col * w, e.yMinimum() + row * h
            f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x0, y0, x0 + w, y0 + h)))
            features.append(f)
        areas.dataProvider().addFeatures(features)
        params = {"OPTICAL": optical, "QUESTION": "What share of this area is water?", "AREAS": areas,
                  "URL": runtime.url, "MASKS": "memory:", "ANSWERS": "memory:"}
        t0 = time.perf_counter()
        result = processing.run("terrascope_qgis:ask", params)
        seconds = time.perf_counter() - t0
        answered = result["ANSWERS"].featureCount()
        print("| measurement | value |")
        print("|---|---|")
        print(f"| Ask TerraScope, {polygons} polygons x 1 question, answered | {answered} |")
        print(f"| polygons per minute (default model, CPU) | {60 * polygons / seconds:.1f} |")
    finally:
        runtime.kill()
        QgsApplication.processingRegistry().removeProvider(provider)


if __name__ == "__main__":
    main()
