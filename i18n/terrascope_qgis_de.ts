<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>AskTerraScope</name>
    <message>
        <source>Answers</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <source>Area of interest (extent)</source>
        <translation>Untersuchungsgebiet (Ausdehnung)</translation>
    </message>
    <message>
        <source>Areas of interest (one answer per polygon)</source>
        <translation>Untersuchungsgebiete (eine Antwort je Polygon)</translation>
    </message>
    <message>
        <source>Ask TerraScope</source>
        <translation>TerraScope fragen</translation>
    </message>
    <message>
        <source>Asks the TerraScope runtime one or more questions about an optical raster (optionally with a SAR raster or a time series), once per area: the extent, or each polygon of a layer. Every reasoning step that names a region becomes mask polygons (clipped to the polygon) with their areas; the answers go to a table.

Example: optical = a Sentinel-2 scene, areas = municipalities, questions file = a text file with 'What share of this area is water?' and 'How many buildings are there?' on two lines: one answer row per municipality and question, and the water and building masks as polygons.

The runtime must be running (the dock's settings are the defaults for URL and token) and allowed to read the rasters' folders.</source>
        <translation>Stellt der TerraScope-Laufzeitumgebung eine oder mehrere Fragen zu einem optischen Raster (optional mit SAR-Raster oder Zeitreihe), einmal je Gebiet: die Ausdehnung oder jedes Polygon eines Layers. Jeder Analyseschritt, der eine Region nennt, wird zu Maskenpolygonen (auf das Polygon zugeschnitten) mit ihren Flächen; die Antworten landen in einer Tabelle.

Beispiel: optisch = eine Sentinel-2-Szene, Gebiete = Gemeinden, Fragendatei = eine Textdatei mit „What share of this area is water?“ und „How many buildings are there?“ in zwei Zeilen: je Gemeinde und Frage eine Antwortzeile sowie die Wasser- und Gebäudemasken als Polygone.

Die Laufzeitumgebung muss laufen (die Einstellungen des Docks sind die Vorgaben für URL und Token) und die Ordner der Raster lesen dürfen.</translation>
    </message>
    <message>
        <source>Candidate answers (separated by ;)</source>
        <translation>Antwortmöglichkeiten (durch ; getrennt)</translation>
    </message>
    <message>
        <source>Optical raster</source>
        <translation>Optisches Raster</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Frage</translation>
    </message>
    <message>
        <source>Questions file (.txt, one per line, or .csv with question[,choices])</source>
        <translation>Fragendatei (.txt, eine pro Zeile, oder .csv mit question[,choices])</translation>
    </message>
    <message>
        <source>Reasoning masks</source>
        <translation>Analysemasken</translation>
    </message>
    <message>
        <source>Runtime URL</source>
        <translation>URL der Laufzeitumgebung</translation>
    </message>
    <message>
        <source>Runtime token</source>
        <translation>Token der Laufzeitumgebung</translation>
    </message>
    <message>
        <source>SAR raster</source>
        <translation>SAR-Raster</translation>
    </message>
    <message>
        <source>Time series (later images, in date order)</source>
        <translation>Zeitreihe (spätere Bilder, nach Datum)</translation>
    </message>
    <message>
        <source>area {}, question '{}': {}</source>
        <translation>Gebiet {}, Frage „{}“: {}</translation>
    </message>
    <message>
        <source>give a question or a questions file</source>
        <translation>geben Sie eine Frage oder eine Fragendatei an</translation>
    </message>
    <message>
        <source>{} — area {}</source>
        <translation>{} — Gebiet {}</translation>
    </message>
</context>
<context>
    <name>MaskAreasByClass</name>
    <message>
        <source>Areas</source>
        <translation>Gebiete</translation>
    </message>
    <message>
        <source>Areas by class</source>
        <translation>Flächen nach Klasse</translation>
    </message>
    <message>
        <source>For every polygon of the areas layer, the area on the ellipsoid (m2) of each reasoning label of the masks layer inside it, and its share of the polygon. Overlapping masks of one label count once.

Example: masks = the output of Ask TerraScope, areas = districts: one row per district and label (water, buildings, ...) with its area and share, ready to join to the districts.</source>
        <translation>Für jedes Polygon des Gebietslayers die Fläche auf dem Ellipsoid (m2) jeder Analysebeschriftung des Maskenlayers darin und ihr Anteil am Polygon. Überlappende Masken einer Beschriftung zählen einmal.

Beispiel: Masken = die Ausgabe von TerraScope fragen, Gebiete = Bezirke: eine Zeile je Bezirk und Beschriftung (Wasser, Gebäude, ...) mit Fläche und Anteil, bereit zum Verknüpfen mit den Bezirken.</translation>
    </message>
    <message>
        <source>Label field</source>
        <translation>Beschriftungsfeld</translation>
    </message>
    <message>
        <source>Mask areas by class</source>
        <translation>Maskenflächen nach Klasse</translation>
    </message>
    <message>
        <source>Reasoning masks</source>
        <translation>Analysemasken</translation>
    </message>
</context>
<context>
    <name>RuntimeClient</name>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>the runtime stopped answering: {}</source>
        <translation>die Laufzeitumgebung antwortet nicht mehr: {}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Folders it may read</source>
        <translation>Lesbare Ordner</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>Modellordner</translation>
    </message>
    <message>
        <source>A model folder (run by PyTorch) or one written by export-onnx (run by ONNX Runtime); empty: the shipped default model</source>
        <translation>Ein Modellordner (mit PyTorch ausgeführt) oder ein mit export-onnx geschriebener (mit ONNX Runtime ausgeführt); leer: das mitgelieferte Standardmodell</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>Python with terrascope-runtime installed</source>
        <translation>Python mit installiertem terrascope-runtime</translation>
    </message>
    <message>
        <source>Runtime URL</source>
        <translation>URL der Laufzeitumgebung</translation>
    </message>
    <message>
        <source>Start the runtime with QGIS's plugin (child process)</source>
        <translation>Laufzeitumgebung mit dem Plugin starten (Kindprozess)</translation>
    </message>
    <message>
        <source>TerraScope runtime</source>
        <translation>TerraScope-Laufzeitumgebung</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>one folder per line (the project's raster folders are added)</source>
        <translation>ein Ordner pro Zeile (die Rasterordner des Projekts kommen hinzu)</translation>
    </message>
</context>
<context>
    <name>TerraScopeAlgorithm</name>
    <message>
        <source>Pixel-grounded reasoning</source>
        <translation>Pixelgenaue Analyse</translation>
    </message>
</context>
<context>
    <name>TerraScopeDock</name>
    <message>
        <source>Add selected layers</source>
        <translation>Ausgewählte Layer hinzufügen</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Gebiet</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>Fragen</translation>
    </message>
    <message>
        <source>Ask about the rasters, e.g. What share of this area is water?</source>
        <translation>Frage zu den Rastern, z. B. Welcher Anteil dieses Gebiets ist Wasser?</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Candidate answers, separated by ; (optional)</source>
        <translation>Antwortmöglichkeiten, durch ; getrennt (optional)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Export all steps</source>
        <translation>Alle Schritte exportieren</translation>
    </message>
    <message>
        <source>Export masks</source>
        <translation>Masken exportieren</translation>
    </message>
    <message>
        <source>Export step</source>
        <translation>Schritt exportieren</translation>
    </message>
    <message>
        <source>Export transcript</source>
        <translation>Verlauf exportieren</translation>
    </message>
    <message>
        <source>Extent of a layer</source>
        <translation>Ausdehnung eines Layers</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg);;ESRI Shapefile (*.shp)</source>
        <translation>GeoPackage (*.gpkg);;ESRI-Shapefile (*.shp)</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Layer</translation>
    </message>
    <message>
        <source>Map canvas extent</source>
        <translation>Ausdehnung der Kartenansicht</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>Masks written to {}</source>
        <translation>Masken gespeichert in {}</translation>
    </message>
    <message>
        <source>Optical raster</source>
        <translation>Optisches Raster</translation>
    </message>
    <message>
        <source>Runtime: connected — {model} {version} on {device} ({backend})</source>
        <translation>Laufzeitumgebung: verbunden — {model} {version} auf {device} ({backend})</translation>
    </message>
    <message>
        <source>Runtime: not connected</source>
        <translation>Laufzeitumgebung: nicht verbunden</translation>
    </message>
    <message>
        <source>Runtime: not connected ({})</source>
        <translation>Laufzeitumgebung: nicht verbunden ({})</translation>
    </message>
    <message>
        <source>Runtime: starting…</source>
        <translation>Laufzeitumgebung: startet…</translation>
    </message>
    <message>
        <source>SAR raster (optional)</source>
        <translation>SAR-Raster (optional)</translation>
    </message>
    <message>
        <source>Selected polygons of a layer</source>
        <translation>Ausgewählte Polygone eines Layers</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <source>TerraScope</source>
        <translation>TerraScope</translation>
    </message>
    <message>
        <source>The runtime did not finish the answer: {}</source>
        <translation>Die Laufzeitumgebung hat die Antwort nicht beendet: {}</translation>
    </message>
    <message>
        <source>Time series (optional): later images in date order</source>
        <translation>Zeitreihe (optional): spätere Bilder in Datumsreihenfolge</translation>
    </message>
    <message>
        <source>Transcript to Markdown</source>
        <translation>Verlauf als Markdown</translation>
    </message>
    <message>
        <source>Whole optical raster</source>
        <translation>Ganzes optisches Raster</translation>
    </message>
    <message>
        <source>[tile {} of {}] </source>
        <translation>[Kachel {} von {}] </translation>
    </message>
    <message>
        <source>a GPU is present but not used</source>
        <translation>eine GPU ist vorhanden, wird aber nicht genutzt</translation>
    </message>
    <message>
        <source>choose the layer that gives the area of interest</source>
        <translation>wählen Sie den Layer, der das Untersuchungsgebiet vorgibt</translation>
    </message>
    <message>
        <source>click a step first</source>
        <translation>klicken Sie zuerst auf einen Schritt</translation>
    </message>
    <message>
        <source>select the polygons of the area of interest first</source>
        <translation>wählen Sie zuerst die Polygone des Untersuchungsgebiets</translation>
    </message>
</context>
<context>
    <name>TerraScopePlugin</name>
    <message>
        <source>&amp;TerraScope</source>
        <translation>&amp;TerraScope</translation>
    </message>
    <message>
        <source>TerraScope reasoning</source>
        <translation>TerraScope-Analyse</translation>
    </message>
</context>
<context>
    <name>TerraScopeRequest</name>
    <message>
        <source>choose an optical raster layer</source>
        <translation>wählen Sie einen optischen Rasterlayer</translation>
    </message>
    <message>
        <source>layer '{}' is not a local raster file</source>
        <translation>Layer „{}“ ist keine lokale Rasterdatei</translation>
    </message>
    <message>
        <source>the area of interest is empty</source>
        <translation>das Untersuchungsgebiet ist leer</translation>
    </message>
    <message>
        <source>type a question</source>
        <translation>geben Sie eine Frage ein</translation>
    </message>
    <message>
        <source>use either a SAR raster or a time series, not both</source>
        <translation>verwenden Sie entweder ein SAR-Raster oder eine Zeitreihe, nicht beides</translation>
    </message>
</context>
</TS>
