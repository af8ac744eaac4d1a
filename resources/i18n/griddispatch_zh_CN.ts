<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>IntakeDialog</name>
    <message>
        <location filename="../../ui/intakedialog.ui" line="+12"/>
        <source>New report (12345 / 110 / walk-in)</source>
        <translation>新登记（12345 / 110 / 来访）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Caller</source>
        <translation>反映人</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Priority</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>find by place, grid name or code</source>
        <translation>按地点、网格名称或编码查找</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Pick on map</source>
        <translation>地图点选</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Possible duplicates (多头反映)</source>
        <translation>疑似重复件（多头反映）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Attach to the selected case instead</source>
        <translation>并入所选案件</translation>
    </message>
</context>
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
        <source>&amp;Case</source>
        <translation>案件(&amp;C)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Case queue</source>
        <translation>案件队列</translation>
    </message>
    <message>
        <location line="+21"/>
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
    <name>QObject</name>
    <message>
        <location filename="../../src/map/caselayer.cpp" line="+140"/>
        <source>Emergency</source>
        <translation>特急</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>Cases</source>
        <translation>案件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overdue or emergency cases</source>
        <translation>超期或紧急案件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open cases per grid</source>
        <translation>各网格待办案件数</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Grids by open cases</source>
        <translation>网格待办案件分级图</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open cases per community</source>
        <translation>各社区待办案件数</translation>
    </message>
    <message>
        <location filename="../../src/map/gridlayers.cpp" line="+65"/>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Townships and subdistricts</source>
        <translation>乡镇/街道</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Villages and communities</source>
        <translation>村/社区</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Micro-grids</source>
        <translation>微网格</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>%1 has no layer %2: is it a GridDispatch store?</source>
        <translation>%1 中没有图层 %2：这是网格综治指挥台的数据库吗？</translation>
    </message>
    <message>
        <location filename="../../src/map/poilayers.cpp" line="+63"/>
        <source>Governance centers</source>
        <translation>综治中心</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hazardous-chemical firms</source>
        <translation>危化企业</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gas companies</source>
        <translation>燃气企业</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Petrol stations</source>
        <translation>加油站</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Police posts</source>
        <translation>警务室</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alarm pillars</source>
        <translation>报警柱</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Video cameras</source>
        <translation>视频探头</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+17"/>
        <source>Points of interest</source>
        <translation>重点部位</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>%1 has no layer pois: is it a GridDispatch store?</source>
        <translation>%1 中没有重点部位图层（pois）：这是网格综治指挥台的数据库吗？</translation>
    </message>
    <message>
        <location filename="../../src/map/workerlayer.cpp" line="+60"/>
        <source>Grid workers</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stationary</source>
        <translation>静止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 min ago</source>
        <translation>%1 分钟前</translation>
    </message>
</context>
<context>
    <name>gd::apps::Focus</name>
    <message>
        <location filename="../../src/apps/griddispatch/lifecycle.cpp" line="+111"/>
        <source>Nothing matches &quot;%1&quot;: no open case, grid or place</source>
        <translation>未找到“%1”：没有相符的在办案件、网格或地点</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Found %1</source>
        <translation>已定位：%1</translation>
    </message>
</context>
<context>
    <name>gd::console::ActionDialog</name>
    <message>
        <location filename="../../src/console/dispatch/actiondialog.cpp" line="+71"/>
        <source>Dispatch case %1</source>
        <translation>分拨案件 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 — case %2</source>
        <translation>%1 — 案件 %2</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 (suggested)</source>
        <translation>%1（建议）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lead department</source>
        <translation>主办部门</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Suggested from %1</source>
        <translation>建议依据：%1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Assisting departments</source>
        <translation>协办部门（联动联处）</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>(no grid worker)</source>
        <translation>（不指派网格员）</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Grid worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Instructions</source>
        <translation>交办要求</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+26"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>Why this level cannot solve it</source>
        <translation>本级无法解决的原因</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>working days</source>
        <translation>个工作日</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>working hours</source>
        <translation>个工作时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Extend by</source>
        <translation>延期</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the supervisor who approved the extension</source>
        <translation>批准延期的领导</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved by</source>
        <translation>批准人</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Merge into case</source>
        <translation>合并到案件</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+14"/>
        <location line="+23"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Handling result</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>(not a mediation)</source>
        <translation>（非调解类）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mediation succeeded</source>
        <translation>调解成功</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mediation failed</source>
        <translation>调解失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mediation</source>
        <translation>调解结果</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the reporter said</source>
        <translation>回访记录</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>back to the handler (in handling)</source>
        <translation>退回处置单位（处置中）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>back to assigned (the handler accepts it again)</source>
        <translation>退回已分拨（处置单位重新签收）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send back</source>
        <translation>退回到</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What is to be redone</source>
        <translation>返工要求</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+25"/>
        <location line="+49"/>
        <source>Dispatch</source>
        <translation>分拨</translation>
    </message>
    <message numerus="yes">
        <location line="-49"/>
        <source>%1 — %n case(s)</source>
        <translation>
            <numerusform>%1 — %n 件案件</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>a reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>who approved it</source>
        <translation>批准人</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the case to merge into</source>
        <translation>要合并到的案件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>another case than this one</source>
        <translation>另一个案件（不能合并到自身）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a lead department</source>
        <translation>主办部门</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Still needed: %1</source>
        <translation>还需填写：%1</translation>
    </message>
    <message>
        <location line="-182"/>
        <source>no terminal</source>
        <translation>无终端</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>terminal online</source>
        <translation>终端在线</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>terminal offline since %1</source>
        <translation>终端离线（自 %1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>terminal never reported</source>
        <translation>终端从未上报</translation>
    </message>
    <message>
        <location line="+208"/>
        <location line="+41"/>
        <source>Dispatch anyway</source>
        <translation>仍然派遣</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>%1 carries no terminal: no order will reach them. Tell them another way.</source>
        <translation>%1未配备终端，指令无法送达，请另行通知。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 carries no terminal: no order will reach them. Phone them on %2.</source>
        <translation>%1未配备终端，指令无法送达，请电话通知 %2。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>last report %1</source>
        <translation>最后上报 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it has never reported</source>
        <translation>从未上报</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1&apos;s terminal is offline (%2): the order waits until it reconnects.</source>
        <translation>%1的终端离线（%2），指令将在其重新上线后送达。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Dispatch anyway? Press &quot;%1&quot; again, or choose another grid worker.</source>
        <translation>仍然派遣吗？请再按“%1”，或选择其他网格员。</translation>
    </message>
    <message>
        <location line="-313"/>
        <source>Each case&apos;s suggested department</source>
        <translation>按各案件的建议部门</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (%2): no suggestion, dispatch it on its own</source>
        <translation>%1（%2）：无建议部门，请单独派遣</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2) → %3</source>
        <translation>%1（%2）→ %3</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>%1 m away</source>
        <translation>相距 %1 米</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 h apart</source>
        <translation>相隔 %1 小时</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>choose a case above, or type its number</source>
        <translation>从列表中选择，或输入案件编号</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Case %1 is %2 and final: it takes no further reports. Merge into an open case, or keep this one on its own.</source>
        <translation>案件 %1 %2，已终结，不再接收新的反映。请合并到未办结的案件，或单独办理本案件。</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>Not done: %1</source>
        <translation>未办理：%1</translation>
    </message>
</context>
<context>
    <name>gd::console::ActorNames</name>
    <message>
        <location filename="../../src/console/common/storetext.h" line="+140"/>
        <source>%1 (grid worker)</source>
        <translation>%1（网格员）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>grid worker %1</source>
        <translation>网格员 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>terminal %1</source>
        <translation>终端 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>automatic escalation rule</source>
        <translation>自动上报规则</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>automatic supervision rule</source>
        <translation>自动督办规则</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>supervision rule %1</source>
        <translation>督办规则 %1</translation>
    </message>
</context>
<context>
    <name>gd::console::AuditController</name>
    <message>
        <location filename="../../src/console/audit/auditcontroller.cpp" line="+55"/>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>Export the audit rows</source>
        <translation>导出审计记录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
