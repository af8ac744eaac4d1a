<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>MainWindowBase</name>
    <message>
        <location filename="../../ui/mainwindowbase.ui" line="+9"/>
        <source>GridDispatch — Comprehensive Governance Command Console</source>
        <translation>网格综治指挥台</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Case queue</source>
        <translation>案件队列</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Filter cases by number, category or grid</source>
        <translation>按案件编号、类别或网格筛选</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No open cases.</source>
        <translation>暂无待办案件。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Zoom to &amp;district</source>
        <translation>缩放至全区(&amp;D)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;About GridDispatch</source>
        <translation>关于网格综治指挥台(&amp;A)</translation>
    </message>
</context>
<context>
    <name>gd::console::CaseQueueModel</name>
    <message>
        <location filename="../../src/console/casequeuemodel.cpp" line="+56"/>
        <source>Case number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lead department</source>
        <translation>主办部门</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deadline</source>
        <translation>办理时限</translation>
    </message>
</context>
<context>
    <name>gd::console::MainWindow</name>
    <message>
        <location filename="../../src/console/mainwindow.cpp" line="+28"/>
        <source>GridDispatch — Comprehensive Governance Command Console</source>
        <translation>网格综治指挥台</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Feed: not connected</source>
        <translation>接入网关：未连接</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The clock that SLA deadlines are measured against</source>
        <translation>计算办理时限所依据的时钟</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>SLA clock: %1</source>
        <translation>时限时钟：%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>About GridDispatch</source>
        <translation>关于网格综治指挥台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;GridDispatch %1&lt;/b&gt;&lt;p&gt;Command and dispatch console for comprehensive governance centers: the grid tree on the map, cases from report to archive, supervision and emergency dispatch.&lt;/p&gt;</source>
        <translation>&lt;b&gt;网格综治指挥台 %1&lt;/b&gt;&lt;p&gt;面向综治中心的指挥调度台：在地图上呈现网格体系，案件从上报到归档全流程闭环，督办督查与应急调度。&lt;/p&gt;</translation>
    </message>
</context>
</TS>
