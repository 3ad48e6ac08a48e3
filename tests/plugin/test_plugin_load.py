"""The plugin in a real QGIS (offscreen): action and dock, translations, packaging."""

import ast
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from qgis.PyQt.QtWidgets import QAction

import terrascope_qgis
from terrascope_qgis.ui.dock import TerraScopeDock

REPO = Path(__file__).resolve().parents[2]
PLUGIN = REPO / "terrascope_qgis"
LANGUAGES = ["de", "fr", "es", "zh"]


def test_plugin_adds_its_action_and_dock_and_removes_them(qgis_iface):
    plugin = terrascope_qgis.classFactory(qgis_iface)
    plugin.initGui()
    actions = qgis_iface.mainWindow().findChildren(QAction, "terrascope_qgis_open")
    assert len(actions) == 1 and not actions[0].icon().isNull()
    assert isinstance(plugin.dock, TerraScopeDock)
    actions[0].setChecked(True)
    assert not plugin.dock.isHidden()  # shown (the offscreen main window itself is never shown)
    plugin.unload()
    assert plugin.action is None and plugin.dock is None


def test_the_plugin_never_imports_torch():
    code = "import sys, terrascope_qgis.plugin, terrascope_qgis.ui.dock; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "False"


def ui_strings() -> set[str]:
    """Every literal passed to tr() or translate(context, text) in the plugin."""
    found = set()
    for path in PLUGIN.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[-1], ast.Constant):
                name = getattr(node.func, "attr", getattr(node.func, "id", None))
                if name == "tr" or (name == "translate" and len(node.args) == 2):
                    found.add(node.args[-1].value)
    return found


def test_every_string_is_translated_in_each_language():
    strings = ui_strings()
    assert len(strings) > 40
    for lang in LANGUAGES:
        ts = (REPO / "i18n" / f"terrascope_qgis_{lang}.ts").read_text(encoding="utf-8")
        sources = set(re.findall(r"<source>(.*?)</source>", ts, re.S))
        unescaped = {s.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&apos;", "'")
                     .replace("&quot;", '"') for s in sources}
        assert strings <= unescaped, (lang, strings - unescaped)
        assert (REPO / "i18n" / f"terrascope_qgis_{lang}.qm").is_file()  # compiled by make


def test_metadata_is_complete_and_ids_do_not_collide():
    meta = dict(line.split("=", 1) for line in (REPO / "metadata.txt").read_text().splitlines() if "=" in line)
    for key in ("name", "qgisMinimumVersion", "description", "about", "version", "author", "email", "repository",
                "tracker", "icon", "supportsQt6", "category"):
        assert meta.get(key), key
    assert meta["qgisMinimumVersion"] == "3.22" and meta["supportsQt6"] == "True"
    assert PLUGIN.name == "terrascope_qgis" != "terrascope"


def test_package_builds_an_installable_zip():
    subprocess.run(["make", "-s", "package"], cwd=REPO, check=True)
    with zipfile.ZipFile(REPO / "dist" / "terrascope_qgis.zip") as z:
        names = set(z.namelist())
    assert {"terrascope_qgis/__init__.py", "terrascope_qgis/metadata.txt", "terrascope_qgis/resources/icon.svg",
            "terrascope_qgis/ui/dock.py", "terrascope_qgis/i18n/terrascope_qgis_de.qm"} <= names
    assert not any("__pycache__" in n for n in names)