</context>
<context>
    <name>gd::console::AuditView</name>
    <message>
        <location filename="../../src/console/audit/auditview.cpp" line="+29"/>
        <source>Login</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed login</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logout</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Screen locked</source>
        <translation>锁屏</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Screen unlocked</source>
        <translation>解除锁屏</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account created</source>
        <translation>创建账户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account changed</source>
        <translation>修改账户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account disabled</source>
        <translation>停用账户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account enabled</source>
        <translation>启用账户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account unlocked</source>
        <translation>解锁账户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password changed</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role given</source>
        <translation>授予角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role taken away</source>
        <translation>收回角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration changed</source>
        <translation>配置变更</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Terminal added</source>
        <translation>新增终端</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Terminal revoked</source>
        <translation>吊销终端</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grids imported</source>
        <translation>导入网格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cases imported</source>
        <translation>导入案件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calendar imported</source>
        <translation>导入工作日历</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Personal data revealed</source>
        <translation>查看个人信息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervision</source>
        <translation>督办</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Emergency</source>
        <translation>应急</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Store copied</source>
        <translation>复制数据库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audit sealed</source>
        <translation>审计封存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audit archived</source>
        <translation>审计归档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audit exported</source>
        <translation>导出审计</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audit viewed</source>
        <translation>查阅审计</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seat added</source>
        <translation>新增席位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seat disabled</source>
        <translation>停用席位</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Notice acknowledged</source>
        <translation>确认通知</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed for by the department</source>
        <translation>部门签收</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Department replied to a notice</source>
        <translation>部门回复通知</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Department handling note</source>
        <translation>部门办理情况</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Department reported it handled</source>
        <translation>部门办结反馈</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Department asked for an extension</source>
        <translation>部门申请延期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Department returned the case</source>
        <translation>部门退回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extension approved</source>
        <translation>批准延期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extension refused</source>
        <translation>驳回延期</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Case: %1</source>
        <translation>案件：%1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The first day shown (Beijing time); &quot;any&quot;: from the first row</source>
        <translation>显示的第一天（北京时间）；“不限”：从第一条记录起</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The last day shown; &quot;any&quot;: up to now</source>
        <translation>显示的最后一天；“不限”：直到现在</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+27"/>
        <source>Actor</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>An account id or name, or the OS user of griddispatch-ctl</source>
        <translation>账号或姓名，或 griddispatch-ctl 的操作系统用户</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>All outcomes</source>
        <translation>全部结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+102"/>
        <source>Done</source>
        <translation>成功</translation>
    </message>
    <message>
        <location line="-101"/>
        <location line="+102"/>
        <source>Refused</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location line="-101"/>
        <location line="+102"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="-99"/>
        <source>Text in subject or detail</source>
        <translation>对象或详情中的文字</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Seat host</source>
        <translation>席位主机</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Subject</source>
        <translation>对象</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>◀ Newer</source>
        <translation>◀ 较新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Older ▶</source>
        <translation>较早 ▶</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Verify audit chain</source>
        <translation>验证审计链</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Walk the SM3 chain of the whole audit log and name the first row edited, deleted or inserted</source>
        <translation>逐条核验整个审计日志的 SM3 链，指出第一条被修改、删除或插入的记录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export for inspectors…</source>
        <translation>导出供检查…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write the filtered rows as CSV, with their chain links</source>
        <translation>将筛选出的记录连同链值导出为 CSV</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>The audit log could not be read: %1</source>
        <translation>无法读取审计日志：%1</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>No audit rows match the filters</source>
        <translation>没有符合筛选条件的审计记录</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No older rows</source>
        <translation>没有更早的记录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Page %1: rows %2–%3%4</source>
        <translation>第 %1 页：记录 %2–%3%4</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>, older rows follow</source>
        <translation>，后面还有更早的记录</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>, the oldest matching</source>
        <translation>，已是最早的匹配记录</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The audit chain could not be checked: %1</source>
        <translation>无法验证审计链：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Audit chain intact: rows %1–%2 (%3 rows) verified</source>
        <translation>审计链完整：已验证记录 %1–%2（共 %3 条）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Audit chain BROKEN at row %1 (%2): %3 — %4</source>
        <translation>审计链在第 %1 条记录处断裂（%2）：%3 — %4</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A seal does not hold: %1</source>
        <translation>封存校验不通过：%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Exported %1 audit rows to %2</source>
        <translation>已导出 %1 条审计记录到 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>gd::console::BigScreen</name>
    <message>
        <location filename="../../src/console/command/commandviews.cpp" line="+170"/>
        <source>Big screen — %1</source>
        <translation>大屏 — %1</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>New today</source>
        <translation>今日新增</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Closed today</source>
        <translation>今日办结</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Overdue now</source>
        <translation>当前超期</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+59"/>
        <source>On-time rate today</source>
        <translation>今日按期办结率</translation>
    </message>
    <message>
        <location line="-12"/>
        <location line="+60"/>
        <location line="+73"/>
        <source>Whole district</source>
        <translation>全区</translation>
    </message>
    <message>
        <location line="-122"/>
        <source>On-time rate today (%1/%2)</source>
        <translation>今日按期办结率（%1/%2）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 %2 (%3) overdue %4 h</source>
        <translation>%1 %2（%3）超期 %4 小时</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No overdue case.</source>
        <translation>无超期案件。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OVERDUE %1:  </source>
        <translation>超期 %1 件：  </translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Emergency %1</source>
        <translation>突发事件 %1</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>EMERGENCY %1 · %2 · %3 · radius %4 · %5 since declared</source>
        <translation>突发事件 %1 · %2 · %3 · 半径 %4 · 已持续 %5</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>EMERGENCY %1 · %2 · radius %3 · %4 since declared</source>
        <translation>突发事件 %1 · %2 · 半径 %3 · 已持续 %4</translation>
    </message>
</context>
<context>
    <name>gd::console::CalendarWarningLabel</name>
    <message>
        <location filename="../../src/console/shell/statuswarnings.cpp" line="+128"/>
        <source>Working calendar not read</source>
        <translation>工作日历未能读取</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The working calendar could not be read, so SLA deadlines cannot be checked against holidays:
%1</source>
        <translation>工作日历未能读取，办理时限无法按节假日计算：
%1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 and %2</source>
        <translation>%1 和 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Holiday schedule of %1 missing</source>
        <translation>缺少 %1 年节假日安排</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The holiday schedule of %1 is not loaded: SLA deadlines in %1 count weekends only and are marked so. Import the State Council&apos;s schedule as soon as it is published:
griddispatch-ctl calendar import FILE.ics</source>
        <translation>%1 年的节假日安排尚未导入：%1 年内的办理时限只按周末计算，并已标注。国务院办公厅公布安排后，请立即导入：
griddispatch-ctl calendar import FILE.ics</translation>
    </message>
</context>
<context>
    <name>gd::console::CaseDetailPanel</name>
    <message>
        <location filename="../../src/console/dispatch/casedetailpanel.cpp" line="+77"/>
        <source>Timeline</source>
        <translation>办理过程</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>By</source>
        <translation>办理人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>&lt;i&gt;No case selected. Pick one in the queue, on the map or by its number.&lt;/i&gt;</source>
        <translation>&lt;i&gt;未选择案件。请在案件队列、地图上或按编号选择。&lt;/i&gt;</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Supervised</source>
        <translation>督办</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>This case changed while you were looking at it: now %1 (was %2).</source>
        <translation>您查看期间此案件已被他人办理：现为“%1”（原为“%2”）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This case changed while you were looking at it; shown as it is now.</source>
        <translation>您查看期间此案件有更新，已显示最新情况。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where</source>
        <translation>地点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Reporters</source>
        <translation>反映人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lead department</source>
        <translation>主办部门</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assisting</source>
        <translation>协办部门</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grid worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deadline</source>
        <translation>办理时限</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Urged</source>
        <translation>催办</translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <location line="+2"/>
        <source>%n time(s)</source>
        <translation>
            <numerusform>%n 次</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reworked</source>
        <translation>返工</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Merged into</source>
        <translation>已合并到</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>Urge order</source>
        <translation>催办指令</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alert</source>
        <translation>预警指令</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assignment order</source>
        <translation>派遣指令</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Urge notice</source>
        <translation>催办通知</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Supervision notice</source>
        <translation>督办通知</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Emergency notice</source>
        <translation>应急通知</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dispatch notice</source>
        <translation>派遣通知</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Grid worker %1 carries no terminal: no order reaches them. Tell them by phone.</source>
        <translation>网格员%1未配备终端，指令无法送达，请电话通知。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>delivered and acknowledged by the terminal %1</source>
        <translation>终端已接收确认 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not yet acknowledged (terminal online)</source>
        <translation>尚未确认（终端在线）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not delivered: the terminal is offline; it gets the order when it reconnects</source>
        <translation>未送达：终端离线，重新上线后送达</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 → %2 (terminal %3): sent %4 · %5</source>
        <translation>%1 → %2（终端 %3）：%4 已发出 · %5</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>acknowledged by %1 %2</source>
        <translation>%1 已签收 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not yet acknowledged</source>
        <translation>尚未签收</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>record acknowledgement…</source>
        <translation>登记签收…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 → %2: sent %3 · %4</source>
        <translation>%1 → %2：%3 已发出 · %4</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Orders and notices</source>
        <translation>指令与通知</translation>
    </message>
    <message>
        <location line="-265"/>
        <source>Dispatch</source>
        <translation>分拨</translation>
    </message>
    <message>
        <location line="+141"/>
        <source>%1: select a case first.</source>
        <translation>%1：请先选择案件。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: %2.</source>
        <translation>%1：%2。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 takes one case at a time: select only this case in the queue.</source>
        <translation>%1每次只能办理一件案件：请在队列中只选中本案件。</translation>
    </message>
    <message>
        <location line="-68"/>
        <source>Show in full…</source>
        <translation>查看完整信息…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(masked: personal data)</source>
        <translation>（个人信息已脱敏）</translation>
    </message>
