"""The plugin's settings, kept in QgsSettings under `terrascope_qgis/`."""

from __future__ import annotations

from dataclasses import dataclass, field

from qgis.core import QgsSettings

PREFIX = "terrascope_qgis/"


@dataclass
class RuntimeSettings:
    url: str = "http://127.0.0.1:8765"
    token: str = ""
    python: str = ""  # a Python with the runtime installed; empty: connect only
    model: str = ""  # a model folder for a started runtime; empty: the default model
    allowed: list[str] = field(default_factory=list)  # folders a started runtime may read
    start_runtime: bool = False
    history: list[str] = field(default_factory=list)

    @classmethod
    def load(cls) -> RuntimeSettings:
        s = QgsSettings()
        defaults = cls()
        return cls(
            url=s.value(PREFIX + "url", defaults.url),
            token=s.value(PREFIX + "token", ""),
            python=s.value(PREFIX + "python", ""),
            model=s.value(PREFIX + "model", ""),
            allowed=[p for p in s.value(PREFIX + "allowed", "").split("\n") if p],
            start_runtime=s.value(PREFIX + "start_runtime", "false") in (True, "true"),
            history=[q for q in s.value(PREFIX + "history", "").split("\n") if q],
        )

    def save(self) -> None:
        s = QgsSettings()
        s.setValue(PREFIX + "url", self.url)
        s.setValue(PREFIX + "token", self.token)
        s.setValue(PREFIX + "python", self.python)
        s.setValue(PREFIX + "model", self.model)
        s.setValue(PREFIX + "allowed", "\n".join(self.allowed))
        s.setValue(PREFIX + "start_runtime", "true" if self.start_runtime else "false")
        s.setValue(PREFIX + "history", "\n".join(self.history[:30]))

    def remember(self, question: str) -> None:
        self.history = [question] + [q for q in self.history if q != question]
        self.save()
