"""A conversation: one question, its transcript and one mask layer per reasoning step, kept in the
project (layers in a GeoPackage beside the project file, the transcript in the project itself)."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from qgis.core import QgsLayerTreeGroup, QgsProject, QgsVectorFileWriter, QgsVectorLayer

from .layers import add_mask_event, new_mask_layer, step_colour

SCOPE, KEY = "terrascope_qgis", "conversations"


@dataclass
class Step:
    index: int
    phrase: str
    layer_id: str
    colour: str


@dataclass
class Conversation:
    question: str
    sources: list[str]
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    transcript: str = ""
    answer: str = ""
    choices: list[str] = field(default_factory=list)
    model: dict = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    group_name: str = ""

    def info(self) -> dict:
        return {"conversation": self.id, "question": self.question, "sources": "; ".join(self.sources),
                "model": self.model.get("name", ""), "version": self.model.get("version", "")}

    def group(self, project: QgsProject) -> QgsLayerTreeGroup:
        root = project.layerTreeRoot()
        if not self.group_name:
            self.group_name = f"TerraScope: {self.question[:60]} [{self.id}]"
        return root.findGroup(self.group_name) or root.insertGroup(0, self.group_name)

    def step_layer(self, project: QgsProject, index: int) -> QgsVectorLayer | None:
        for step in self.steps:
            if step.index == index:
                return project.mapLayer(step.layer_id)
        return None

    def add_mask(self, project: QgsProject, event: dict) -> QgsVectorLayer:
        """Draw one mask event: on its step's layer, made (in this conversation's group) on first use."""
        layer = self.step_layer(project, event["step"])
        if layer is None:
            colour = step_colour(event["step"])
            layer = new_mask_layer(f"{event['step'] + 1}. {event['phrase']}", project.crs(), colour)
            project.addMapLayer(layer, False)
            self.group(project).addLayer(layer)
            self.steps.append(Step(event["step"], event["phrase"], layer.id(), colour.name()))
        add_mask_event(layer, event, project, self.info())
        return layer

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Conversation:
        data = dict(data)
        data["steps"] = [Step(**s) for s in data.get("steps", [])]
        return cls(**data)


def gpkg_path(project: QgsProject) -> Path | None:
    if not project.fileName():
        return None
    path = Path(project.fileName())
    return path.with_name(path.stem + "_terrascope.gpkg")


def persist(project: QgsProject, conversations: list[Conversation]) -> None:
    """Move memory layers into the GeoPackage beside the project; store the transcripts."""
    target = gpkg_path(project)
    if target is not None:
        for conv in conversations:
            for step in conv.steps:
                layer = project.mapLayer(step.layer_id)
                if layer is None or layer.providerType() != "memory":
                    continue
                name = f"c{conv.id}_s{step.index}"
                options = QgsVectorFileWriter.SaveVectorOptions()
                options.driverName, options.layerName = "GPKG", name
                options.actionOnExistingFile = (QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
                                                if target.exists() else
                                                QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteFile)
                error = QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(target), project.transformContext(),
                                                                  options)
                if error[0] != QgsVectorFileWriter.WriterError.NoError:
                    raise OSError(f"could not write {target}: {error[1]}")
                layer.setDataSource(f"{target}|layername={name}", layer.name(), "ogr")
    project.writeEntry(SCOPE, KEY, json.dumps([c.to_json() for c in conversations]))


def restore(project: QgsProject) -> list[Conversation]:
    raw, ok = project.readEntry(SCOPE, KEY, "[]")
    try:
        return [Conversation.from_json(c) for c in json.loads(raw)] if ok else []
    except (ValueError, TypeError, KeyError):
        return []
