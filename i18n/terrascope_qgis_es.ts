<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>AskTerraScope</name>
    <message>
        <source>Answers</source>
        <translation>Respuestas</translation>
    </message>
    <message>
        <source>Area of interest (extent)</source>
        <translation>Área de interés (extensión)</translation>
    </message>
    <message>
        <source>Areas of interest (one answer per polygon)</source>
        <translation>Áreas de interés (una respuesta por polígono)</translation>
    </message>
    <message>
        <source>Ask TerraScope</source>
        <translation>Preguntar a TerraScope</translation>
    </message>
    <message>
        <source>Asks the TerraScope runtime one or more questions about an optical raster (optionally with a SAR raster or a time series), once per area: the extent, or each polygon of a layer. Every reasoning step that names a region becomes mask polygons (clipped to the polygon) with their areas; the answers go to a table.

Example: optical = a Sentinel-2 scene, areas = municipalities, questions file = a text file with 'What share of this area is water?' and 'How many buildings are there?' on two lines: one answer row per municipality and question, and the water and building masks as polygons.

The runtime must be running (the dock's settings are the defaults for URL and token) and allowed to read the rasters' folders.</source>
        <translation>Hace una o varias preguntas al motor de TerraScope sobre un ráster óptico (opcionalmente con un ráster SAR o una serie temporal), una vez por área: la extensión, o cada polígono de una capa. Cada paso del razonamiento que nombra una región se convierte en polígonos de máscara (recortados al polígono) con sus superficies; las respuestas van a una tabla.

Ejemplo: óptico = una escena Sentinel-2, áreas = municipios, archivo de preguntas = un archivo de texto con «What share of this area is water?» y «How many buildings are there?» en dos líneas: una fila de respuesta por municipio y pregunta, y las máscaras de agua y edificios como polígonos.

El motor debe estar en marcha (los ajustes del panel son los valores por defecto de URL y token) y poder leer las carpetas de los ráster.</translation>
    </message>
    <message>
        <source>Candidate answers (separated by ;)</source>
        <translation>Respuestas candidatas (separadas por ;)</translation>
    </message>
    <message>
        <source>Optical raster</source>
        <translation>Ráster óptico</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Pregunta</translation>
    </message>
    <message>
        <source>Questions file (.txt, one per line, or .csv with question[,choices])</source>
        <translation>Archivo de preguntas (.txt, una por línea, o .csv con question[,choices])</translation>
    </message>
    <message>
        <source>Reasoning masks</source>
        <translation>Máscaras del razonamiento</translation>
    </message>
    <message>
        <source>Runtime URL</source>
        <translation>URL del motor</translation>
    </message>
    <message>
        <source>Runtime token</source>
        <translation>Token del motor</translation>
    </message>
    <message>
        <source>SAR raster</source>
        <translation>Ráster SAR</translation>
    </message>
    <message>
        <source>Time series (later images, in date order)</source>
        <translation>Serie temporal (imágenes posteriores, por fecha)</translation>
    </message>
    <message>
        <source>area {}, question '{}': {}</source>
        <translation>área {}, pregunta «{}»: {}</translation>
    </message>
    <message>
        <source>give a question or a questions file</source>
        <translation>indique una pregunta o un archivo de preguntas</translation>
    </message>
    <message>
        <source>{} — area {}</source>
        <translation>{} — área {}</translation>
    </message>
</context>
<context>
    <name>MaskAreasByClass</name>
    <message>
        <source>Areas</source>
        <translation>Áreas</translation>
    </message>
    <message>
        <source>Areas by class</source>
        <translation>Superficies por clase</translation>
    </message>
    <message>
        <source>For every polygon of the areas layer, the area on the ellipsoid (m2) of each reasoning label of the masks layer inside it, and its share of the polygon. Overlapping masks of one label count once.

Example: masks = the output of Ask TerraScope, areas = districts: one row per district and label (water, buildings, ...) with its area and share, ready to join to the districts.</source>
        <translation>Para cada polígono de la capa de áreas, la superficie sobre el elipsoide (m2) de cada etiqueta del razonamiento de la capa de máscaras dentro de él, y su parte del polígono. Las máscaras superpuestas de una etiqueta cuentan una vez.

Ejemplo: máscaras = la salida de Preguntar a TerraScope, áreas = distritos: una fila por distrito y etiqueta (agua, edificios, ...) con su superficie y su parte, lista para unir a los distritos.</translation>
    </message>
    <message>
        <source>Label field</source>
        <translation>Campo de etiqueta</translation>
    </message>
    <message>
        <source>Mask areas by class</source>
        <translation>Superficies de máscaras por clase</translation>
    </message>
    <message>
        <source>Reasoning masks</source>
        <translation>Máscaras del razonamiento</translation>
    </message>
</context>
<context>
    <name>RuntimeClient</name>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <source>the runtime stopped answering: {}</source>
        <translation>el motor dejó de responder: {}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Folders it may read</source>
        <translation>Carpetas que puede leer</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>Carpeta del modelo</translation>
    </message>
    <message>
        <source>A model folder (run by PyTorch) or one written by export-onnx (run by ONNX Runtime); empty: the shipped default model</source>
        <translation>Una carpeta de modelo (ejecutada con PyTorch) o una escrita por export-onnx (ejecutada con ONNX Runtime); vacía: el modelo predeterminado incluido</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>Python with terrascope-runtime installed</source>
        <translation>Python con terrascope-runtime instalado</translation>
    </message>
    <message>
        <source>Runtime URL</source>
        <translation>URL del motor</translation>
    </message>
    <message>
        <source>Start the runtime with QGIS's plugin (child process)</source>
        <translation>Iniciar el motor con el complemento (proceso hijo)</translation>
    </message>
    <message>
        <source>TerraScope runtime</source>
        <translation>Motor de TerraScope</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>one folder per line (the project's raster folders are added)</source>
        <translation>una carpeta por línea (se añaden las carpetas de los ráster del proyecto)</translation>
    </message>
</context>
<context>
    <name>TerraScopeAlgorithm</name>
    <message>
        <source>Pixel-grounded reasoning</source>
        <translation>Razonamiento anclado en píxeles</translation>
    </message>
</context>
<context>
    <name>TerraScopeDock</name>
    <message>
        <source>Add selected layers</source>
        <translation>Añadir las capas seleccionadas</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Respuesta</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Área</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>Preguntar</translation>
    </message>
    <message>
        <source>Ask about the rasters, e.g. What share of this area is water?</source>
        <translation>Pregunta sobre los ráster, p. ej. ¿Qué parte de esta zona es agua?</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Candidate answers, separated by ; (optional)</source>
        <translation>Respuestas candidatas, separadas por ; (opcional)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Vaciar</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Conectar</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Export all steps</source>
        <translation>Exportar todos los pasos</translation>
    </message>
    <message>
        <source>Export masks</source>
        <translation>Exportar máscaras</translation>
    </message>
    <message>
        <source>Export step</source>
        <translation>Exportar paso</translation>
    </message>
    <message>
        <source>Export transcript</source>
        <translation>Exportar la transcripción</translation>
    </message>
    <message>
        <source>Extent of a layer</source>
        <translation>Extensión de una capa</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg);;ESRI Shapefile (*.shp)</source>
        <translation>GeoPackage (*.gpkg);;Shapefile de ESRI (*.shp)</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Capa</translation>
    </message>
    <message>
        <source>Map canvas extent</source>
        <translation>Extensión del lienzo</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>Masks written to {}</source>
        <translation>Máscaras escritas en {}</translation>
    </message>
    <message>
        <source>Optical raster</source>
        <translation>Ráster óptico</translation>
    </message>
    <message>
        <source>Runtime: connected — {model} {version} on {device} ({backend})</source>
        <translation>Motor: conectado — {model} {version} en {device} ({backend})</translation>
    </message>
    <message>
        <source>Runtime: not connected</source>
        <translation>Motor: no conectado</translation>
    </message>
    <message>
        <source>Runtime: not connected ({})</source>
        <translation>Motor: no conectado ({})</translation>
    </message>
    <message>
        <source>Runtime: starting…</source>
        <translation>Motor: iniciando…</translation>
    </message>
    <message>
        <source>SAR raster (optional)</source>
        <translation>Ráster SAR (opcional)</translation>
    </message>
    <message>
        <source>Selected polygons of a layer</source>
        <translation>Polígonos seleccionados de una capa</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Ajustes…</translation>
    </message>
    <message>
        <source>TerraScope</source>
        <translation>TerraScope</translation>
    </message>
    <message>
        <source>The runtime did not finish the answer: {}</source>
        <translation>El motor no terminó la respuesta: {}</translation>
    </message>
    <message>
        <source>Time series (optional): later images in date order</source>
        <translation>Serie temporal (opcional): imágenes posteriores por fecha</translation>
    </message>
    <message>
        <source>Transcript to Markdown</source>
        <translation>Transcripción a Markdown</translation>
    </message>
    <message>
        <source>Whole optical raster</source>
        <translation>Todo el ráster óptico</translation>
    </message>
    <message>
        <source>[tile {} of {}] </source>
        <translation>[tesela {} de {}] </translation>
    </message>
    <message>
        <source>a GPU is present but not used</source>
        <translation>hay una GPU pero no se usa</translation>
    </message>
    <message>
        <source>choose the layer that gives the area of interest</source>
        <translation>elija la capa que define el área de interés</translation>
    </message>
    <message>
        <source>click a step first</source>
        <translation>haga clic primero en un paso</translation>
    </message>
    <message>
        <source>select the polygons of the area of interest first</source>
        <translation>seleccione primero los polígonos del área de interés</translation>
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
        <translation>Razonamiento TerraScope</translation>
    </message>
</context>
<context>
    <name>TerraScopeRequest</name>
    <message>
        <source>choose an optical raster layer</source>
        <translation>elija una capa ráster óptica</translation>
    </message>
    <message>
        <source>layer '{}' is not a local raster file</source>
        <translation>la capa «{}» no es un archivo ráster local</translation>
    </message>
    <message>
        <source>the area of interest is empty</source>
        <translation>el área de interés está vacía</translation>
    </message>
    <message>
        <source>type a question</source>
        <translation>escriba una pregunta</translation>
    </message>
    <message>
        <source>use either a SAR raster or a time series, not both</source>
        <translation>use un ráster SAR o una serie temporal, no ambos</translation>
    </message>
</context>
</TS>