</context>
<context>
    <name>gd::console::CaseQueueModel</name>
    <message>
        <location filename="../../src/console/dispatch/casequeuemodel.cpp" line="+106"/>
        <source>On time</source>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Due soon (over 80 % of the time used)</source>
        <translation>临期（时限已用 80% 以上）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No time limit running</source>
        <translation>无计时环节</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>overdue %1</source>
        <translation>超期 %1</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Reported</source>
        <translation>发现上报</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Assigned</source>
        <translation>已分拨</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In handling</source>
        <translation>调处中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Handled</source>
        <translation>已反馈</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Visited</source>
        <translation>已回访</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Parked</source>
        <translation>挂账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Grid patrol</source>
        <translation>网格巡查</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>12345 hotline</source>
        <translation>12345热线</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>110 police</source>
        <translation>110警情</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Video analytics</source>
        <translation>视频分析</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Citizen</source>
        <translation>群众反映</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sensor</source>
        <translation>感知设备</translation>
    </message>
    <message>
        <location line="+13"/>
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
    <message>
        <location line="+2"/>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
</context>
<context>
    <name>gd::console::CaseService</name>
    <message>
        <location filename="../../src/console/dispatch/caseservice.cpp" line="+726"/>
        <source>unknown step &quot;%1&quot;</source>
        <translation>未知环节“%1”</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>choose another case to merge into</source>
        <translation>请选择要合并到的另一个案件</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 merged into %2</source>
        <translation>%1 已合并到 %2</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+13"/>
        <source>%1: %2 done</source>
        <translation>%1：已%2</translation>
    </message>
    <message>
        <location line="-133"/>
        <location line="+51"/>
        <location line="+100"/>
        <location line="+78"/>
        <location line="+47"/>
        <location line="+45"/>
        <source>the store could not record it: %1</source>
        <translation>数据库未能记录：%1</translation>
    </message>
    <message>
        <location line="-887"/>
        <source>the case is outside this seat&apos;s scope (%1)</source>
        <translation>该案件不在本席位的管辖范围（%1）内</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+544"/>
        <location line="+187"/>
        <source>there is no such case</source>
        <translation>没有这个案件</translation>
    </message>
    <message>
        <location line="-727"/>
        <source>the case is %1 and final: no further step is possible</source>
        <translation>案件已%1，流程已结束，不能再办理</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the case is parked; resume it first</source>
        <translation>案件已挂账，请先恢复</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the follow-up visit was unsatisfied; send it back for rework first</source>
        <translation>回访不满意，请先退回返工</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>only handled cases, or visited cases with an unsatisfied visit, can be sent back for rework</source>
        <translation>只有已反馈的案件或回访不满意的案件才能返工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&quot;%1&quot; is not possible while the case is %2</source>
        <translation>案件处于“%2”状态，不能“%1”</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the case is already at district level; ask for supervision (督办) instead</source>
        <translation>案件已在区县一级，不能再上报升级，请改为督办</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown department (%1)</source>
        <translation>未知部门（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>incomplete or invalid input: %1</source>
        <translation>输入不完整或有误：%1</translation>
    </message>
    <message>
        <location line="+138"/>
        <source>category %1</source>
        <translation>类别 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>reporter %1 %2</source>
        <translation>反映人 %1 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>lead %1</source>
        <translation>主办 %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>assisting %1</source>
        <translation>协办 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>grid worker %1</source>
        <translation>网格员 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>from %1 to %2</source>
        <translation>由 %1 升级至 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>working days</source>
        <translation>个工作日</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>working hours</source>
        <translation>个工作时</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>by %1 %2, approved by %3</source>
        <translation>延期 %1 %2，批准人 %3</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>mediation succeeded</source>
        <translation>调解成功</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>mediation failed</source>
        <translation>调解失败</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>returned by %1</source>
        <translation>%1 退回</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>merged into %1</source>
        <translation>已合并到 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>absorbed %1</source>
        <translation>并入 %1</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Urged: case %1 %2 %3</source>
        <translation>催办：案件 %1 %2 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New assignment: case %1 %2 %3</source>
        <translation>新派单：案件 %1 %2 %3</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>choose a category</source>
        <translation>请选择类别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>unknown category %1</source>
        <translation>未知类别 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>describe the problem (title or description)</source>
        <translation>请描述问题（标题或描述）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>give the location: pick it on the map or find it by address or grid</source>
        <translation>请确定位置：在地图上点选，或按地址、网格查找</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the phone number &quot;%1&quot; is not a phone number</source>
        <translation>“%1”不是有效的电话号码</translation>
    </message>
    <message>
        <location line="+434"/>
        <source>%1 assigned to %2</source>
        <translation>%1 已分拨至%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 assigned to %2, grid worker %3</source>
        <translation>%1 已分拨至%2，网格员%3</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>case %1 registered (outside every grid)</source>
        <translation>案件 %1 已登记（不在任何网格内）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>case %1 registered in %2</source>
        <translation>案件 %1 已登记：%2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>this place is outside this seat&apos;s scope (%1)</source>
        <translation>该位置不在本席位的管辖范围（%1）内</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>further report of the same problem (多头反映)</source>
        <translation>同一问题的重复反映（多头反映）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the report was added to case %1 as %2</source>
        <translation>该反映已作为 %2 并入案件 %1</translation>
    </message>
    <message>
        <location line="+282"/>
        <source>Report</source>
        <translation>上报</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Register</source>
        <translation>登记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accept</source>
        <translation>受理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assign</source>
        <translation>分拨交办</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start handling</source>
        <translation>签收处置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Arrived on site</source>
        <translation>到达现场</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record the handling result</source>
        <translation>反馈处理结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>办结</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record the follow-up visit</source>
        <translation>回访</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Return</source>
        <translation>退回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Escalate</source>
        <translation>上报升级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extend the deadline</source>
        <translation>延期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Park</source>
        <translation>挂账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Void</source>
        <translation>作废</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send back for rework</source>
        <translation>返工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervise</source>
        <translation>督办</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Urge</source>
        <translation>催办</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Basically satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unsatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Emergency</source>
        <translation>特急</translation>
    </message>
    <message>
        <location line="-911"/>
        <source>no order was sent: grid worker %1 carries no terminal; tell them another way</source>
        <translation>未发出指令：网格员%1未配备终端，请另行通知</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no order was sent: grid worker %1 carries no terminal; phone them on %2</source>
        <translation>未发出指令：网格员%1未配备终端，请电话通知 %2</translation>
    </message>
    <message>
        <location line="+302"/>
        <source>say who at the department acknowledged it</source>
        <translation>请填写部门签收人</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>there is no such notice</source>
        <translation>没有这条通知</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 acknowledged the notice on case %2</source>
        <translation>%1已签收案件 %2 的通知</translation>
    </message>
    <message>
        <location line="+325"/>
        <source>%1 returned it on %2</source>
        <translation>%1于 %2 退回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 returned it on %2: %3</source>
        <translation>%1于 %2 退回：%3</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1; %2 handles other %3 cases</source>
        <translation>%1；%2也承办其他%3类事项</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1; every department that handles such cases has returned it: choose one</source>
        <translation>%1；承办此类事项的部门均已退回，请选择部门</translation>
    </message>
    <message>
        <location line="-300"/>
        <source>case %1 is %2 and final: it takes no further reports. Merge into an open case, or keep this one on its own</source>
        <translation>案件 %1 %2，已终结，不再接收新的反映。请合并到未办结的案件，或单独办理本案件</translation>
    </message>
    <message>
        <location line="-643"/>
        <source>only a case assigned or in handling can be urged; it is %1: dispatch it first</source>
        <translation>只有已派遣或处置中的案件可以催办；该案件%1，请先派遣</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>your role (%1) may not do &quot;%2&quot;: it needs the permission %3</source>
        <translation>您的角色（%1）不能执行“%2”：需要权限 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+666"/>
        <source>Dispatch</source>
        <translation>分拨</translation>
    </message>
    <message>
        <location line="-200"/>
        <location line="+3"/>
        <source>Show the reporters</source>
        <translation>查看反映人</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>say why you need the reporters&apos; names and phone numbers</source>
        <translation>请说明需要查看反映人姓名和电话的理由</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>the reporters of case %1 are shown; the audit trail records it</source>
        <translation>已显示案件 %1 的反映人信息，审计日志已记录</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Department acknowledgement</source>
        <translation>部门签收</translation>
    </message>
