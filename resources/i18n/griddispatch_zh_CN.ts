<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>MainWindowBase</name>
    <message>
        <location filename="../../ui/mainwindowbase.ui" line="+9" />
        <source>GridDispatch — Comprehensive Governance Command Console</source>
        <translation>网格综治指挥台</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Case queue</source>
        <translation>案件队列</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Filter cases by number, category or grid</source>
        <translation>按案件编号、类别或网格筛选</translation>
    </message>
    <message>
        <location line="+13" />
        <source>No open cases.</source>
        <translation>暂无待办案件。</translation>
    </message>
    <message>
        <location line="+8" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Zoom to &amp;district</source>
        <translation>缩放至全区(&amp;D)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;About GridDispatch</source>
        <translation>关于网格综治指挥台(&amp;A)</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../../src/map/caselayer.cpp" line="+184" />
        <source>Cases</source>
        <translation>案件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Overdue or emergency cases</source>
        <translation>超期或紧急案件</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Open cases per grid</source>
        <translation>各网格待办案件数</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Grids by open cases</source>
        <translation>网格待办案件分级图</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Open cases per community</source>
        <translation>各社区待办案件数</translation>
    </message>
    <message>
        <location filename="../../src/map/gridlayers.cpp" line="+59" />
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Townships and subdistricts</source>
        <translation>乡镇/街道</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Villages and communities</source>
        <translation>村/社区</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Micro-grids</source>
        <translation>微网格</translation>
    </message>
    <message>
        <location line="+37" />
        <source>%1 has no layer %2: is it a GridDispatch store?</source>
        <translation>%1 中没有图层 %2：这是网格综治指挥台的数据库吗？</translation>
    </message>
    <message>
        <location filename="../../src/map/poilayers.cpp" line="+63" />
        <source>Governance centers</source>
        <translation>综治中心</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Hazardous-chemical firms</source>
        <translation>危化企业</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Gas companies</source>
        <translation>燃气企业</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Petrol stations</source>
        <translation>加油站</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Police posts</source>
        <translation>警务室</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Alarm pillars</source>
        <translation>报警柱</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Video cameras</source>
        <translation>视频探头</translation>
    </message>
    <message>
        <location line="+8" />
        <location line="+16" />
        <source>Points of interest</source>
        <translation>重点部位</translation>
    </message>
    <message>
        <location line="-12" />
        <source>%1 has no layer pois: is it a GridDispatch store?</source>
        <translation>%1 中没有重点部位图层（pois）：这是网格综治指挥台的数据库吗？</translation>
    </message>
    <message>
        <location filename="../../src/map/workerlayer.cpp" line="+58" />
        <source>Grid workers</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Stationary</source>
        <translation>静止</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location line="+7" />
        <source>%1 min ago</source>
        <translation>%1 分钟前</translation>
    </message>
</context>
<context>
    <name>gd::console::CaseQueueModel</name>
    <message>
        <location filename="../../src/console/casequeuemodel.cpp" line="+55" />
        <source>Reported</source>
        <translation>发现上报</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Assigned</source>
        <translation>已分拨</translation>
    </message>
    <message>
        <location line="+1" />
        <source>In handling</source>
        <translation>调处中</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Handled</source>
        <translation>已反馈</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Visited</source>
        <translation>已回访</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Parked</source>
        <translation>挂账</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Grid patrol</source>
        <translation>网格巡查</translation>
    </message>
    <message>
        <location line="+0" />
        <source>12345 hotline</source>
        <translation>12345热线</translation>
    </message>
    <message>
        <location line="+1" />
        <source>110 police</source>
        <translation>110警情</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Video analytics</source>
        <translation>视频分析</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Citizen</source>
        <translation>群众反映</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Sensor</source>
        <translation>感知设备</translation>
    </message>
    <message>
        <location line="+13" />
        <source>Case number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+2" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Lead department</source>
        <translation>主办部门</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Deadline</source>
        <translation>办理时限</translation>
    </message>
</context>
<context>
    <name>gd::console::MainWindow</name>
    <message>
        <location filename="../../src/console/mainwindow.cpp" line="+60" />
        <source>GridDispatch — Comprehensive Governance Command Console</source>
        <translation>网格综治指挥台</translation>
    </message>
    <message>
        <location line="+17" />
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Find a grid (code or name), a case number or a place</source>
        <translation>查找网格（编码或名称）、案件编号或地点</translation>
    </message>
    <message>
        <location line="+44" />
        <source>%1 could not be opened as a store: %2</source>
        <translation>%1 无法作为数据库打开：%2</translation>
    </message>
    <message>
        <location line="+6" />
        <source>%1 has no grids yet: import boundaries with griddispatch-ctl import-grids, or start with --demo</source>
        <translation>%1 中还没有网格：请用 griddispatch-ctl import-grids 导入边界，或以 --demo 启动演示</translation>
    </message>
    <message>
        <location line="+97" />
        <source>Open cases at district zoom</source>
        <translation>全区视图下的待办案件显示</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Counts per community and grid</source>
        <translation>按社区和网格计数</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Heatmap</source>
        <translation>热力图</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Grids shaded by open cases</source>
        <translation>按待办案件数分级着色</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Grids shaded by overdue cases</source>
        <translation>按超期案件数分级着色</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Grids shaded by cases new today</source>
        <translation>按今日新增案件数分级着色</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Base map…</source>
        <translation>底图…</translation>
    </message>
    <message>
        <location line="+7" />
        <location line="+32" />
        <location line="+4" />
        <source>Base map</source>
        <translation>底图</translation>
    </message>
    <message>
        <location line="-35" />
        <source>An XYZ tile URL with {z}, {x} and {y} (for example a 天地图 service with your key),
