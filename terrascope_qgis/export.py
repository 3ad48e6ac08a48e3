"""Exports: a conversation's steps to one shapefile or GeoPackage (with a `step` attribute), and
its transcript to Markdown."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsFeature, QgsProject, QgsVectorFileWriter, QgsVectorLayer

from .conversation import Conversation
from .layers import layer_area, new_mask_layer, step_colour


def export_steps(conv: Conversation, project: QgsProject, path: Path, steps: list[int] | None = None) -> Path:
    """Write the chosen steps (all by default) into one file; the format follows the suffix."""
    path = Path(path)
    merged = new_mask_layer("export", project.crs(), step_colour(0))
    features = []
    for step in conv.steps:
        layer = project.mapLayer(step.layer_id)
        if layer is None or (steps is not None and step.index not in steps):
            continue
        for feature in layer.getFeatures():
            out = QgsFeature(merged.fields())
            out.setGeometry(feature.geometry())
            out.setAttributes(feature.attributes())
            features.append(out)
    if not features:
        raise ValueError("no mask layer left to export for these steps")
    merged.dataProvider().addFeatures(features)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG" if path.suffix.lower() == ".gpkg" else "ESRI Shapefile"
    options.fileEncoding = "UTF-8"
    error = QgsVectorFileWriter.writeAsVectorFormatV3(merged, str(path), project.transformContext(), options)
    if error[0] != QgsVectorFileWriter.WriterError.NoError:
        raise OSError(f"could not write {path}: {error[1]}")
    return path


def transcript_markdown(conv: Conversation, project: QgsProject) -> str:
    lines = [f"# {conv.question}", ""]
    if conv.choices:
        lines += ["Candidates: " + "; ".join(f"({chr(65 + i)}) {c}" for i, c in enumerate(conv.choices)), ""]
    lines += [f"Sources: {', '.join(conv.sources)}", "", "## Reasoning", "", conv.transcript.strip(), "",
              "## Steps", "", "| step | region | area | layer |", "|---|---|---|---|"]
    for step in conv.steps:
        layer: QgsVectorLayer | None = project.mapLayer(step.layer_id)
        if layer is None:
            lines.append(f"| {step.index + 1} | {step.phrase} | (layer removed) | |")
            continue
        total, unit = layer_area(layer)
        lines.append(f"| {step.index + 1} | {step.phrase} | {total:.4g} {unit} | {layer.name()} |")
    lines += ["", f"**Answer:** {conv.answer}", "",
              f"Model: {conv.model.get('name', '?')} {conv.model.get('version', '')} "
              f"({conv.model.get('backend', '')}, {conv.model.get('device', '')})"]
    return "\n".join(lines) + "\n"


def export_transcript(conv: Conversation, project: QgsProject, path: Path) -> Path:
    Path(path).write_text(transcript_markdown(conv, project), encoding="utf-8")
    return Path(path)