</context>
<context>
    <name>gd::console::CommandController</name>
    <message>
        <location filename="../../src/console/command/commandcontroller.cpp" line="+56"/>
        <source>Supervision wall</source>
        <translation>督办墙</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Emergency</source>
        <translation>特急</translation>
    </message>
    <message numerus="yes">
        <location line="+17"/>
        <source>%n case(s) urged or supervised, %1 order(s) to terminals</source>
        <translation>
            <numerusform>已催办或督办 %n 件，向终端发出指令 %1 条</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>; %n not done (listed)</source>
        <translation>
            <numerusform>；%n 件未办理（见列表）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Not urged or supervised: %n case(s)</source>
        <translation>
            <numerusform>%n 件案件未能催办或督办</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+20"/>
        <source>⚠ %n overdue alarm(s)</source>
        <translation>
            <numerusform>⚠ 逾期告警 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n alarm(s) acknowledged by %1</source>
        <translation>
            <numerusform>%1 已确认 %n 条告警</numerusform>
        </translation>
    </message>
    <message>
        <location line="+42"/>
        <source>C&amp;ommand</source>
        <translation>指挥(&amp;O)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Declare an emergency at the case</source>
        <translation>由案件启动突发事件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Big screen</source>
        <translation>大屏</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Conference view</source>
        <translation>会商画面</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Run the supervision rules now</source>
        <translation>立即执行督办规则</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Emergency at a point</source>
        <translation>定点应急</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Emergency at a point (E): click, or drag out the radius</source>
        <translation>定点应急（E）：单击，或拖出半径</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>That point cannot be located: %1</source>
        <translation>无法定位该点：%1</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>automatic escalation</source>
        <translation>自动升级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>automatic supervision</source>
        <translation>自动督办</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2: %3</source>
        <translation>%2 %1：%3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The supervision rules could not run: %1</source>
        <translation>督办规则无法执行：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Supervision rules fired on %n case(s)</source>
        <translation>
            <numerusform>督办规则作用于 %n 件案件</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Select a case first, or use the map tool &quot;Emergency at a point&quot; (E).</source>
        <translation>请先选择案件，或使用地图工具“定点应急”（E）。</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Comprehensive governance center</source>
        <translation>综治中心</translation>
    </message>
</context>
<context>
    <name>gd::console::CommandService</name>
    <message>
        <location filename="../../src/console/command/commandservice.cpp" line="+46"/>
        <source>There is no such emergency.</source>
        <translation>没有该突发事件。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The emergency is already closed.</source>
        <translation>该突发事件已结束。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+462"/>
        <source>There is no such case.</source>
        <translation>没有该案件。</translation>
    </message>
    <message>
        <location line="-460"/>
        <source>Unknown department: %1</source>
        <translation>未知部门：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No conference system is configured (conference.conf has no meeting_link).</source>
        <translation>未配置视频会商系统（conference.conf 中没有 meeting_link）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>That incident number is already taken.</source>
        <translation>该事件编号已被使用。</translation>
    </message>
    <message>
        <location line="+178"/>
        <source>%1 declared, radius %2</source>
        <translation>启动%1，半径 %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>, from case %1</source>
        <translation>，来自案件 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>dispatched to %1</source>
        <translation>调度 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>alert sent to %n terminal(s)</source>
        <translation>
            <numerusform>预警已发送至 %n 个终端</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 acknowledged the alert on terminal %2</source>
        <translation>%1 在终端 %2 上确认了预警</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 joined the video conference: %2</source>
        <translation>%1 加入视频会商：%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>emergency closed</source>
        <translation>突发事件结束</translation>
    </message>
    <message>
        <location line="+133"/>
        <source>Urged</source>
        <translation>催办</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Supervised</source>
        <translation>督办</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>reply by %1</source>
        <translation>限 %1 前反馈</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Not yet dispatched</source>
        <translation>尚未分拨</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>The case is no longer open.</source>
        <translation>案件已不在办理中。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only a case assigned or in handling can be urged.</source>
        <translation>只有已派遣或处置中的案件才能催办。</translation>
    </message>
    <message>
        <location line="+107"/>
        <source>Emergency %1 (%2) declared from case %3.</source>
        <translation>已由案件 %3 启动突发事件 %1（%2）。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Emergency %1 (%2) declared.</source>
        <translation>已启动突发事件 %1（%2）。</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Choose at least one department.</source>
        <translation>请至少选择一个部门。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Dispatched to %1.</source>
        <translation>已调度：%1。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No terminal is within the radius: the alert reached nobody.</source>
        <translation>范围内没有终端，预警未发送给任何人。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Alert sent to %n terminal(s) within the radius.</source>
        <translation>
            <numerusform>已向范围内 %n 个终端发送预警。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Conference link: %1</source>
        <translation>会商链接：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The note is empty.</source>
        <translation>备注为空。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Note added.</source>
        <translation>已添加备注。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Emergency %1 closed.</source>
        <translation>突发事件 %1 已结束。</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Timeline written to %1.</source>
        <translation>时间线已导出到 %1。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Video camera</source>
        <translation>视频探头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarm pillar</source>
        <translation>报警柱</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hazardous-chemical firm</source>
        <translation>危化企业</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gas company</source>
        <translation>燃气企业</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Petrol station</source>
        <translation>加油站</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Police post</source>
        <translation>警务室</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Governance center</source>
        <translation>综治中心</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Declared</source>
        <translation>启动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dispatched</source>
        <translation>调度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alert</source>
        <translation>预警</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conference</source>
        <translation>视频会商</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closed</source>
        <translation>结束</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 m</source>
        <translation>%1 米</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 km</source>
        <translation>%1 公里</translation>
    </message>
    <message>
        <location line="-838"/>
        <source>Unknown emergency type: %1 (see emergency.conf)</source>
        <translation>未知的突发事件类型：%1（见 emergency.conf）</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>Unspecified emergency</source>
        <translation>未分类突发事件</translation>
    </message>
    <message>
        <location line="+666"/>
        <source>Emergency</source>
        <translation>突发事件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Entry</source>
        <translation>事项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location line="-723"/>
        <source>Your role (%1) may not %2: it needs the permission %3.</source>
        <translation>您的角色（%1）不能%2：需要权限 %3。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+176"/>
        <source>act on emergencies</source>
        <translation>处置突发事件</translation>
    </message>
    <message>
        <location line="+193"/>
        <source>supervise cases</source>
        <translation>督办案件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>urge cases</source>
        <translation>催办案件</translation>
    </message>
</context>
<context>
    <name>gd::console::ConferenceView</name>
    <message>
        <location filename="../../src/console/command/commandviews.cpp" line="+126"/>
        <source>Emergency — conference view</source>
        <translation>突发事件 — 会商画面</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Resources within the radius</source>
        <translation>范围内资源</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Dispatch timeline</source>
        <translation>调度时间线</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>  (closed)</source>
        <translation>（已结束）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>● %1  %2%3</source>
        <translation>● %1  %2%3</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>  offline</source>
        <translation>  离线</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Within %1: %2 workers, %3 sites</source>
        <translation>%1 范围内：网格员 %2 名，重点部位 %3 处</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>%1 · %2 since declared</source>
        <translation>%1 · 已启动 %2</translation>
    </message>
</context>
<context>
    <name>gd::console::ConsoleSession</name>
    <message>
        <location filename="../../src/console/session/consolesession.cpp" line="+102"/>
        <source>The center&apos;s database answers again: every change made meanwhile is shown</source>
        <translation>已重新连上指挥中心数据库：断线期间的变化已全部显示</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Lost the connection to the center&apos;s database, reconnecting… Changes by other seats appear once it answers</source>
        <translation>与指挥中心数据库的连接中断，正在重连……连上后将显示其他席位的变化</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>%1 could not be opened as a store: %2</source>
        <translation>%1 无法作为数据库打开：%2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 has no grids yet: import boundaries with griddispatch-ctl import-grids, or start with --demo</source>
        <translation>%1 中还没有网格：请用 griddispatch-ctl import-grids 导入边界，或以 --demo 启动演示</translation>
    </message>
    <message>
        <location line="+49"/>
        <location line="+9"/>
        <source>An operation failed: %1</source>
        <translation>操作失败：%1</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>%1: the case service could not start: %2</source>
        <translation>%1：案件服务无法启动：%2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Supervision and emergencies are off: %1</source>
        <translation>督办与应急不可用：%1</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>open a store before starting the gateway</source>
        <translation>请先打开数据库再启动接入网关</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the field gateway could not start on %1:%2: %3</source>
        <translation>接入网关无法在 %1:%2 上启动：%3</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>The supervision rules could not run: %1</source>
        <translation>督办规则无法执行：%1</translation>
    </message>
</context>
<context>
    <name>gd::console::DepartmentController</name>
    <message>
        <location filename="../../src/console/department/departmentcontroller.cpp" line="+20"/>
        <location line="+50"/>
        <source>Department inbox</source>
        <translation>部门待办</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>The department inbox could not be opened: %1</source>
        <translation>未能打开部门待办：%1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Extension requests</source>
        <translation>延期审批</translation>
    </message>
