<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh">
<context>
    <name>AskTerraScope</name>
    <message>
        <source>Answers</source>
        <translation>答案</translation>
    </message>
    <message>
        <source>Area of interest (extent)</source>
        <translation>感兴趣区域（范围）</translation>
    </message>
    <message>
        <source>Areas of interest (one answer per polygon)</source>
        <translation>感兴趣区域（每个多边形一个答案）</translation>
    </message>
    <message>
        <source>Ask TerraScope</source>
        <translation>询问 TerraScope</translation>
    </message>
    <message>
        <source>Asks the TerraScope runtime one or more questions about an optical raster (optionally with a SAR raster or a time series), once per area: the extent, or each polygon of a layer. Every reasoning step that names a region becomes mask polygons (clipped to the polygon) with their areas; the answers go to a table.

Example: optical = a Sentinel-2 scene, areas = municipalities, questions file = a text file with 'What share of this area is water?' and 'How many buildings are there?' on two lines: one answer row per municipality and question, and the water and building masks as polygons.

The runtime must be running (the dock's settings are the defaults for URL and token) and allowed to read the rasters' folders.</source>
        <translation>向 TerraScope 运行时就一个光学栅格（可附带 SAR 栅格或时间序列）提出一个或多个问题，每个区域一次：该范围，或图层中的每个多边形。每个指明区域的推理步骤都会生成掩膜多边形（按多边形裁剪）及其面积；答案写入一张表。

示例：光学 = 一景 Sentinel-2 影像，区域 = 各市镇，问题文件 = 两行分别为“What share of this area is water?”和“How many buildings are there?”的文本文件：每个市镇和问题一行答案，水体和建筑掩膜为多边形。

运行时必须已启动（面板设置提供默认的 URL 和令牌），并且可以读取栅格所在文件夹。</translation>
    </message>
    <message>
        <source>Candidate answers (separated by ;)</source>
        <translation>候选答案（以 ; 分隔）</translation>
    </message>
    <message>
        <source>Optical raster</source>
        <translation>光学栅格</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Questions file (.txt, one per line, or .csv with question[,choices])</source>
        <translation>问题文件（.txt 每行一个，或含 question[,choices] 列的 .csv）</translation>
    </message>
    <message>
        <source>Reasoning masks</source>
        <translation>推理掩膜</translation>
    </message>
    <message>
        <source>Runtime URL</source>
        <translation>运行时 URL</translation>
    </message>
    <message>
        <source>Runtime token</source>
        <translation>运行时令牌</translation>
    </message>
    <message>
        <source>SAR raster</source>
        <translation>SAR 栅格</translation>
    </message>
    <message>
        <source>Time series (later images, in date order)</source>
        <translation>时间序列（后续影像，按日期排列）</translation>
    </message>
    <message>
        <source>area {}, question '{}': {}</source>
        <translation>区域 {}，问题“{}”：{}</translation>
    </message>
    <message>
        <source>give a question or a questions file</source>
        <translation>请提供一个问题或问题文件</translation>
    </message>
    <message>
        <source>{} — area {}</source>
        <translation>{} — 区域 {}</translation>
    </message>
</context>
<context>
    <name>MaskAreasByClass</name>
    <message>
        <source>Areas</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Areas by class</source>
        <translation>按类别统计面积</translation>
    </message>
    <message>
        <source>For every polygon of the areas layer, the area on the ellipsoid (m2) of each reasoning label of the masks layer inside it, and its share of the polygon. Overlapping masks of one label count once.

Example: masks = the output of Ask TerraScope, areas = districts: one row per district and label (water, buildings, ...) with its area and share, ready to join to the districts.</source>
        <translation>对区域图层的每个多边形，统计其中掩膜图层每个推理标签在椭球面上的面积（m2）及其占多边形的比例。同一标签的重叠掩膜只计一次。

示例：掩膜 = “询问 TerraScope”的输出，区域 = 各区：每个区和标签（水体、建筑……）一行，含面积和比例，可直接连接到各区。</translation>
    </message>
    <message>
        <source>Label field</source>
        <translation>标签字段</translation>
    </message>
    <message>
        <source>Mask areas by class</source>
        <translation>按类别统计掩膜面积</translation>
    </message>
    <message>
        <source>Reasoning masks</source>
        <translation>推理掩膜</translation>
    </message>
</context>
<context>
    <name>RuntimeClient</name>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>the runtime stopped answering: {}</source>
        <translation>运行时停止响应：{}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Folders it may read</source>
        <translation>允许读取的文件夹</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>A model folder (run by PyTorch) or one written by export-onnx (run by ONNX Runtime); empty: the shipped default model</source>
        <translation>模型文件夹（由 PyTorch 运行），或由 export-onnx 写出的文件夹（由 ONNX Runtime 运行）；留空：随附的默认模型</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>Python with terrascope-runtime installed</source>
        <translation>已安装 terrascope-runtime 的 Python</translation>
    </message>
    <message>
        <source>Runtime URL</source>
        <translation>运行时 URL</translation>
    </message>
    <message>
        <source>Start the runtime with QGIS's plugin (child process)</source>
        <translation>随插件启动运行时（子进程）</translation>
    </message>
    <message>
        <source>TerraScope runtime</source>
        <translation>TerraScope 运行时</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>one folder per line (the project's raster folders are added)</source>
        <translation>每行一个文件夹（会自动加入项目栅格所在文件夹）</translation>
    </message>
</context>
<context>
    <name>TerraScopeAlgorithm</name>
    <message>
        <source>Pixel-grounded reasoning</source>
        <translation>像素级推理</translation>
    </message>
</context>
<context>
    <name>TerraScopeDock</name>
    <message>
        <source>Add selected layers</source>
        <translation>添加所选图层</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>提问</translation>
    </message>
    <message>
        <source>Ask about the rasters, e.g. What share of this area is water?</source>
        <translation>关于栅格的问题，例如：该区域中水体占多少？</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Candidate answers, separated by ; (optional)</source>
        <translation>候选答案，以 ; 分隔（可选）</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Export all steps</source>
        <translation>导出全部步骤</translation>
    </message>
    <message>
        <source>Export masks</source>
        <translation>导出掩膜</translation>
    </message>
    <message>
        <source>Export step</source>
        <translation>导出步骤</translation>
    </message>
    <message>
        <source>Export transcript</source>
        <translation>导出对话记录</translation>
    </message>
    <message>
        <source>Extent of a layer</source>
        <translation>图层范围</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg);;ESRI Shapefile (*.shp)</source>
        <translation>GeoPackage (*.gpkg);;ESRI Shapefile (*.shp)</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Map canvas extent</source>
        <translation>地图画布范围</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>Masks written to {}</source>
        <translation>掩膜已写入 {}</translation>
    </message>
    <message>
        <source>Optical raster</source>
        <translation>光学栅格</translation>
    </message>
    <message>
        <source>Runtime: connected — {model} {version} on {device} ({backend})</source>
        <translation>运行时：已连接 — {model} {version}，设备 {device}（{backend}）</translation>
    </message>
    <message>
        <source>Runtime: not connected</source>
        <translation>运行时：未连接</translation>
    </message>
    <message>
        <source>Runtime: not connected ({})</source>
        <translation>运行时：未连接（{}）</translation>
    </message>
    <message>
        <source>Runtime: starting…</source>
        <translation>运行时：正在启动…</translation>
    </message>
    <message>
        <source>SAR raster (optional)</source>
        <translation>SAR 栅格（可选）</translation>
    </message>
    <message>
        <source>Selected polygons of a layer</source>
        <translation>图层中选中的多边形</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>TerraScope</source>
        <translation>TerraScope</translation>
    </message>
    <message>
        <source>The runtime did not finish the answer: {}</source>
        <translation>运行时未完成回答：{}</translation>
    </message>
    <message>
        <source>Time series (optional): later images in date order</source>
        <translation>时间序列（可选）：按日期排列的后续影像</translation>
    </message>
    <message>
        <source>Transcript to Markdown</source>
        <translation>对话记录导出为 Markdown</translation>
    </message>
    <message>
        <source>Whole optical raster</source>
        <translation>整个光学栅格</translation>
    </message>
    <message>
        <source>[tile {} of {}] </source>
        <translation>[第 {} 块，共 {} 块] </translation>
    </message>
    <message>
        <source>a GPU is present but not used</source>
        <translation>检测到 GPU 但未使用</translation>
    </message>
    <message>
        <source>choose the layer that gives the area of interest</source>
        <translation>请选择定义感兴趣区域的图层</translation>
    </message>
    <message>
        <source>click a step first</source>
        <translation>请先点击一个步骤</translation>
    </message>
    <message>
        <source>select the polygons of the area of interest first</source>
        <translation>请先选择感兴趣区域的多边形</translation>
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
        <translation>TerraScope 推理</translation>
    </message>
</context>
<context>
    <name>TerraScopeRequest</name>
    <message>
        <source>choose an optical raster layer</source>
        <translation>请选择一个光学栅格图层</translation>
    </message>
    <message>
        <source>layer '{}' is not a local raster file</source>
        <translation>图层“{}”不是本地栅格文件</translation>
    </message>
    <message>
        <source>the area of interest is empty</source>
        <translation>感兴趣区域为空</translation>
    </message>
    <message>
        <source>type a question</source>
        <translation>请输入问题</translation>
    </message>
    <message>
        <source>use either a SAR raster or a time series, not both</source>
        <translation>请使用 SAR 栅格或时间序列，不能同时使用</translation>
    </message>
</context>
</TS>
