<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>AskTerraScope</name>
    <message>
        <source>Answers</source>
        <translation>Réponses</translation>
    </message>
    <message>
        <source>Area of interest (extent)</source>
        <translation>Zone d'intérêt (emprise)</translation>
    </message>
    <message>
        <source>Areas of interest (one answer per polygon)</source>
        <translation>Zones d'intérêt (une réponse par polygone)</translation>
    </message>
    <message>
        <source>Ask TerraScope</source>
        <translation>Interroger TerraScope</translation>
    </message>
    <message>
        <source>Asks the TerraScope runtime one or more questions about an optical raster (optionally with a SAR raster or a time series), once per area: the extent, or each polygon of a layer. Every reasoning step that names a region becomes mask polygons (clipped to the polygon) with their areas; the answers go to a table.

Example: optical = a Sentinel-2 scene, areas = municipalities, questions file = a text file with 'What share of this area is water?' and 'How many buildings are there?' on two lines: one answer row per municipality and question, and the water and building masks as polygons.

The runtime must be running (the dock's settings are the defaults for URL and token) and allowed to read the rasters' folders.</source>
        <translation>Pose une ou plusieurs questions au moteur TerraScope sur un raster optique (éventuellement avec un raster SAR ou une série temporelle), une fois par zone : l'emprise, ou chaque polygone d'une couche. Chaque étape du raisonnement qui nomme une région devient des polygones de masque (découpés au polygone) avec leurs surfaces ; les réponses vont dans une table.

Exemple : optique = une scène Sentinel-2, zones = communes, fichier de questions = un fichier texte avec « What share of this area is water? » et « How many buildings are there? » sur deux lignes : une ligne de réponse par commune et question, et les masques d'eau et de bâtiments en polygones.

Le moteur doit être lancé (les paramètres du dock donnent l'URL et le jeton par défaut) et autorisé à lire les dossiers des rasters.</translation>
    </message>
    <message>
        <source>Candidate answers (separated by ;)</source>
        <translation>Réponses candidates (séparées par ;)</translation>
    </message>
    <message>
        <source>Optical raster</source>
        <translation>Raster optique</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <source>Questions file (.txt, one per line, or .csv with question[,choices])</source>
        <translation>Fichier de questions (.txt, une par ligne, ou .csv avec question[,choices])</translation>
    </message>
    <message>
        <source>Reasoning masks</source>
        <translation>Masques du raisonnement</translation>
    </message>
    <message>
        <source>Runtime URL</source>
        <translation>URL du moteur</translation>
    </message>
    <message>
        <source>Runtime token</source>
        <translation>Jeton du moteur</translation>
    </message>
    <message>
        <source>SAR raster</source>
        <translation>Raster SAR</translation>
    </message>
    <message>
        <source>Time series (later images, in date order)</source>
        <translation>Série temporelle (images ultérieures, par date)</translation>
    </message>
    <message>
        <source>area {}, question '{}': {}</source>
        <translation>zone {}, question « {} » : {}</translation>
    </message>
    <message>
        <source>give a question or a questions file</source>
        <translation>donnez une question ou un fichier de questions</translation>
    </message>
    <message>
        <source>{} — area {}</source>
        <translation>{} — zone {}</translation>
    </message>
</context>
<context>
    <name>MaskAreasByClass</name>
    <message>
        <source>Areas</source>
        <translation>Zones</translation>
    </message>
    <message>
        <source>Areas by class</source>
        <translation>Surfaces par classe</translation>
    </message>
    <message>
        <source>For every polygon of the areas layer, the area on the ellipsoid (m2) of each reasoning label of the masks layer inside it, and its share of the polygon. Overlapping masks of one label count once.

Example: masks = the output of Ask TerraScope, areas = districts: one row per district and label (water, buildings, ...) with its area and share, ready to join to the districts.</source>
        <translation>Pour chaque polygone de la couche de zones, la surface sur l'ellipsoïde (m2) de chaque étiquette du raisonnement de la couche de masques qui s'y trouve, et sa part du polygone. Les masques superposés d'une même étiquette comptent une fois.

Exemple : masques = la sortie d'Interroger TerraScope, zones = districts : une ligne par district et étiquette (eau, bâtiments, ...) avec sa surface et sa part, prête à joindre aux districts.</translation>
    </message>
    <message>
        <source>Label field</source>
        <translation>Champ d'étiquette</translation>
    </message>
    <message>
        <source>Mask areas by class</source>
        <translation>Surfaces des masques par classe</translation>
    </message>
    <message>
        <source>Reasoning masks</source>
        <translation>Masques du raisonnement</translation>
    </message>
</context>
<context>
    <name>RuntimeClient</name>
    <message>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <source>the runtime stopped answering: {}</source>
        <translation>le moteur a cessé de répondre : {}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Folders it may read</source>
        <translation>Dossiers autorisés en lecture</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>Dossier du modèle</translation>
    </message>
    <message>
        <source>A model folder (run by PyTorch) or one written by export-onnx (run by ONNX Runtime); empty: the shipped default model</source>
        <translation>Un dossier de modèle (exécuté par PyTorch) ou un dossier écrit par export-onnx (exécuté par ONNX Runtime) ; vide : le modèle fourni par défaut</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>Python with terrascope-runtime installed</source>
        <translation>Python avec terrascope-runtime installé</translation>
    </message>
    <message>
        <source>Runtime URL</source>
        <translation>URL du moteur</translation>
    </message>
    <message>
        <source>Start the runtime with QGIS's plugin (child process)</source>
        <translation>Démarrer le moteur avec l'extension (processus enfant)</translation>
    </message>
    <message>
        <source>TerraScope runtime</source>
        <translation>Moteur TerraScope</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Jeton</translation>
    </message>
    <message>
        <source>one folder per line (the project's raster folders are added)</source>
        <translation>un dossier par ligne (les dossiers des rasters du projet sont ajoutés)</translation>
    </message>
</context>
<context>
    <name>TerraScopeAlgorithm</name>
    <message>
        <source>Pixel-grounded reasoning</source>
        <translation>Raisonnement ancré dans les pixels</translation>
    </message>
</context>
<context>
    <name>TerraScopeDock</name>
    <message>
        <source>Add selected layers</source>
        <translation>Ajouter les couches sélectionnées</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Zone</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>Demander</translation>
    </message>
    <message>
        <source>Ask about the rasters, e.g. What share of this area is water?</source>
        <translation>Question sur les rasters, p. ex. Quelle part de cette zone est de l'eau ?</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Candidate answers, separated by ; (optional)</source>
        <translation>Réponses candidates, séparées par ; (facultatif)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Vider</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Connecter</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Export all steps</source>
        <translation>Exporter toutes les étapes</translation>
    </message>
    <message>
        <source>Export masks</source>
        <translation>Exporter les masques</translation>
    </message>
    <message>
        <source>Export step</source>
        <translation>Exporter l'étape</translation>
    </message>
    <message>
        <source>Export transcript</source>
        <translation>Exporter la transcription</translation>
    </message>
    <message>
        <source>Extent of a layer</source>
        <translation>Emprise d'une couche</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg);;ESRI Shapefile (*.shp)</source>
        <translation>GeoPackage (*.gpkg);;Shapefile ESRI (*.shp)</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Couche</translation>
    </message>
    <message>
        <source>Map canvas extent</source>
        <translation>Emprise du canevas</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>Masks written to {}</source>
        <translation>Masques écrits dans {}</translation>
    </message>
    <message>
        <source>Optical raster</source>
        <translation>Raster optique</translation>
    </message>
    <message>
        <source>Runtime: connected — {model} {version} on {device} ({backend})</source>
        <translation>Moteur : connecté — {model} {version} sur {device} ({backend})</translation>
    </message>
    <message>
        <source>Runtime: not connected</source>
        <translation>Moteur : non connecté</translation>
    </message>
    <message>
        <source>Runtime: not connected ({})</source>
        <translation>Moteur : non connecté ({})</translation>
    </message>
    <message>
        <source>Runtime: starting…</source>
        <translation>Moteur : démarrage…</translation>
    </message>
    <message>
        <source>SAR raster (optional)</source>
        <translation>Raster SAR (facultatif)</translation>
    </message>
    <message>
        <source>Selected polygons of a layer</source>
        <translation>Polygones sélectionnés d'une couche</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <source>TerraScope</source>
        <translation>TerraScope</translation>
    </message>
    <message>
        <source>The runtime did not finish the answer: {}</source>
        <translation>Le moteur n'a pas terminé la réponse : {}</translation>
    </message>
    <message>
        <source>Time series (optional): later images in date order</source>
        <translation>Série temporelle (facultatif) : images ultérieures par date</translation>
    </message>
    <message>
        <source>Transcript to Markdown</source>
        <translation>Transcription en Markdown</translation>
    </message>
    <message>
        <source>Whole optical raster</source>
        <translation>Raster optique entier</translation>
    </message>
    <message>
        <source>[tile {} of {}] </source>
        <translation>[tuile {} sur {}] </translation>
    </message>
    <message>
        <source>a GPU is present but not used</source>
        <translation>un GPU est présent mais inutilisé</translation>
    </message>
    <message>
        <source>choose the layer that gives the area of interest</source>
        <translation>choisissez la couche qui définit la zone d'intérêt</translation>
    </message>
    <message>
        <source>click a step first</source>
        <translation>cliquez d'abord sur une étape</translation>
    </message>
    <message>
        <source>select the polygons of the area of interest first</source>
        <translation>sélectionnez d'abord les polygones de la zone d'intérêt</translation>
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
        <translation>Raisonnement TerraScope</translation>
    </message>
</context>
<context>
    <name>TerraScopeRequest</name>
    <message>
        <source>choose an optical raster layer</source>
        <translation>choisissez une couche raster optique</translation>
    </message>
    <message>
        <source>layer '{}' is not a local raster file</source>
        <translation>la couche « {} » n'est pas un fichier raster local</translation>
    </message>
    <message>
        <source>the area of interest is empty</source>
        <translation>la zone d'intérêt est vide</translation>
    </message>
    <message>
        <source>type a question</source>
        <translation>saisissez une question</translation>
    </message>
    <message>
        <source>use either a SAR raster or a time series, not both</source>
        <translation>utilisez soit un raster SAR, soit une série temporelle, pas les deux</translation>
    </message>
</context>
</TS>