</context>
<context>
    <name>gd::console::DepartmentPanel</name>
    <message>
        <location filename="../../src/console/department/departmentpanel.cpp" line="+54"/>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>overdue %1</source>
        <translation>已超时 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Sign (签收)</source>
        <translation>签收</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+286"/>
        <source>Handling note</source>
        <translation>办理情况</translation>
    </message>
    <message>
        <location line="-285"/>
        <location line="+293"/>
        <source>Report handled</source>
        <translation>办结反馈</translation>
    </message>
    <message>
        <location line="-292"/>
        <location line="+300"/>
        <source>Request extension</source>
        <translation>延期申请</translation>
    </message>
    <message>
        <location line="-299"/>
        <location line="+320"/>
        <source>Return</source>
        <translation>退回</translation>
    </message>
    <message>
        <location line="-319"/>
        <location line="+327"/>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location line="-326"/>
        <location line="+326"/>
        <source>Refuse</source>
        <translation>驳回</translation>
    </message>
    <message>
        <location line="-324"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Acknowledge</source>
        <translation>回复</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reply to the center:</source>
        <translation>回复中心：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read, being handled</source>
        <translation>已阅，正在处理</translation>
    </message>
    <message>
        <location line="+35"/>
        <location line="+2"/>
        <location line="+246"/>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <location line="-248"/>
        <source>Role / notice</source>
        <translation>主协办 / 通知</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sign by</source>
        <translation>签收时限</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finish by</source>
        <translation>办结时限</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Working days</source>
        <translation>工作日</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+248"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location line="-248"/>
        <source>Requested by</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Requested at</source>
        <translation>申请时间</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1 % (%2 / %3)</source>
        <translation>%1%（%2 / %3）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>— (no dispatch due yet)</source>
        <translation>—（暂无到期派遣）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;%1&lt;/b&gt; · response rate this month: &lt;b&gt;%2&lt;/b&gt; · sign within %3 working hours · %4 case(s), %5 not signed</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · 本月响应率：&lt;b&gt;%2&lt;/b&gt; · 签收时限 %3 个工作小时 · 案件 %4 件，未签收 %5 件</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1
%2 · %3</source>
        <translation>%1
%2 · %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lead</source>
        <translation>主办</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Assisting</source>
        <translation>协办</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1; %2</source>
        <translation>%1；%2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 sent %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>signed by %1 at %2</source>
        <translation>%1 于 %2 签收</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>acknowledged by %1 at %2</source>
        <translation>%1 于 %2 回复</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>not signed</source>
        <translation>未签收</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not acknowledged</source>
        <translation>未回复</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&lt;b&gt;Extension requests&lt;/b&gt; waiting for the center&apos;s decision: %1</source>
        <translation>待中心审批的&lt;b&gt;延期申请&lt;/b&gt;：%1 件</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>sign for the case first: feedback follows handling</source>
        <translation>请先签收：签收后方可办结反馈</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>only the lead department reports the case handled</source>
        <translation>只有主办部门可以办结反馈</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>only the lead department returns a case</source>
        <translation>只有主办部门可以退回案件</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>What was done on case %1:</source>
        <translation>案件 %1 的办理情况：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Result of the handling of case %1:</source>
        <translation>案件 %1 的办理结果：</translation>
    </message>
    <message>
        <location line="+13"/>
        <source> working day(s)</source>
        <translation> 个工作日</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>More time</source>
        <translation>延长</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Why case %1 goes back to the center:</source>
        <translation>案件 %1 退回中心的理由：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Note (optional):</source>
        <translation>意见（可不填）：</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Why the extension is refused:</source>
        <translation>驳回理由：</translation>
    </message>
</context>
<context>
    <name>gd::console::DepartmentService</name>
    <message>
        <location filename="../../src/console/department/departmentservice.cpp" line="+136"/>
        <source>this seat belongs to no department</source>
        <translation>本席位不属于任何部门</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>there is no such case</source>
        <translation>没有该案件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>case %1 is not dispatched to %2: only the departments it is dispatched to handle it</source>
        <translation>案件 %1 未派遣给%2：只有受派部门可以办理</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 assists on case %2: only the lead department %3 may do this</source>
        <translation>%1是案件 %2 的协办部门：只有主办部门%3可以办理此项</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+259"/>
        <source>not possible while the case is %1</source>
        <translation>案件处于“%1”状态，不能办理</translation>
    </message>
    <message>
        <location line="-229"/>
        <source>the department&apos;s earlier extension request on this case still waits for the center&apos;s decision</source>
        <translation>本部门此前对该案件的延期申请仍在等待中心审批</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the store could not record it: %1</source>
        <translation>数据库未能记录：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+84"/>
        <source>extension by %n working day(s) requested, waiting for the center</source>
        <translation>
            <numerusform>已申请延期 %n 个工作日，待中心审批</numerusform>
        </translation>
    </message>
    <message>
        <location line="+31"/>
        <source>the inbox could not be read: %1</source>
        <translation>未能读取待办：%1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>this notice is addressed to %1, not to %2</source>
        <translation>该通知发给%1，不是%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>there is no such notice</source>
        <translation>没有该通知</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>already acknowledged by %1</source>
        <translation>已由 %1 签收</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 signed for the case</source>
        <translation>%1签收</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 signed for case %2: handling started</source>
        <translation>%1已签收案件 %2，开始处置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 signed for case %2</source>
        <translation>%1已签收案件 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read, being handled</source>
        <translation>已阅，正在处理</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 on the %2: %3</source>
        <translation>%1回复%2：%3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 acknowledged the %2 on case %3</source>
        <translation>%1已回复案件 %3 的%2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>write what was done</source>
        <translation>请填写办理情况</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>note added to case %1</source>
        <translation>已为案件 %1 添加办理情况</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>write the result of the handling</source>
        <translation>请填写办理结果</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>feedback from %1</source>
        <translation>%1办结反馈</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>case %1 reported handled to the center</source>
        <translation>案件 %1 已向中心反馈办结</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>give the working days needed (at least 1) and the reason</source>
        <translation>请填写所需工作日（至少 1 天）和理由</translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source>%1 asks for an extension by %n working day(s): %2</source>
        <translation>
            <numerusform>%1申请延期 %n 个工作日：%2</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>extension requested on case %1: the center decides</source>
        <translation>已提交案件 %1 的延期申请，由中心审批</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>say why the case is returned</source>
        <translation>请说明退回理由</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 returned case %2 to the center</source>
        <translation>%1已将案件 %2 退回中心</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>your role may not decide extension requests: it needs the permission %1</source>
        <translation>您的角色不能审批延期申请：需要权限 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the request was decided already</source>
        <translation>该申请已审批</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>there is no such request</source>
        <translation>没有该申请</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>say why the extension is refused</source>
        <translation>请说明不予延期的理由</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>extension requested by %1: %2</source>
        <translation>%1申请延期：%2</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>case %1 extended by %n working day(s)</source>
        <translation>
            <numerusform>案件 %1 已延期 %n 个工作日</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>extension requested by %1 refused: %2</source>
        <translation>%1的延期申请未获批准：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the extension of case %1 was refused</source>
        <translation>案件 %1 的延期申请已驳回</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>urging</source>
        <translation>催办</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>supervision</source>
        <translation>督办</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>emergency</source>
        <translation>应急</translation>
    </message>
</context>
<context>
    <name>gd::console::DispatchController</name>
    <message>
        <location filename="../../src/console/dispatch/dispatchcontroller.cpp" line="+179"/>
        <source>New report (12345 / 110 / walk-in)…</source>
        <translation>新登记（12345 / 110 / 来访）…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Dispatch (register, accept and assign)…</source>
        <translation>一键分拨（登记、受理、交办）…</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+493"/>
        <source>Dispatch</source>
        <translation>分拨</translation>
    </message>
    <message>
        <location line="-484"/>
        <source>Filter the queue</source>
        <translation>筛选案件队列</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Find a grid, case or place on the map</source>
        <translation>在地图上查找网格、案件或地点</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Go to the case queue</source>
        <translation>转到案件队列</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reset the queue filters</source>
        <translation>清除队列筛选</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reload the case</source>
        <translation>刷新案件</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Department acknowledgement</source>
        <translation>部门签收</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Who at %1 acknowledged the notice?</source>
        <translation>%1由谁签收了通知？</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Duplicate suggestions</source>
        <translation>疑似重复件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cases that may report the same problem. Double-click to open; merge with Ctrl+Shift+M.</source>
        <translation>可能反映同一问题的案件。双击打开；按 Ctrl+Shift+M 合并。</translation>
    </message>
    <message>
        <location line="+115"/>
        <source>Case %1 not found</source>
        <translation>未找到案件 %1</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>%1  %2
%3 · %4 m · %5 h apart · %6 % alike</source>
        <translation>%1  %2