or the path of a local raster (GeoTIFF…). Leave empty for no base map.</source>
        <translation>含 {z}、{x}、{y} 的 XYZ 瓦片地址（例如带密钥的天地图服务），
或本地栅格文件路径（GeoTIFF 等）。留空则不使用底图。</translation>
    </message>
    <message>
        <location line="+40" />
        <source>Base map "%1": neither an XYZ URL with {z}, {x} and {y} nor an existing raster file</source>
        <translation>底图“%1”：既不是含 {z}、{x}、{y} 的 XYZ 地址，也不是存在的栅格文件</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Base map "%1" could not be opened: %2</source>
        <translation>底图“%1”无法打开：%2</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Map tools</source>
        <translation>地图工具</translation>
    </message>
    <message>
        <location line="+13" />
        <source>Pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Identify</source>
        <translation>查询</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Select by rectangle</source>
        <translation>框选</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Select by radius</source>
        <translation>圈选</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Nothing here</source>
        <translation>此处无要素</translation>
    </message>
    <message numerus="yes">
        <location line="+4" />
        <source>%n case(s) within %1 m</source>
        <translation><numerusform>半径 %1 米内共 %n 件案件</numerusform></translation>
    </message>
    <message numerus="yes">
        <location line="+5" />
        <source>%n case(s) selected</source>
        <translation><numerusform>已选中 %n 件案件</numerusform></translation>
    </message>
    <message>
        <location line="+3" />
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Click a case, a grid, a worker or a point of interest on the map.</source>
        <translation>在地图上点击案件、网格、网格员或重点部位查看详情。</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Case %1</source>
        <translation>案件 %1</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Deadline light</source>
        <translation>时限预警</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+6" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location line="-2" />
        <source>Grid worker %1</source>
        <translation>网格员 %1</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Last fix</source>
        <translation>最近定位</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Open the video stream</source>
        <translation>打开视频流</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Grid leader</source>
        <translation>网格长</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Open cases</source>
        <translation>待办案件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Overdue cases</source>
        <translation>超期案件</translation>
    </message>
    <message>
        <location line="+13" />
        <source>No program is set up to open %1</source>
        <translation>系统中没有可打开 %1 的程序</translation>
    </message>
    <message>
        <location line="+83" />
        <source>case %1</source>
        <translation>案件 %1</translation>
    </message>
    <message>
        <location line="+21" />
        <source>grid %1</source>
        <translation>网格 %1</translation>
    </message>
    <message>
        <location line="+10" />
        <location line="+3" />
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Nothing found for "%1"</source>
        <translation>未找到“%1”</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Found %1</source>
        <translation>已定位：%1</translation>
    </message>
    <message>
        <location line="+40" />
        <source>Feed: not connected</source>
        <translation>接入网关：未连接</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The clock that SLA deadlines are measured against</source>
        <translation>计算办理时限所依据的时钟</translation>
    </message>
    <message>
        <location line="+15" />
        <source>open a store before starting the gateway</source>
        <translation>请先打开数据库再启动接入网关</translation>
    </message>
    <message>
        <location line="+10" />
        <source>the field gateway could not start on %1:%2: %3</source>
        <translation>接入网关无法在 %1:%2 上启动：%3</translation>
    </message>
    <message numerus="yes">
        <location line="+12" />
        <source>Feed :%1 — %n terminal(s) online, %2 frames/s, ack lag %3 ms</source>
        <translation><numerusform>接入网关 :%1 — 在线终端 %n 个，%2 帧/秒，确认延迟 %3 毫秒</numerusform></translation>
    </message>
    <message>
        <location line="+12" />
        <source>SLA clock: %1</source>
        <translation>时限时钟：%1</translation>
    </message>
    <message>
        <location line="+10" />
        <source>About GridDispatch</source>
        <translation>关于网格综治指挥台</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&lt;b&gt;GridDispatch %1&lt;/b&gt;&lt;p&gt;Command and dispatch console for comprehensive governance centers: the grid tree on the map, cases from report to archive, supervision and emergency dispatch.&lt;/p&gt;</source>
        <translation>&lt;b&gt;网格综治指挥台 %1&lt;/b&gt;&lt;p&gt;面向综治中心的指挥调度台：在地图上呈现网格体系，案件从上报到归档全流程闭环，督办督查与应急调度。&lt;/p&gt;</translation>
    </message>
</context>
</TS>