%3 · 相距 %4 米 · 间隔 %5 小时 · 相似度 %6%</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No likely duplicate of %1.</source>
        <translation>%1 没有疑似重复件。</translation>
    </message>
    <message>
        <location line="+197"/>
        <source>no department is suggested for this case; dispatch it on its own</source>
        <translation>本案件没有建议部门，请单独派遣</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%1: not done for %n case(s)</source>
        <translation>
            <numerusform>%1：%n 件案件未办理</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+32"/>
        <source> — %n order(s) sent to the grid worker&apos;s terminal</source>
        <translation>
            <numerusform>，已向网格员终端发送 %n 条指令</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source> — %n department(s) notified</source>
        <translation>
            <numerusform> — 已通知 %n 个部门</numerusform>
        </translation>
    </message>
    <message>
        <location line="-169"/>
        <location line="+176"/>
        <source>Not done: %1</source>
        <translation>未办理：%1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Open a store first</source>
        <translation>请先打开数据库</translation>
    </message>
    <message>
        <location line="+107"/>
        <source>Nothing found for &quot;%1&quot;</source>
        <translation>未找到“%1”</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>where case(s) at %1 were reported</source>
        <translation>%1（曾有案件在此上报）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>near %1 (matches &quot;%2&quot;; pick the exact point on the map)</source>
        <translation>%1附近（匹配“%2”；请在地图上点选准确位置）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>picked on the map (outside every grid)</source>
        <translation>地图点选（不在任何网格内）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>picked on the map: %1</source>
        <translation>地图点选：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Click the place on the map</source>
        <translation>请在地图上点击位置</translation>
    </message>
    <message>
        <location line="-596"/>
        <source>Show the reporters</source>
        <translation>查看反映人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why do you need the reporters&apos; names and phone numbers? (recorded in the audit trail)</source>
        <translation>为什么需要查看反映人的姓名和电话？（将记入审计日志）</translation>
    </message>
</context>
<context>
    <name>gd::console::EmergencyPanel</name>
    <message>
        <location filename="../../src/console/command/emergencypanel.cpp" line="+29"/>
        <source>%1 s ago</source>
        <translation>%1 秒前</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min ago</source>
        <translation>%1 分钟前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h ago</source>
        <translation>%1 小时前</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>No open emergency</source>
        <translation>无进行中的突发事件</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Radius</source>
        <translation>半径</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> m</source>
        <translation> 米</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Conference</source>
        <translation>视频会商</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start or join the incident&apos;s video conference in the browser</source>
        <translation>在浏览器中发起或加入该事件的视频会商</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conference view</source>
        <translation>会商画面</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the clean view to share into the conference</source>
        <translation>显示用于共享到视频会商的简洁画面</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Conference view: zoom in</source>
        <translation>会商画面：放大</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Conference view: zoom out</source>
        <translation>会商画面：缩小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incident</source>
        <translation>事发地</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conference view: back to the incident and its rings</source>
        <translation>会商画面：回到事发地及范围圈</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close…</source>
        <translation>结束…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the emergency (the note field&apos;s text is the closing note)</source>
        <translation>结束突发事件（备注栏的内容作为结束说明）</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+48"/>
        <source>Worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location line="-48"/>
        <location line="+4"/>
        <location line="+44"/>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>Last fix</source>
        <translation>最近定位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Field workers by live position</source>
        <translation>网格员（按实时位置）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Police posts, cameras (double-click to watch) and risk sites</source>
        <translation>警务室、视频探头（双击观看）和风险点</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Communities and grids affected</source>
        <translation>受影响的社区和网格</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Within the radius</source>
        <translation>范围内</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Departments to dispatch at once</source>
        <translation>同时调度的部门</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Instruction to the departments</source>
        <translation>给各部门的指令</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dispatch</source>
        <translation>调度</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Alert to every terminal within the radius</source>
        <translation>向范围内所有终端发送的预警</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Broadcast alert</source>
        <translation>广播预警</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Terminal</source>
        <translation>终端</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sent</source>
        <translation>发送时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Dispatch and alert</source>
        <translation>调度与预警</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Note for the timeline</source>
        <translation>时间线备注</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export the emergency timeline</source>
        <translation>导出突发事件时间线</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV (*.csv);;JSON (*.json)</source>
        <translation>CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location line="+175"/>
        <source>%1 has no video stream.</source>
        <translation>%1 没有视频流。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Opening the stream of %1 in the system&apos;s player.</source>
        <translation>正在用系统播放器打开 %1 的视频流。</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>There is no emergency %1.</source>
        <translation>没有突发事件 %1。</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>No emergency shown. Declare one from the selected case (Ctrl+E) or with the map tool &quot;Emergency at a point&quot; (E): click, or drag out the radius.</source>
        <translation>未显示突发事件。可由所选案件启动（Ctrl+E），或用地图工具“定点应急”（E）：单击，或拖出半径。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b style=&apos;color:#c62828&apos;&gt;OPEN&lt;/b&gt;</source>
        <translation>&lt;b style=&apos;color:#c62828&apos;&gt;进行中&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&lt;b&gt;closed&lt;/b&gt;</source>
        <translation>&lt;b&gt;已结束&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 &lt;b&gt;%2&lt;/b&gt; · &lt;b style=&apos;color:#c62828&apos;&gt;%8&lt;/b&gt; · %3&lt;br&gt;declared by %4 at %5 · radius %6%7</source>
        <translation>%1 &lt;b&gt;%2&lt;/b&gt; · &lt;b style=&apos;color:#c62828&apos;&gt;%8&lt;/b&gt; · %3&lt;br&gt;%4 于 %5 启动 · 半径 %6%7</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> · case %1</source>
        <translation> · 案件 %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>offline, %1</source>
        <translation>离线，%1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>risk nearby</source>
        <translation>附近风险</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>▶ stream</source>
        <translation>▶ 视频</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 (incident inside)</source>
        <translation>%1（事发地在内）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Within the radius (%1 workers, %2 sites)</source>
        <translation>范围内（网格员 %1 名，重点部位 %2 处）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>waiting</source>
        <translation>等待确认</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No alert sent yet.</source>
        <translation>尚未发送预警。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alerts acknowledged: %1 of %2</source>
        <translation>预警已确认：%1 / %2</translation>
    </message>
    <message>
        <location line="-480"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The type of the next emergency declared (one declared from a case of an emergency category takes that category&apos;s type)</source>
        <translation>下一个启动的突发事件的类型（由突发事件类别的案件启动时，采用该类别对应的类型）</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+167"/>
        <source>Unspecified</source>
        <translation>未分类</translation>
    </message>
</context>
<context>
    <name>gd::console::FieldController</name>
    <message>
        <location filename="../../src/console/field/fieldcontroller.cpp" line="+37"/>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stationary</source>
        <translation>静止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Feed: not connected</source>
        <translation>接入网关：未连接</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Field workers</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last fix</source>
        <translation>最近定位</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Feed monitor</source>
        <translation>接入监控</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No field gateway in this console.</source>
        <translation>本控制台未运行接入网关。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Gateways</source>
        <translation>接入网关</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gateway</source>
        <translation>接入网关</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Terminals</source>
        <translation>在线终端</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stored/s</source>
        <translation>已存帧/秒</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ack lag</source>
        <translation>确认延迟</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>new case %1 · %2 · %3</source>
        <translation>新案件 %1 · %2 · %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 left the open queue</source>
        <translation>%1 已离开在办队列</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>(this console)</source>
        <translation>（本控制台）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>stopped %1</source>
        <translation>已停止 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>silent since %1</source>
        <translation>%1 起无心跳</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>store down</source>
        <translation>无法写库</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Running since %1; last heard %2</source>
        <translation>%1 起运行；最近心跳 %2</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1 (since %2)</source>
        <translation>%1（%2 起）</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Feed: no gateway is running on this store</source>
        <translation>接入网关：本库没有运行中的网关</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Feed: %n gateway(s) — terminals online: %1 · stored %2 frames/s · ack lag up to %3 ms</source>
        <translation>
            <numerusform>接入网关 %n 个 — 在线终端 %1 个 · 已存 %2 帧/秒 · 确认延迟最高 %3 毫秒</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Silent gateways (no heartbeat; their terminals may be cut off): %1</source>
        <translation>无心跳的网关（其终端可能已断开）：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gateways that cannot write to the store (nothing is acknowledged there): %1</source>
        <translation>无法写库的网关（其上报一律不确认）：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>Feed :%1 — %n terminal(s) online · stored %2 frames/s · duplicates %3/s · ack lag %4 ms</source>
        <translation>
            <numerusform>接入网关 :%1 — 在线终端 %n 个 · 已存 %2 帧/秒 · 重复 %3 帧/秒 · 确认延迟 %4 毫秒</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>DISK FULL: the store&apos;s disk is full; nothing is acknowledged until space is freed</source>
        <translation>磁盘已满：数据库所在磁盘空间已用尽，释放空间前不确认任何上报</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Terminals send only frames the store already holds: nothing new is stored</source>
        <translation>终端发来的帧均已存过（重复），没有新数据入库</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>Gateway %1:%2 · %n terminal(s) online
Stored: %3 frames/s, %L4 since start · duplicates (not stored): %5 frames/s, %L6 since start · rejected: %L7 · ack lag %8 ms</source>
        <translation>
            <numerusform>接入网关 %1:%2 · 在线终端 %n 个
已存：%3 帧/秒，启动以来共 %L4 帧 · 重复（未存）：%5 帧/秒，启动以来共 %L6 帧 · 拒收：%L7 帧 · 确认延迟 %8 毫秒</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gd::console::HelpOverlay</name>
    <message>
        <location filename="../../src/console/shell/helpoverlay.cpp" line="+85"/>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>F1 or Esc closes this help.</source>
        <translation>按 F1 或 Esc 关闭帮助。</translation>
    </message>
</context>
<context>
    <name>gd::console::IntakeDialog</name>
    <message>
        <location filename="../../src/console/dispatch/intakedialog.cpp" line="+63"/>
        <source>Walk-in</source>
        <translation>群众来访</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>type to search: code or name</source>
        <translation>输入编码或名称搜索</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(the category&apos;s default)</source>
        <translation>（按类别默认）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Register new case</source>
        <translation>登记为新案件</translation>
    </message>
    <message>
        <location line="+144"/>
        <source>%1  %2
%3 · %4 m away · %5 h earlier · %6 % alike</source>
        <translation>%1  %2
%3 · 相距 %4 米 · %5 小时前 · 相似度 %6%</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>No similar case nearby.</source>
        <translation>附近没有相似案件。</translation>
    </message>
    <message>
        <location line="-123"/>
        <source>Register the call as a new case (Ctrl+Enter)</source>
        <translation>登记为新案件（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Discard this report?</source>
        <translation>放弃这条来电记录？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The form holds a call that is not registered yet. Discard what was entered?</source>
        <translation>表单中的来电尚未登记。要放弃已填写的内容吗？</translation>
    </message>
    <message>
        <location line="-83"/>
        <source>%1 (also: %2)</source>
        <translation>%1（又称：%2）</translation>
    </message>
</context>
<context>
    <name>gd::console::LoginController</name>
    <message>
        <location filename="../../src/console/login/logincontroller.cpp" line="+70"/>
        <source>A department handler works at a department&apos;s seat: this seat belongs to no department. Log in at your department&apos;s seat, or ask the system administrator for one</source>
        <translation>部门处置人员须在本部门的席位上工作：本席位不属于任何部门。请到本部门的席位登录，或请系统管理员为您开设部门席位</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This account is locked after too many failed logins. Try again in %1.</source>
        <translation>登录失败次数过多，账户已锁定，请 %1后再试。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The new password does not meet the policy: at least %1 characters, mixing %2 of lower-case letters, upper-case letters, digits and other characters, and not containing the account id.</source>
        <translation>新密码不符合密码策略：至少 %1 个字符，须包含小写字母、大写字母、数字、其他字符中的至少 %2 类，且不得包含账户名。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This password was used before: choose one that is not among the last %1.</source>
        <translation>该密码近期用过：请选择不在最近 %1 个密码之中的新密码。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>That is not the code the authenticator shows. Scan the QR code again and type the current code.</source>
        <translation>验证码与身份验证器显示的不符。请重新扫描二维码并输入当前验证码。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your role needs a second factor. Scan this QR code with an authenticator app (or type the key), then enter the 6-digit code it shows.</source>
        <translation>您的角色须使用双因素认证。请用身份验证器应用扫描此二维码（或手动输入密钥），然后输入它显示的 6 位验证码。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Your password is older than %1 days: choose a new one.</source>
        <translation>密码已超过 %1 天未更换：请设置新密码。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This is your first login with this password: choose your own.</source>
        <translation>这是使用该密码的首次登录：请设置您自己的密码。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Enter your account and password.</source>
        <translation>请输入账户和密码。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Enter the 6-digit code of your authenticator app.</source>
        <translation>请输入身份验证器应用显示的 6 位验证码。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+147"/>
        <source>This account is disabled. Ask the system administrator.</source>
        <translation>该账户已停用，请联系系统管理员。</translation>
    </message>
    <message>
        <location line="-146"/>
        <location line="+22"/>
        <source>Wrong account or password.</source>
        <translation>账户或密码错误。</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Wrong or already used code. Wait for the next code and try again.</source>
        <translation>验证码错误或已使用过，请等待下一个验证码后重试。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>Wrong password.</source>
        <translation>密码错误。</translation>
    </message>
</context>
<context>
    <name>gd::console::LoginDialog</name>
    <message>
        <location filename="../../src/console/login/logindialog.cpp" line="+74"/>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>GridDispatch — locked</source>
        <translation>网格综治指挥台 — 已锁定</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GridDispatch — log in</source>
        <translation>网格综治指挥台 — 登录</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Account:</source>
        <translation>账户：</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+18"/>
        <source>Code:</source>
        <translation>验证码：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New password again:</source>
        <translation>再次输入新密码：</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+72"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="-72"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Log out</source>
        <translation>注销</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The console is locked</source>
        <translation>指挥台已锁定</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (%2) is logged in. Enter the password to go on.</source>
        <translation>%1（%2）已登录。请输入密码继续。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Log in to GridDispatch</source>
        <translation>登录网格综治指挥台</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Second factor</source>
        <translation>双因素认证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Set up the second factor</source>
        <translation>设置双因素认证</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Key: %1</source>
        <translation>密钥：%1</translation>
    </message>
</context>
<context>
    <name>gd::console::MainWindow</name>
    <message>
        <location filename="../../src/console/mainwindow.cpp" line="+45"/>
        <source>GridDispatch — Comprehensive Governance Command Console</source>
        <translation>网格综治指挥台</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>The open cases could not be read: %1</source>
        <translation>无法读取未办结案件：%1</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>The clock that SLA deadlines are measured against</source>
        <translation>计算办理时限所依据的时钟</translation>
    </message>
    <message>
        <location line="+116"/>
        <source>&lt;h2&gt;%1&lt;/h2&gt;&lt;p&gt;This account (%2) is one of the center&apos;s administrators. By the separation of the three administrators (三员分立) it sees no cases, no reporters and no map: the case work is done from the working seats.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;%1&lt;/h2&gt;&lt;p&gt;本账号（%2）是中心的管理员账号。按照三员分立的要求，管理员账号不显示案件、反映人和地图：案件工作在业务席位上办理。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>SLA clock: %1</source>
        <translation>时限时钟：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>About GridDispatch</source>
        <translation>关于网格综治指挥台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;GridDispatch %1&lt;/b&gt;&lt;p&gt;Command and dispatch console for comprehensive governance centers: the grid tree on the map, cases from report to archive, supervision and emergency dispatch.&lt;/p&gt;</source>
        <translation>&lt;b&gt;网格综治指挥台 %1&lt;/b&gt;&lt;p&gt;面向综治中心的指挥调度台：在地图上呈现网格体系，案件从上报到归档全流程闭环，督办督查与应急调度。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="-207"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Case steps</source>
        <translation>案件办理</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Queue and search</source>
        <translation>队列与查找</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Supervision and emergencies</source>
        <translation>督办与应急</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <location filename="../../src/apps/griddispatch/main.cpp" line="+314"/>
        <source>%1 — seat: %2</source>
        <translation>%1 — 席位：%2</translation>
    </message>
</context>
<context>
    <name>gd::console::MapViewController</name>
    <message>
        <location filename="../../src/console/mapview/mapviewcontroller.cpp" line="+82"/>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Find a grid (code or name), a case number or a place</source>
        <translation>查找网格（编码或名称）、案件编号或地点</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nothing found for &quot;%1&quot;</source>
        <translation>未找到“%1”</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Found %1</source>
        <translation>已定位：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The grid under the pointer</source>
        <translation>鼠标所指的网格</translation>
    </message>
    <message>
        <location line="+126"/>
        <source>Open cases at district zoom</source>
        <translation>全区视图下的待办案件显示</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Counts per community and grid</source>
        <translation>按社区和网格计数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Heatmap</source>
        <translation>热力图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grids shaded by open cases</source>
        <translation>按待办案件数分级着色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grids shaded by overdue cases</source>
        <translation>按超期案件数分级着色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grids shaded by cases new today</source>
        <translation>按今日新增案件数分级着色</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Base map…</source>
        <translation>底图…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+32"/>
        <location line="+4"/>
        <source>Base map</source>
        <translation>底图</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>An XYZ tile URL with {z}, {x} and {y} (for example a 天地图 service with your key),
or the path of a local raster (GeoTIFF…). Leave empty for no base map.</source>
        <translation>含 {z}、{x}、{y} 的 XYZ 瓦片地址（例如带密钥的天地图服务），
或本地栅格文件路径（GeoTIFF 等）。留空则不使用底图。</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Base map &quot;%1&quot;: neither an XYZ URL with {z}, {x} and {y} nor an existing raster file</source>
        <translation>底图“%1”：既不是含 {z}、{x}、{y} 的 XYZ 地址，也不是存在的栅格文件</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Base map &quot;%1&quot; could not be opened: %2</source>
        <translation>底图“%1”无法打开：%2</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Map tools</source>
        <translation>地图工具</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Identify</source>
        <translation>查询</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select by rectangle</source>
        <translation>框选</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select by radius</source>
        <translation>圈选</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nothing here</source>
        <translation>此处无要素</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n case(s) within %1 m</source>
        <translation>
            <numerusform>半径 %1 米内共 %n 件案件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n case(s) selected</source>
        <translation>
            <numerusform>已选中 %n 件案件</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Click a case, a grid, a worker or a point of interest on the map.</source>
        <translation>在地图上点击案件、网格、网格员或重点部位查看详情。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Grid worker %1</source>
        <translation>网格员 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last fix</source>
        <translation>最近定位</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open the video stream</source>
        <translation>打开视频流</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Grid leader</source>
        <translation>网格长</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open cases</source>
        <translation>待办案件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overdue cases</source>
        <translation>超期案件</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No program is set up to open %1</source>
        <translation>系统中没有可打开 %1 的程序</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>case %1</source>
        <translation>案件 %1</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>grid %1</source>
        <translation>网格 %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+3"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>gd::console::QueueFilterBar</name>
    <message>
        <location filename="../../src/console/dispatch/queuefilterbar.cpp" line="+28"/>
        <source>Waiting for dispatch</source>
        <translation>待分拨</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>With a department</source>
        <translation>处置中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting to close or visit</source>
        <translation>待办结或回访</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Filter: number, category, title, address, grid code…</source>
        <translation>筛选：编号、类别、标题、地址、网格编码…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reset filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whole district</source>
        <translation>全区</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All sources</source>
        <translation>全部来源</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All priorities</source>
        <translation>全部紧急程度</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Any deadline</source>
        <translation>全部时限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overdue or due soon</source>
        <translation>超期或临期</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
</context>
<context>
    <name>gd::console::QueueHold</name>
    <message>
        <location filename="../../src/console/dispatch/queuehold.cpp" line="+26"/>
        <source>Held while the pointer is over the queue, so that rows do not move under it. Click, or move the pointer away, to put them in.</source>
        <translation>鼠标停在队列上时新变化暂不插入，以免行在鼠标下移动。点击此处或将鼠标移开即可放入。</translation>
    </message>
    <message numerus="yes">
        <location line="+108"/>
        <source>%n new case(s)</source>
        <translation>
            <numerusform>%n 条新案件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n case(s) left the queue</source>
        <translation>
            <numerusform>%n 件案件已移出队列</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gd::console::RoutingReason</name>
    <message>
        <location filename="../../src/console/common/storetext.h" line="-50"/>
        <source>the default department of category “%1”</source>
        <translation>类别『%1』的默认部门</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>every category</source>
        <translation>所有类别</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the routing rule for %1 in %2 (%3, line %4)</source>
        <translation>%2『%1』的分拨规则（%3 第 %4 行）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>category %1 is not in the catalog</source>
        <translation>类别 %1 不在分类目录中</translation>
    </message>
</context>
<context>
    <name>gd::console::SessionGuard</name>
    <message>
        <location filename="../../src/console/login/sessionguard.cpp" line="+20"/>
        <source>Lock screen</source>
        <translation>锁定屏幕</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Log out</source>
        <translation>注销</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 (%2) · %3</source>
        <translation>%1（%2）· %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no role</source>
        <translation>无角色</translation>
    </message>
</context>
<context>
    <name>gd::console::StoreCheckLabel</name>
    <message>
        <location filename="../../src/console/shell/statuswarnings.cpp" line="-70"/>
        <source>Checking the store…</source>
        <translation>正在检查存储…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The integrity check is reading the whole store %1; the field terminals&apos; reports are saved once it has passed</source>
        <translation>完整性检查正在读取整个存储 %1；检查通过后才保存现场终端的上报</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Store damaged: restore it from a backup</source>
        <translation>存储已损坏：请从备份恢复</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The integrity check found the store %1 damaged. Restore it from a backup.</source>
        <translation>完整性检查发现存储 %1 已损坏。请从备份恢复。</translation>
    </message>
</context>
<context>
    <name>gd::console::StoreWaitLabel</name>
    <message>
        <location line="+112"/>
        <source>Waiting for the store: %1 s of %2 s</source>
        <translation>正在等待存储：已等 %1 秒，最多 %2 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Another program (a gateway, another console or griddispatch-ctl) is writing to the store %1; this console&apos;s action goes on as soon as it is done, or fails after %2 s</source>
        <translation>另一个程序（接入网关、另一台控制台或 griddispatch-ctl）正在写入存储 %1；它写完后本控制台的操作立即继续，%2 秒后仍未写完则操作失败</translation>
    </message>
</context>
<context>
    <name>gd::console::SupervisionPanel</name>
    <message>
        <location filename="../../src/console/command/supervisionpanel.cpp" line="+54"/>
        <source>%1 d %2 h</source>
        <translation>%1天%2小时</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h %2 min</source>
        <translation>%1小时%2分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min %2 s</source>
        <translation>%1分%2秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>overdue %1</source>
        <translation>逾期 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Whole district</source>
        <translation>全区</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overdue only</source>
        <translation>仅超期</translation>
    </message>
    <message>
        <location line="+39"/>
        <location line="+72"/>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <location line="-72"/>
        <source>Countdown</source>
        <translation>倒计时</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Lead department</source>
        <translation>主办部门</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Supervision</source>
        <translation>督办</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Urge selected…</source>
        <translation>催办所选…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Supervise selected…</source>
        <translation>督办所选…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cases</source>
        <translation>案件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+29"/>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Overdue by department</source>
        <translation>各部门超期</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Townships</source>
        <translation>乡镇/街道</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 7 days</source>
        <translation>近7天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 30 days</source>
        <translation>近30天</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>On-time rate</source>
        <translation>按期办结率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Received</source>
        <translation>受理数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Double-click a row to see its cases.</source>
        <translation>双击一行查看其案件。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Rankings</source>
        <translation>排名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>By</source>
        <translation>督办人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reply by</source>
        <translation>限期反馈</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Records</source>
        <translation>督办记录</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>&lt;b style=&apos;color:#d32f2f&apos;&gt;%1 overdue&lt;/b&gt; · &lt;b style=&apos;color:#f9a825&apos;&gt;%2 due soon&lt;/b&gt; · as of %3</source>
        <translation>&lt;b style=&apos;color:#d32f2f&apos;&gt;超期 %1 件&lt;/b&gt; · &lt;b style=&apos;color:#f9a825&apos;&gt;临期 %2 件&lt;/b&gt; · 截至 %3</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>not dispatched</source>
        <translation>未分拨</translation>
    </message>
    <message>
        <location line="+128"/>
        <source>Supervise</source>
        <translation>督办</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Urge</source>
        <translation>催办</translation>
    </message>
    <message>
        <location line="-366"/>
        <source>Acknowledge</source>
        <translation>确认告警</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>I have seen these overdue cases: stop the alarm until another case alarms</source>
        <translation>已知悉这些逾期案件：停止告警，直到有新的案件告警</translation>
    </message>
    <message numerus="yes">
        <location line="+294"/>
        <source>and %n more</source>
        <translation>
            <numerusform>另有 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 %2 (%3, %4)</source>
        <translation>%1 %2（%3，%4）</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>ALARM: %n overdue case(s) that must not wait: %1</source>
        <translation>
            <numerusform>告警：%n 件不容拖延的案件已逾期：%1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gd::console::UrgeDialog</name>
    <message numerus="yes">
        <location line="-395"/>
        <source>Supervise %n case(s)</source>
        <translation>
            <numerusform>督办 %n 件案件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>Urge %n case(s)</source>
        <translation>
            <numerusform>催办 %n 件案件</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Supervision opinion, e.g. report the handling plan today</source>
        <translation>督办意见，如：今日内报送处置方案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Urging opinion, e.g. handle and reply today</source>
        <translation>催办意见，如：今日内处置并反馈</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reply by</source>
        <translation>限期反馈</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Supervise</source>
        <translation>督办</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Urge</source>
        <translation>催办</translation>
    </message>
</context>
<context>
    <name>gd::map::LayerPanel</name>
    <message>
        <location filename="../../src/map/layerpanel.cpp" line="+60"/>
        <source>Open cases at district zoom</source>
        <translation>全区视图下的待办案件</translation>
    </message>
    <message>
        <location line="+164"/>
        <source>Within the time limit</source>
        <translation>时限内</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time limit nearly reached</source>
        <translation>临近时限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No time limit</source>
        <translation>无时限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disputes</source>
        <translation>矛盾纠纷</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Public order</source>
        <translation>治安</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Risks and hazards</source>
        <translation>风险隐患</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Livelihood requests</source>
        <translation>民生诉求</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Special groups</source>
        <translation>特殊人群</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Emergencies</source>
        <translation>突发事件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Larger: urgent</source>
        <translation>较大：紧急</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Emergency</source>
        <translation>特急</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Open cases</source>
        <translation>待办案件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open cases, some overdue</source>
        <translation>待办案件（含超期）</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Cases</source>
        <translation>案件</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Grid levels</source>
        <translation>网格层级</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Shown between %1 and %2</source>
        <translation>在 %1 至 %2 之间显示</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shown from %1 inwards</source>
        <translation>放大到 %1 起显示</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shown from %1 outwards</source>
        <translation>缩小到 %1 起显示</translation>
    </message>
</context>
</TS>
