<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>VerdictWording</name>
    <message>
        <source>latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <source>%1 pp</source>
        <extracomment>percentage points of pass rate</extracomment>
        <translation>%1 个百分点</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 USD / 1k lines</source>
        <extracomment>a cost difference in US dollars per 1,000 dataset lines</extracomment>
        <translation>%1 美元 / 千行</translation>
    </message>
    <message>
        <source>p &lt; 0.001</source>
        <translation>p &lt; 0.001</translation>
    </message>
    <message>
        <source>p = %1</source>
        <translation>p = %1</translation>
    </message>
    <message>
        <source>better</source>
        <translation>更好</translation>
    </message>
    <message>
        <source>worse</source>
        <translation>更差</translation>
    </message>
    <message>
        <source>no significant difference</source>
        <translation>无显著差异</translation>
    </message>
    <message>
        <source>not tested</source>
        <translation>未检验</translation>
    </message>
    <message>
        <source>%1 is better on %2, %3, %4</source>
        <extracomment>%1 run, %2 metric, %3 effect with its unit, %4 &quot;p = 0.003&quot;</extracomment>
        <translation>%1 在 %2 上更好，%3，%4</translation>
    </message>
    <message>
        <source>%1 is worse on %2, %3, %4</source>
        <translation>%1 在 %2 上更差，%3，%4</translation>
    </message>
    <message>
        <source>%1: no significant difference in %2</source>
        <translation>%1：%2 无显著差异</translation>
    </message>
    <message>
        <source>%1: no significant difference in %2 (%3, %4)</source>
        <translation>%1：%2 无显著差异（%3，%4）</translation>
    </message>
    <message>
        <source>%1: %2 not tested (no paired lines)</source>
        <translation>%1：%2 未检验（没有配对的行）</translation>
    </message>
    <message>
        <source>Not comparable: %1 used another dataset version than the baseline %2.</source>
        <translation>不可比较：%1 使用的数据集版本与基线 %2 不同。</translation>
    </message>
    <message>
        <source>Not comparable: %1 configured %2 differently from the baseline %3.</source>
        <translation>不可比较：%1 对 %2 的配置与基线 %3 不同。</translation>
    </message>
    <message>
        <source>Not comparable: %1 mapped its inputs from other columns than the baseline %2.</source>
        <translation>不可比较：%1 的输入映射自与基线 %2 不同的列。</translation>
    </message>
    <message>
        <source>Not comparable: the answers of %1 and of the baseline %2 come from different sources (LLM simulator and a real model).</source>
        <translation>不可比较：%1 与基线 %2 的回答来源不同（LLM 模拟器与真实模型）。</translation>
    </message>
</context>
<context>
    <name>fb::FlowEditorWidget</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Add node</source>
        <translation>添加节点</translation>
    </message>
    <message>
        <source>LLM node</source>
        <translation>LLM 节点</translation>
    </message>
    <message>
        <source>Prompt node</source>
        <translation>提示词节点</translation>
    </message>
    <message>
        <source>Python node</source>
        <translation>Python 节点</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Auto layout</source>
        <translation>自动布局</translation>
    </message>
    <message>
        <source>Fit to view</source>
        <translation>适应视图</translation>
    </message>
    <message>
        <source>No flow is open.</source>
        <translation>没有打开的流程。</translation>
    </message>
    <message>
        <source>Select an llm or prompt node to edit its template.</source>
        <translation>选择一个 llm 或提示词节点以编辑其模板。</translation>
    </message>
    <message>
        <source>%1 has no prompt template.</source>
        <translation>%1 没有提示词模板。</translation>
    </message>
</context>
<context>
    <name>fb::ui::AboutDialog</name>
    <message>
        <source>GNU LGPL version 3</source>
        <translation>GNU LGPL 第 3 版</translation>
    </message>
    <message>
        <source>BSD 3-Clause</source>
        <translation>BSD 3-Clause</translation>
    </message>
    <message>
        <source>MIT</source>
        <translation>MIT</translation>
    </message>
    <message>
        <source>curl licence (MIT/X derivative)</source>
        <translation>curl 许可证（MIT/X 衍生）</translation>
    </message>
    <message>
        <source>public domain</source>
        <translation>公有领域</translation>
    </message>
    <message>
        <source>Boost Software License 1.0</source>
        <translation>Boost Software License 1.0</translation>
    </message>
    <message>
        <source>About Flowbench</source>
        <translation>关于 Flowbench</translation>
    </message>
    <message>
        <source>A workbench for LLM prompt flows: initialize, experiment, evaluate and deploy promptflow &lt;tt&gt;flow.dag.yaml&lt;/tt&gt; flows.</source>
        <translation>LLM 提示词流程工作台：初始化、实验、评估和部署 promptflow &lt;tt&gt;flow.dag.yaml&lt;/tt&gt; 流程。</translation>
    </message>
    <message>
        <source>Flowbench ships with these components, under these licences:</source>
        <translation>Flowbench 随附以下组件，采用以下许可证：</translation>
    </message>
</context>
<context>
    <name>fb::ui::AddNodeCommand</name>
    <message>
        <source>Add node %1</source>
        <translation>添加节点 %1</translation>
    </message>
</context>
<context>
    <name>fb::ui::BlindReviewDialog</name>
    <message>
        <source>Enter your name as the rater first.</source>
        <translation>请先输入你的评审人名称。</translation>
    </message>
    <message>
        <source>Output 1</source>
        <translation>输出 1</translation>
    </message>
    <message>
        <source>Output 2</source>
        <translation>输出 2</translation>
    </message>
    <message>
        <source>Line %1 — inputs</source>
        <translation>第 %1 行 — 输入</translation>
    </message>
    <message>
        <source>Output 1 — %1</source>
        <translation>输出 1 — %1</translation>
    </message>
    <message>
        <source>Output 2 — %1</source>
        <translation>输出 2 — %1</translation>
    </message>
    <message>
        <source>output 1</source>
        <translation>输出 1</translation>
    </message>
    <message>
        <source>output 2</source>
        <translation>输出 2</translation>
    </message>
    <message>
        <source>a tie</source>
        <translation>平局</translation>
    </message>
    <message>
        <source>Prefer %1 on Line %2</source>
        <translation>第 %2 行选择 %1</translation>
    </message>
    <message>
        <source>The two runs have no completed line in common.</source>
        <translation>两次运行没有共同的已完成行。</translation>
    </message>
    <message>
        <source>%1 of %1 lines judged — all done.</source>
        <translation>已评 %1 / %1 行 — 全部完成。</translation>
    </message>
    <message>
        <source>%1 of %2 lines judged</source>
        <translation>已评 %1 / %2 行</translation>
    </message>
    <message>
        <source>No judge</source>
        <translation>不使用评判器</translation>
    </message>
    <message>
        <source>Blind A/B Review</source>
        <translation>A/B 盲评</translation>
    </message>
    <message>
        <source>Which output is better? The runs are not named and the sides are drawn at random for each line.</source>
        <translation>哪个输出更好？运行名称被隐藏，每行的左右位置随机抽取。</translation>
    </message>
    <message>
        <source>Rater:</source>
        <translation>评审人：</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>← Output 1 Is Better</source>
        <translation>← 输出 1 更好</translation>
    </message>
    <message>
        <source>Left arrow or 1</source>
        <translation>左方向键或 1</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>平局</translation>
    </message>
    <message>
        <source>T or 0</source>
        <translation>T 或 0</translation>
    </message>
    <message>
        <source>Output 2 Is Better →</source>
        <translation>输出 2 更好 →</translation>
    </message>
    <message>
        <source>Right arrow or 2</source>
        <translation>右方向键或 2</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>S: decide later</source>
        <translation>S：稍后决定</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Reveal Results</source>
        <translation>揭晓结果</translation>
    </message>
    <message>
        <source>Names the runs and shows what every rater chose</source>
        <translation>显示运行名称以及每位评审人的选择</translation>
    </message>
    <message>
        <source>Judge:</source>
        <translation>评判器：</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>fb::ui::CompareRowsModel</name>
    <message>
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Worse than the baseline</source>
        <translation>比基线差</translation>
    </message>
    <message>
        <source>Better than the baseline</source>
        <translation>比基线好</translation>
    </message>
    <message>
        <source>Output differs from the baseline</source>
        <translation>输出与基线不同</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <source>%1 (baseline)</source>
        <translation>%1（基线）</translation>
    </message>
</context>
<context>
    <name>fb::ui::CompareVerdictModel</name>
    <message>
        <source>Candidate</source>
        <translation>候选</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Win / tie / loss</source>
        <translation>胜 / 平 / 负</translation>
    </message>
    <message>
        <source>Effect</source>
        <translation>效应</translation>
    </message>
    <message>
        <source>p</source>
        <translation>p</translation>
    </message>
    <message>
        <source>p (Holm)</source>
        <translation>p（Holm）</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>检验</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
</context>
<context>
    <name>fb::ui::CompareView</name>
    <message>
        <source>&amp;Baseline:</source>
        <translation>基线(&amp;B)：</translation>
    </message>
    <message>
        <source>&amp;Judge rows on:</source>
        <translation>按此评判行(&amp;J)：</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>显示(&amp;S)：</translation>
    </message>
    <message>
        <source>The run every other run is compared with</source>
        <translation>其他所有运行与之比较的运行</translation>
    </message>
    <message>
        <source>The evaluator that decides which rows regressed or improved</source>
        <translation>决定哪些行变差或变好的评估器</translation>
    </message>
    <message>
        <source>All rows</source>
        <translation>所有行</translation>
    </message>
    <message>
        <source>Only rows that differ</source>
        <translation>仅不同的行</translation>
    </message>
    <message>
        <source>Regressions</source>
        <translation>变差</translation>
    </message>
    <message>
        <source>Improvements</source>
        <translation>变好</translation>
    </message>
    <message>
        <source>Failed in any run</source>
        <translation>任一运行中失败</translation>
    </message>
    <message>
        <source>Failures only</source>
        <translation>仅失败</translation>
    </message>
    <message>
        <source>Select 2 to 20 runs in the list and click Compare.</source>
        <translation>在列表中选择 2 到 20 个运行，然后点击“比较”。</translation>
    </message>
    <message>
        <source>Select 2 to %1 runs to compare.</source>
        <translation>请选择 2 到 %1 个运行进行比较。</translation>
    </message>
    <message>
        <source>No workspace store is open.</source>
        <translation>未打开工作区存储。</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>正在比较…</translation>
    </message>
    <message>
        <source>Cannot compare: %1</source>
        <translation>无法比较：%1</translation>
    </message>
    <message>
        <source>Select a row to see every run&apos;s output, with the words that differ from the baseline marked.</source>
        <translation>选择一行以查看每个运行的输出，与基线不同的词会被标出。</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>no line in this run</source>
        <translation>此运行中没有该行</translation>
    </message>
    <message>
        <source>Line %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <source>Baseline %1 · candidates: %9 · %2 tests, Holm-corrected at α = %3 · rows: %4 · differ: %5 · regressions: %6 · improvements: %7 · failed in any: %8</source>
        <translation>基线 %1 · 候选：%9 · %2 项检验，Holm 校正，α = %3 · 行：%4 · 不同：%5 · 变差：%6 · 变好：%7 · 任一失败：%8</translation>
    </message>
</context>
<context>
    <name>fb::ui::ConnectCommand</name>
    <message>
        <source>Connect %1 to %2</source>
        <translation>将 %1 连接到 %2</translation>
    </message>
</context>
<context>
    <name>fb::ui::ConnectionItem</name>
    <message>
        <source>activate condition</source>
        <translation>激活条件</translation>
    </message>
</context>
<context>
    <name>fb::ui::ConnectionRepository</name>
    <message>
        <source>&apos;%1&apos; is not a valid connection name: use letters, digits, &apos;_&apos; and &apos;-&apos;.</source>
        <translation>“%1”不是有效的连接名称：请使用字母、数字、“_”和“-”。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot delete %1.</source>
        <translation>无法删除 %1。</translation>
    </message>
    <message>
        <source>%1: not a connection (needs name and type)</source>
        <translation>%1：不是连接（需要 name 和 type）</translation>
    </message>
    <message>
        <source>%1: unknown connection type &apos;%2&apos;</source>
        <translation>%1：未知的连接类型“%2”</translation>
    </message>
</context>
<context>
    <name>fb::ui::ConnectionsPanel</name>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <source>OpenAI-compatible server</source>
        <translation>兼容 OpenAI 的服务器</translation>
    </message>
    <message>
        <source>Azure OpenAI</source>
        <translation>Azure OpenAI</translation>
    </message>
    <message>
        <source>Anthropic</source>
        <translation>Anthropic</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Entra ID token</source>
        <translation>Entra ID 令牌</translation>
    </message>
    <message>
        <source>open_ai_connection</source>
        <translation>open_ai_connection</translation>
    </message>
    <message>
        <source>first listed model</source>
        <translation>列表中的第一个模型</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>API version:</source>
        <translation>API 版本：</translation>
    </message>
    <message>
        <source>Authentication:</source>
        <translation>身份验证：</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <source>Test model:</source>
        <translation>测试模型：</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Test Connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Simulator (built in)</source>
        <translation>模拟器（内置）</translation>
    </message>
    <message>
        <source>flowbench-sim on this machine: answers are simulated, not from a model</source>
        <translation>本机上的 flowbench-sim：回答为模拟结果，并非来自模型</translation>
    </message>
    <message>
        <source>not needed</source>
        <translation>不需要</translation>
    </message>
    <message>
        <source>reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>no key stored yet</source>
        <translation>尚未存储密钥</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>基础 URL：</translation>
    </message>
    <message>
        <source>http://127.0.0.1:11434/v1</source>
        <translation>http://127.0.0.1:11434/v1</translation>
    </message>
    <message>
        <source>Endpoint:</source>
        <translation>终结点：</translation>
    </message>
    <message>
        <source>https://&lt;resource&gt;.openai.azure.com</source>
        <translation>https://&lt;资源&gt;.openai.azure.com</translation>
    </message>
    <message>
        <source>API base (optional):</source>
        <translation>API 基址（可选）：</translation>
    </message>
    <message>
        <source>https://api.anthropic.com</source>
        <translation>https://api.anthropic.com</translation>
    </message>
    <message>
        <source>Open a workspace first.</source>
        <translation>请先打开一个工作区。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is the built-in Simulator&apos;s name.</source>
        <translation>“%1”是内置模拟器的名称。</translation>
    </message>
    <message>
        <source>Saved %1 (the key is not in the file).</source>
        <translation>已保存 %1（密钥不在文件中）。</translation>
    </message>
    <message>
        <source>Starting the simulator…</source>
        <translation>正在启动模拟器…</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>SIMULATED — flowbench-sim answers, not a real model.</source>
        <translation>模拟 — 由 flowbench-sim 回答，并非真实模型。</translation>
    </message>
    <message>
        <source>Models (%1): %2</source>
        <translation>模型（%1）：%2</translation>
    </message>
    <message>
        <source>Models: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>Call to %1: first token after %2 ms, complete after %3 ms.</source>
        <translation>调用 %1：首个令牌 %2 毫秒，完成 %3 毫秒。</translation>
    </message>
    <message>
        <source>Call to %1 failed: %2</source>
        <translation>调用 %1 失败：%2</translation>
    </message>
</context>
<context>
    <name>fb::ui::DatasetPreviewModel</name>
    <message numerus="yes">
        <source>%1: %2, missing in %n preview row(s)</source>
        <translation>
            <numerusform>%1：%2，在 %n 个预览行中缺失</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fb::ui::DatasetsPanel</name>
    <message>
        <source>Attach Datasets</source>
        <translation>附加数据集</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv *.tsv)</source>
        <translation>数据集 (*.jsonl *.json *.csv *.tsv)</translation>
    </message>
    <message>
        <source>Datasets</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Drop .jsonl, .json, .csv or .tsv files here to attach them to the flow.</source>
        <translation>将 .jsonl、.json、.csv 或 .tsv 文件拖放到此处，即可附加到流程。</translation>
    </message>
    <message>
        <source>Attach…</source>
        <translation>附加…</translation>
    </message>
    <message>
        <source>Detach</source>
        <translation>分离</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s), %1 column(s)</source>
        <translation>
            <numerusform>%n 行，%1 列</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>first %n row(s), %1 column(s)</source>
        <translation>
            <numerusform>前 %n 行，%1 列</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bad row(s) skipped</source>
        <translation>
            <numerusform>跳过了 %n 个错误行</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fb::ui::DeleteNodesCommand</name>
    <message>
        <source>Delete node %1</source>
        <translation>删除节点 %1</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n nodes</source>
        <translation>
            <numerusform>删除 %n 个节点</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fb::ui::DisconnectCommand</name>
    <message>
        <source>Disconnect %1</source>
        <translation>断开 %1</translation>
    </message>
</context>
<context>
    <name>fb::ui::EvaluatePage</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>Running %1 — SIMULATED answers</source>
        <translation>正在运行 %1 — 模拟回答</translation>
    </message>
    <message>
        <source>Running %1</source>
        <translation>正在运行 %1</translation>
    </message>
    <message>
        <source>Not run: %1</source>
        <translation>未运行：%1</translation>
    </message>
    <message>
        <source>Cancelled %1; select it in the list and press Resume to run the missing lines.</source>
        <translation>已取消 %1；在列表中选中它并按“继续”以运行缺失的行。</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 失败：%2</translation>
    </message>
    <message>
        <source>Finished %1.</source>
        <translation>已完成 %1。</translation>
    </message>
    <message>
        <source>The answers were SIMULATED.</source>
        <translation>这些回答是模拟的。</translation>
    </message>
    <message>
        <source>Last experiment: %1</source>
        <translation>上次实验：%1</translation>
    </message>
    <message>
        <source>&amp;Start Experiment</source>
        <translation>开始实验(&amp;S)</translation>
    </message>
    <message>
        <source>Cance&amp;l</source>
        <translation>取消(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>Run the missing and failed lines of the selected cancelled or failed run (all runs of its experiment)</source>
        <translation>运行所选已取消或失败运行中缺失和失败的行（包括其实验的所有运行）</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <source>Runs in this workspace</source>
        <translation>此工作区中的运行</translation>
    </message>
    <message>
        <source>No experiment running</source>
        <translation>没有正在运行的实验</translation>
    </message>
    <message>
        <source>Start Experiment</source>
        <translation>开始实验</translation>
    </message>
    <message>
        <source>The flow has unsaved changes, and an experiment runs the saved flow. Save the changes and start?</source>
        <translation>流程有未保存的更改，而实验运行的是已保存的流程。保存更改并开始？</translation>
    </message>
    <message>
        <source>Not started: the flow could not be saved. %1</source>
        <translation>未开始：无法保存流程。%1</translation>
    </message>
    <message>
        <source>Not started: the simulator did not start: %1</source>
        <translation>未开始：模拟器未能启动：%1</translation>
    </message>
    <message>
        <source>Cancelling: lines in flight stop, finished lines are kept…</source>
        <translation>正在取消：进行中的行将停止，已完成的行会保留…</translation>
    </message>
    <message>
        <source>%1 of %2 lines</source>
        <translation>%1 / %2 行</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 失败</translation>
    </message>
    <message>
        <source>%1 lines/s</source>
        <translation>%1 行/秒</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>预计剩余 %1</translation>
    </message>
    <message>
        <source>%1 tokens in / %2 out</source>
        <translation>输入 %1 / 输出 %2 个令牌</translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
    <message>
        <source>%1 from cache</source>
        <translation>%1 来自缓存</translation>
    </message>
    <message>
        <source>Resuming…</source>
        <translation>正在继续…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>The report was not written: %1</source>
        <translation>报告未写入：%1</translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation>报告已写入：%1</translation>
    </message>
    <message>
        <source>E&amp;xport Report…</source>
        <translation>导出报告(&amp;X)…</translation>
    </message>
    <message>
        <source>Open in &amp;Browser</source>
        <translation>在浏览器中打开(&amp;B)</translation>
    </message>
    <message>
        <source>Export Report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>HTML report (*.html)</source>
        <translation>HTML 报告 (*.html)</translation>
    </message>
    <message>
        <source>CSV, one row per line (*.csv)</source>
        <translation>CSV，每行一条记录 (*.csv)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message>
        <source>Cannot compare: %1</source>
        <translation>无法比较：%1</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>比较(&amp;C)</translation>
    </message>
    <message>
        <source>Compare the selected runs (2 to 20) row by row, with the oldest as the baseline</source>
        <translation>逐行比较所选运行（2 到 20 个），以最早的运行为基线</translation>
    </message>
    <message>
        <source>Lines of the Selected Run</source>
        <translation>所选运行的行</translation>
    </message>
    <message>
        <source>Comparison</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Save an HTML, CSV or JSON report of the selected runs, or a run bundle of them (flowbench-cli bundle show / import reads it)</source>
        <translation>保存所选运行的 HTML、CSV 或 JSON 报告，或它们的运行包（flowbench-cli bundle show / import 可读取）</translation>
    </message>
    <message>
        <source>Run bundle, to open or import elsewhere (*.fbbundle)</source>
        <translation>运行包，可在别处打开或导入 (*.fbbundle)</translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation>评分</translation>
    </message>
</context>
<context>
    <name>fb::ui::ExperimentLauncher</name>
    <message>
        <source>Cancelled before start</source>
        <translation>开始前已取消</translation>
    </message>
</context>
<context>
    <name>fb::ui::ExperimentPage</name>
    <message>
        <source>Problems (%1)</source>
        <translation>问题（%1）</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Run One Row</source>
        <translation>运行单行</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>This build has no flow editor: the nodes are listed read-only.</source>
        <translation>此版本没有流程编辑器：节点仅以只读方式列出。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp; &lt;span style=&apos;color:gray&apos;&gt;%2&lt;/span&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp; &lt;span style=&apos;color:gray&apos;&gt;%2&lt;/span&gt;</translation>
    </message>
    <message>
        <source>No flow open — open one with Ctrl+O or start one in Initialize.</source>
        <translation>没有打开的流程 — 按 Ctrl+O 打开，或在“初始化”中新建。</translation>
    </message>
    <message>
        <source>This build has no flow editor.</source>
        <translation>此版本没有流程编辑器。</translation>
    </message>
</context>
<context>
    <name>fb::ui::ExperimentSetupPanel</name>
    <message>
        <source>&amp;Dataset:</source>
        <translation>数据集(&amp;D)：</translation>
    </message>
    <message>
        <source>Variants (one run per combination)</source>
        <translation>变体（每种组合一次运行）</translation>
    </message>
    <message>
        <source>This flow has no variants: the experiment is one run.</source>
        <translation>此流程没有变体：实验只有一次运行。</translation>
    </message>
    <message>
        <source>Evaluators</source>
        <translation>评估器</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>评估器</translation>
    </message>
    <message>
        <source>Reference column</source>
        <translation>参考列</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>Simulator (simulated answers)</source>
        <translation>模拟器（模拟回答）</translation>
    </message>
    <message>
        <source>Workspace connections</source>
        <translation>工作区连接</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>目标(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Concurrency:</source>
        <translation>并发数(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Budget cap:</source>
        <translation>预算上限(&amp;B)：</translation>
    </message>
    <message>
        <source>Cache:</source>
        <translation>缓存：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Lines in flight at once</source>
        <translation>同时进行的行数</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>无限制</translation>
    </message>
    <message>
        <source>Stop starting lines once the cost so far reaches this</source>
        <translation>累计成本达到此值后不再启动新行</translation>
    </message>
    <message>
        <source>Reuse cached answers to identical requests</source>
        <translation>对相同请求复用缓存的回答</translation>
    </message>
    <message>
        <source>Open a flow to set up an experiment.</source>
        <translation>打开一个流程以设置实验。</translation>
    </message>
    <message>
        <source>Flow: %1</source>
        <translation>流程：%1</translation>
    </message>
    <message>
        <source>Open a flow first.</source>
        <translation>请先打开一个流程。</translation>
    </message>
    <message>
        <source>Attach a dataset to the flow in Initialize first.</source>
        <translation>请先在“初始化”中为流程附加数据集。</translation>
    </message>
    <message>
        <source>Choose at least one variant of %1.</source>
        <translation>请至少为 %1 选择一个变体。</translation>
    </message>
    <message>
        <source>%1 needs a reference column, and the dataset has none.</source>
        <translation>%1 需要参考列，但数据集中没有。</translation>
    </message>
    <message>
        <source>%1-YYYYMMDD-hhmmss (default)</source>
        <translation>%1-YYYYMMDD-hhmmss（默认）</translation>
    </message>
    <message>
        <source>Runs: %1</source>
        <translation>运行：%1</translation>
    </message>
    <message>
        <source>Runs: %1 · rows: %2 · lines: %3</source>
        <translation>运行：%1 · 数据行：%2 · 待运行行：%3</translation>
    </message>
    <message>
        <source>Runs: %1 · rows: more than %2</source>
        <translation>运行：%1 · 数据行：超过 %2</translation>
    </message>
</context>
<context>
    <name>fb::ui::FlowMetadata</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>fb::ui::FlowScene</name>
    <message>
        <source>Auto layout</source>
        <translation>自动布局</translation>
    </message>
    <message>
        <source>Delete selection</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <source>Rename node</source>
        <translation>重命名节点</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <source>&quot;%1&quot; cannot be used: a node name is letters, digits and underscores, starts with a letter, and is not used or referenced yet.</source>
        <translation>无法使用“%1”：节点名称只能包含字母、数字和下划线，以字母开头，且尚未被使用或引用。</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>断开连接</translation>
    </message>
    <message>
        <source>Add LLM node</source>
        <translation>添加 LLM 节点</translation>
    </message>
    <message>
        <source>Add prompt node</source>
        <translation>添加提示词节点</translation>
    </message>
    <message>
        <source>Add Python node</source>
        <translation>添加 Python 节点</translation>
    </message>
</context>
<context>
    <name>fb::ui::FlowTemplates</name>
    <message>
        <source>%1 already exists.</source>
        <translation>%1 已存在。</translation>
    </message>
    <message>
        <source>Cannot create %1.</source>
        <translation>无法创建 %1。</translation>
    </message>
    <message>
        <source>Cannot copy %1 to %2.</source>
        <translation>无法将 %1 复制到 %2。</translation>
    </message>
</context>
<context>
    <name>fb::ui::FlowView</name>
    <message>
        <source>Flow graph</source>
        <translation>流程图</translation>
    </message>
</context>
<context>
    <name>fb::ui::InitializePage</name>
    <message>
        <source>Start a flow</source>
        <translation>开始一个流程</translation>
    </message>
    <message>
        <source>Create from Template</source>
        <translation>从模板创建</translation>
    </message>
    <message>
        <source>Open Flow Folder…</source>
        <translation>打开流程文件夹…</translation>
    </message>
    <message>
        <source>Goal and notes</source>
        <translation>目标和备注</translation>
    </message>
    <message>
        <source>What should this flow achieve? Who reads its output? What does good look like?</source>
        <translation>这个流程要实现什么？谁会阅读它的输出？怎样才算好？</translation>
    </message>
    <message>
        <source>No flow open — create one from a template or open a folder.</source>
        <translation>没有打开的流程 — 从模板创建或打开一个文件夹。</translation>
    </message>
    <message>
        <source>Flow: %1</source>
        <translation>流程：%1</translation>
    </message>
    <message>
        <source>Notes saved</source>
        <translation>备注已保存</translation>
    </message>
    <message>
        <source>Open a workspace first.</source>
        <translation>请先打开一个工作区。</translation>
    </message>
    <message>
        <source>Created %1</source>
        <translation>已创建 %1</translation>
    </message>
    <message>
        <source>New Flow</source>
        <translation>新建流程</translation>
    </message>
    <message>
        <source>&quot;%1&quot; cannot be a flow folder name: use letters, digits, &apos;_&apos;, &apos;-&apos;, &apos;.&apos; and spaces.</source>
        <translation>“%1”不能用作流程文件夹名：请使用字母、数字、“_”、“-”、“.”和空格。</translation>
    </message>
    <message>
        <source>%1 already exists in the workspace.</source>
        <translation>工作区中已存在 %1。</translation>
    </message>
    <message>
        <source>Folder name for the new flow (in %1):</source>
        <translation>新流程的文件夹名（位于 %1）：</translation>
    </message>
</context>
<context>
    <name>fb::ui::MainWindow</name>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Open Flow</source>
        <translation>打开流程</translation>
    </message>
    <message>
        <source>Simulator running at %1 — its answers are simulated</source>
        <translation>模拟器运行于 %1 — 其回答为模拟结果</translation>
    </message>
    <message>
        <source>Simulator failed: %1</source>
        <translation>模拟器失败：%1</translation>
    </message>
    <message>
        <source>Save Flow</source>
        <translation>保存流程</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Recent &amp;Flows</source>
        <translation>最近的流程(&amp;F)</translation>
    </message>
    <message>
        <source>Recent &amp;Workspaces</source>
        <translation>最近的工作区(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Open Flow…</source>
        <translation>打开流程(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Workspace…</source>
        <translation>打开工作区(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Save Flow</source>
        <translation>保存流程(&amp;S)</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>设置(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Run &amp;One Row</source>
        <translation>运行单行(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Cancel Run</source>
        <translation>取消运行(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About Flowbench</source>
        <translation>关于 Flowbench(&amp;A)</translation>
    </message>
    <message>
        <source>Initialize</source>
        <translation>初始化</translation>
    </message>
    <message>
        <source>Experiment</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation>部署</translation>
    </message>
    <message>
        <source>Start a flow, attach data and set up connections</source>
        <translation>开始流程、附加数据并设置连接</translation>
    </message>
    <message>
        <source>Edit the flow and run it on one row</source>
        <translation>编辑流程并在单行上运行</translation>
    </message>
    <message>
        <source>Batch runs, metrics and comparisons</source>
        <translation>批量运行、指标和比较</translation>
    </message>
    <message>
        <source>Versions, approval and rollout</source>
        <translation>版本、审批和发布</translation>
    </message>
    <message>
        <source>%1 Mode</source>
        <translation>%1模式</translation>
    </message>
    <message>
        <source>Deploy — coming later</source>
        <translation>部署 — 稍后推出</translation>
    </message>
    <message>
        <source>&lt;p&gt;Version history with diffs, an approval gate backed by evaluation evidence, push to a serving gateway or Kubernetes with canary traffic, live metrics from the target, and one-action rollback.&lt;/p&gt;</source>
        <translation>&lt;p&gt;带差异的版本历史、以评估证据为依据的审批关口、以金丝雀流量推送到服务网关或 Kubernetes、来自目标的实时指标，以及一键回滚。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Open Workspace</source>
        <translation>打开工作区</translation>
    </message>
    <message>
        <source>Workspace %1</source>
        <translation>工作区 %1</translation>
    </message>
    <message>
        <source>%1 holds no flow.dag.yaml.</source>
        <translation>%1 中没有 flow.dag.yaml。</translation>
    </message>
    <message>
        <source>Open a Flow Folder (with flow.dag.yaml)</source>
        <translation>打开流程文件夹（包含 flow.dag.yaml）</translation>
    </message>
    <message>
        <source>Open or Create a Workspace Folder</source>
        <translation>打开或创建工作区文件夹</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Save the changes to %1?</source>
        <translation>保存对 %1 的更改吗？</translation>
    </message>
    <message>
        <source>Could not keep a recovery copy: %1</source>
        <translation>无法保存恢复副本：%1</translation>
    </message>
    <message>
        <source>Recover Unsaved Changes</source>
        <translation>恢复未保存的更改</translation>
    </message>
    <message>
        <source>The recovered changes could not be loaded (%1). They are kept in %2.</source>
        <translation>无法加载恢复的更改（%1）。它们仍保存在 %2 中。</translation>
    </message>
    <message>
        <source>Recovered unsaved changes from %1 — save to keep them</source>
        <translation>已恢复 %1 的未保存更改 — 请保存以保留它们</translation>
    </message>
    <message>
        <source>%1 has changes from %2 that were never saved (Flowbench did not close normally). Recover them?</source>
        <translation>%1 有 %2 时未保存的更改（Flowbench 未正常关闭）。是否恢复？</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>撤销(&amp;U)：%1</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>重做(&amp;R)：%1</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>workspace %1</source>
        <translation>工作区 %1</translation>
    </message>
    <message>
        <source>F</source>
        <translation>F</translation>
    </message>
    <message>
        <source>Fit the flow in the view</source>
        <translation>使流程适应视图</translation>
    </message>
    <message>
        <source>Ctrl+Wheel, Ctrl++ / Ctrl+-</source>
        <translation>Ctrl+滚轮，Ctrl++ / Ctrl+-</translation>
    </message>
    <message>
        <source>Zoom the flow graph</source>
        <translation>缩放流程图</translation>
    </message>
    <message>
        <source>Ctrl+0</source>
        <translation>Ctrl+0</translation>
    </message>
    <message>
        <source>Zoom to 100%</source>
        <translation>缩放到 100%</translation>
    </message>
    <message>
        <source>Space+Drag</source>
        <translation>空格+拖动</translation>
    </message>
    <message>
        <source>Pan the flow graph</source>
        <translation>平移流程图</translation>
    </message>
    <message>
        <source>Delete, Backspace</source>
        <translation>Delete、Backspace</translation>
    </message>
    <message>
        <source>Delete the selected nodes or connections</source>
        <translation>删除所选节点或连线</translation>
    </message>
    <message>
        <source>F2</source>
        <translation>F2</translation>
    </message>
    <message>
        <source>Rename the selected node</source>
        <translation>重命名所选节点</translation>
    </message>
    <message>
        <source>In the flow graph</source>
        <translation>在流程图中</translation>
    </message>
</context>
<context>
    <name>fb::ui::MoveNodesCommand</name>
    <message>
        <source>Move node</source>
        <translation>移动节点</translation>
    </message>
    <message numerus="yes">
        <source>Move %n nodes</source>
        <translation>
            <numerusform>移动 %n 个节点</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fb::ui::NodeItem</name>
    <message>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>flow inputs</source>
        <translation>流程输入</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>flow outputs</source>
        <translation>流程输出</translation>
    </message>
    <message>
        <source>aggregation</source>
        <translation>聚合</translation>
    </message>
    <message>
        <source>activate when</source>
        <translation>激活条件</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>fb::ui::NodePropertiesPanel</name>
    <message>
        <source>Select a node to see its properties.</source>
        <translation>选择一个节点以查看其属性。</translation>
    </message>
    <message>
        <source>file relative to the flow folder</source>
        <translation>相对于流程文件夹的文件</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>API</source>
        <translation>API</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>text, or a JSON list</source>
        <translation>文本或 JSON 列表</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Value or reference</source>
        <translation>值或引用</translation>
    </message>
    <message>
        <source>Add input</source>
        <translation>添加输入</translation>
    </message>
    <message>
        <source>Remove input</source>
        <translation>移除输入</translation>
    </message>
    <message>
        <source>Run only when</source>
        <translation>仅在以下情况运行</translation>
    </message>
    <message>
        <source>a literal, e.g. true</source>
        <translation>字面值，例如 true</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>引用</translation>
    </message>
    <message>
        <source>Equals</source>
        <translation>等于</translation>
    </message>
    <message>
        <source>Aggregation (runs once over all lines)</source>
        <translation>聚合（对所有行运行一次）</translation>
    </message>
    <message>
        <source>Deployment</source>
        <translation>部署名称</translation>
    </message>
    <message>
        <source>Rename node</source>
        <translation>重命名节点</translation>
    </message>
    <message>
        <source>&quot;%1&quot; cannot be used: a node name is letters, digits and underscores, starts with a letter, and is not used or referenced yet.</source>
        <translation>无法使用“%1”：节点名称只能包含字母、数字和下划线，以字母开头，且尚未被使用或引用。</translation>
    </message>
</context>
<context>
    <name>fb::ui::ProblemsModel</name>
    <message>
        <source>inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>outputs</source>
        <translation>输出</translation>
    </message>
</context>
<context>
    <name>fb::ui::PromptEditor</name>
    <message>
        <source>Prompt template</source>
        <translation>提示词模板</translation>
    </message>
    <message>
        <source>Rendered prompt preview</source>
        <translation>渲染后的提示词预览</translation>
    </message>
    <message>
        <source>The rendered messages appear here.</source>
        <translation>渲染后的消息将显示在此处。</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Select an llm or prompt node to edit its template.</source>
        <translation>选择一个 llm 或提示词节点以编辑其模板。</translation>
    </message>
    <message>
        <source>No template</source>
        <translation>无模板</translation>
    </message>
    <message>
        <source>Variables without a value: %1</source>
        <translation>没有值的变量：%1</translation>
    </message>
</context>
<context>
    <name>fb::ui::RatingBar</name>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>不通过</translation>
    </message>
    <message numerus="yes">
        <source>%n star(s)</source>
        <translation>
            <numerusform>%n 星</numerusform>
        </translation>
    </message>
    <message>
        <source>comment</source>
        <translation>评论</translation>
    </message>
    <message>
        <source>Enter your name as the rater first.</source>
        <translation>请先输入你的评审人名称。</translation>
    </message>
    <message>
        <source>Rate Line %1 %2</source>
        <translation>为第 %1 行评分：%2</translation>
    </message>
    <message>
        <source>Not rated yet.</source>
        <translation>尚未评分。</translation>
    </message>
    <message>
        <source>Rate a line:</source>
        <translation>为一行评分：</translation>
    </message>
    <message>
        <source>Rate line %1:</source>
        <translation>为第 %1 行评分：</translation>
    </message>
    <message>
        <source>as</source>
        <translation>评审人</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>你的名称</translation>
    </message>
    <message>
        <source>The name your ratings are stored under</source>
        <translation>保存评分时使用的名称</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>The output is acceptable (P)</source>
        <translation>输出可以接受 (P)</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>不通过</translation>
    </message>
    <message>
        <source>The output is not acceptable (F)</source>
        <translation>输出不可接受 (F)</translation>
    </message>
    <message numerus="yes">
        <source>%n of 5 stars (%1)</source>
        <translation>
            <numerusform>%n / 5 星 (%1)</numerusform>
        </translation>
    </message>
    <message>
        <source>Comment (C; Enter saves it)</source>
        <translation>评论（C；回车保存）</translation>
    </message>
    <message>
        <source>A run bundle is read-only: ratings cannot be added here.</source>
        <translation>运行包是只读的：无法在此添加评分。</translation>
    </message>
</context>
<context>
    <name>fb::ui::RatingsView</name>
    <message>
        <source>No judge</source>
        <translation>不使用评判器</translation>
    </message>
    <message>
        <source>Select a run to see its ratings, or two runs for their blind A/B review.</source>
        <translation>选择一次运行查看其评分，或选择两次运行查看 A/B 盲评。</translation>
    </message>
    <message>
        <source>Ratings of %1</source>
        <translation>%1 的评分</translation>
    </message>
    <message>
        <source>Agreement on pass/fail</source>
        <translation>通过/不通过的一致性</translation>
    </message>
    <message>
        <source>Agreement on stars</source>
        <translation>星级的一致性</translation>
    </message>
    <message>
        <source>Compare raters with the judge:</source>
        <translation>将评审人与评判器比较：</translation>
    </message>
    <message>
        <source>Blind A/B Review…</source>
        <translation>A/B 盲评…</translation>
    </message>
    <message>
        <source>Judge the outputs of the two selected runs line by line without knowing which run wrote which</source>
        <translation>逐行评判两次所选运行的输出，且不知道哪个输出来自哪次运行</translation>
    </message>
</context>
<context>
    <name>fb::ui::RenameNodeCommand</name>
    <message>
        <source>Rename %1 to %2</source>
        <translation>将 %1 重命名为 %2</translation>
    </message>
</context>
<context>
    <name>fb::ui::ReviewSummaryText</name>
    <message>
        <source>%1 pass, %2 fail (%3 pass)</source>
        <translation>通过 %1，不通过 %2（通过率 %3）</translation>
    </message>
    <message>
        <source>mean stars %1 (%2 rated)</source>
        <translation>平均星级 %1（%2 个评分）</translation>
    </message>
    <message numerus="yes">
        <source>%n comment(s)</source>
        <translation>
            <numerusform>%n 条评论</numerusform>
        </translation>
    </message>
    <message>
        <source>No ratings yet: select a line in &quot;Lines of the Selected Run&quot; and press P, F or 1–5.</source>
        <translation>尚无评分：在“所选运行的行”中选择一行，然后按 P、F 或 1–5。</translation>
    </message>
    <message>
        <source>lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Cohen&apos;s kappa</source>
        <translation>Cohen kappa</translation>
    </message>
    <message>
        <source>undefined</source>
        <translation>无定义</translation>
    </message>
    <message>
        <source>worse than chance</source>
        <translation>差于随机</translation>
    </message>
    <message>
        <source>slight agreement</source>
        <translation>轻微一致</translation>
    </message>
    <message>
        <source>fair agreement</source>
        <translation>一般一致</translation>
    </message>
    <message>
        <source>moderate agreement</source>
        <translation>中等一致</translation>
    </message>
    <message>
        <source>substantial agreement</source>
        <translation>高度一致</translation>
    </message>
    <message>
        <source>almost perfect agreement</source>
        <translation>几乎完全一致</translation>
    </message>
    <message>
        <source>Blind A/B review: A = %1, B = %2</source>
        <translation>A/B 盲评：A = %1，B = %2</translation>
    </message>
    <message>
        <source>No preferences recorded yet.</source>
        <translation>尚未记录任何选择。</translation>
    </message>
    <message>
        <source>Every choice so far is a tie.</source>
        <translation>目前所有选择都是平局。</translation>
    </message>
    <message>
        <source>Raters prefer %1: %2 of the decided choices, p = %3 (sign test).</source>
        <translation>评审人更偏好 %1：占已决选择的 %2，p = %3（符号检验）。</translation>
    </message>
    <message>
        <source>No significant preference: %1 got %2 of the decided choices, p = %3 (sign test).</source>
        <translation>无显著偏好：%1 获得已决选择的 %2，p = %3（符号检验）。</translation>
    </message>
    <message>
        <source>rater</source>
        <translation>评审人</translation>
    </message>
    <message>
        <source>tie</source>
        <translation>平局</translation>
    </message>
    <message>
        <source>left chosen</source>
        <translation>选左侧</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Position bias: %1 of the decided choices went to the output on the left.</source>
        <translation>位置偏差：已决选择中有 %1 选了左侧的输出。</translation>
    </message>
    <message>
        <source>Agreement between raters</source>
        <translation>评审人之间的一致性</translation>
    </message>
    <message numerus="yes">
        <source>Fleiss&apos; kappa over %n line(s) judged by every rater: %1 (%2).</source>
        <translation>
            <numerusform>所有评审人都评过的 %n 行上的 Fleiss kappa：%1（%2）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Fleiss&apos; kappa: no line was judged by every rater yet.</source>
        <translation>Fleiss kappa：尚无被所有评审人评过的行。</translation>
    </message>
    <message>
        <source>Raters against the judge %1 (it prefers the better result)</source>
        <translation>评审人与评判器 %1 比较（它偏好结果更好的一方）</translation>
    </message>
    <message>
        <source>judge</source>
        <translation>评判器</translation>
    </message>
    <message>
        <source>No ratings of this kind yet.</source>
        <translation>尚无此类评分。</translation>
    </message>
    <message numerus="yes">
        <source>%n rater(s) on %1 line(s).</source>
        <translation>
            <numerusform>%n 位评审人，%1 行。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Fleiss&apos; kappa over %n line(s) rated by every rater: %1 (%2).</source>
        <translation>
            <numerusform>所有评审人都评过的 %n 行上的 Fleiss kappa：%1（%2）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Fleiss&apos; kappa: no line was rated by every rater yet.</source>
        <translation>Fleiss kappa：尚无被所有评审人评过的行。</translation>
    </message>
    <message>
        <source>judge %1</source>
        <translation>评判器 %1</translation>
    </message>
</context>
<context>
    <name>fb::ui::RunChartBuilder</name>
    <message>
        <source>Pass rate (%)</source>
        <translation>通过率（%）</translation>
    </message>
    <message>
        <source>Mean score</source>
        <translation>平均分</translation>
    </message>
    <message>
        <source>Quality: %1 (mean with 95 % interval)</source>
        <translation>质量：%1（均值及 95% 区间）</translation>
    </message>
    <message>
        <source>no evaluator</source>
        <translation>无评估器</translation>
    </message>
    <message>
        <source>These runs have no evaluator scores.</source>
        <translation>这些运行没有评估器分数。</translation>
    </message>
    <message>
        <source>No run has scores of %1.</source>
        <translation>没有运行具有 %1 的分数。</translation>
    </message>
    <message>
        <source>Pass rate</source>
        <translation>通过率</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>LLM calls</source>
        <translation>LLM 调用</translation>
    </message>
    <message>
        <source>Line latency</source>
        <translation>行延迟</translation>
    </message>
    <message>
        <source>Line latency (ms)</source>
        <translation>行延迟（毫秒）</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Time to first token (TTFT)</source>
        <translation>首个令牌时间（TTFT）</translation>
    </message>
    <message>
        <source>Time to first token (ms)</source>
        <translation>首个令牌时间（毫秒）</translation>
    </message>
    <message>
        <source>Time per output token (TPOT)</source>
        <translation>每个输出令牌时间（TPOT）</translation>
    </message>
    <message>
        <source>Time per output token (ms)</source>
        <translation>每个输出令牌时间（毫秒）</translation>
    </message>
    <message>
        <source>%1: nothing recorded.</source>
        <translation>%1：没有记录。</translation>
    </message>
    <message>
        <source>%1 %2 ms</source>
        <translation>%1 %2 毫秒</translation>
    </message>
    <message>
        <source>%1: %2 of %3 values are above p99.5 (%4 ms) and not drawn; the largest is %5 ms.</source>
        <translation>%1：%3 个值中有 %2 个高于 p99.5（%4 毫秒），未绘制；最大值为 %5 毫秒。</translation>
    </message>
    <message>
        <source>Cost per run</source>
        <translation>每次运行成本</translation>
    </message>
    <message>
        <source>Cost per 1,000 lines (USD)</source>
        <translation>每千行成本（美元）</translation>
    </message>
    <message>
        <source>Total cost (USD)</source>
        <translation>总成本（美元）</translation>
    </message>
    <message>
        <source>%1: %2 lines have no price and are not counted.</source>
        <translation>%1：%2 行没有价格，未计入。</translation>
    </message>
    <message>
        <source>Quality vs cost: %1</source>
        <translation>质量与成本：%1</translation>
    </message>
    <message>
        <source>No run has both a price and scores of %1.</source>
        <translation>没有运行同时具有价格和 %1 的分数。</translation>
    </message>
    <message>
        <source>Pareto front</source>
        <translation>帕累托前沿</translation>
    </message>
    <message>
        <source>Pass rate of %1 (%)</source>
        <translation>%1 的通过率（%）</translation>
    </message>
    <message>
        <source>Mean score of %1</source>
        <translation>%1 的平均分</translation>
    </message>
    <message>
        <source>p50 line latency (ms)</source>
        <translation>p50 行延迟（毫秒）</translation>
    </message>
    <message>
        <source>p95 line latency (ms)</source>
        <translation>p95 行延迟（毫秒）</translation>
    </message>
    <message>
        <source>Trend over the runs of %1</source>
        <translation>%1 各次运行的趋势</translation>
    </message>
    <message>
        <source>No run of this flow has this figure.</source>
        <translation>此流程没有运行具有该数值。</translation>
    </message>
    <message>
        <source>Run, oldest first</source>
        <translation>运行（从最早开始）</translation>
    </message>
</context>
<context>
    <name>fb::ui::RunChartsView</name>
    <message>
        <source>Select runs to chart.</source>
        <translation>请选择要绘图的运行。</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>The chart could not be computed: %1</source>
        <translation>无法计算图表：%1</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>A chart exported from Flowbench</source>
        <translation>从 Flowbench 导出的图表</translation>
    </message>
    <message>
        <source>Export Chart as SVG</source>
        <translation>将图表导出为 SVG</translation>
    </message>
    <message>
        <source>Export Chart as PNG</source>
        <translation>将图表导出为 PNG</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>&amp;Chart:</source>
        <translation>图表(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Evaluator:</source>
        <translation>评估器(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Metric:</source>
        <translation>指标(&amp;M)：</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Export SVG…</source>
        <translation>导出 SVG…</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>TPOT</source>
        <translation>TPOT</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <source>Quality vs cost</source>
        <translation>质量与成本</translation>
    </message>
    <message>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <source>p50 latency</source>
        <translation>p50 延迟</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>p95 延迟</translation>
    </message>
    <message>
        <source>Cost per 1,000 lines</source>
        <translation>每千行成本</translation>
    </message>
</context>
<context>
    <name>fb::ui::RunPanel</name>
    <message>
        <source>Inputs (JSON)</source>
        <translation>输入（JSON）</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>跟踪</translation>
    </message>
    <message>
        <source>Row:</source>
        <translation>行：</translation>
    </message>
    <message>
        <source>Simulator</source>
        <translation>模拟器</translation>
    </message>
    <message>
        <source>Workspace connections</source>
        <translation>工作区连接</translation>
    </message>
    <message>
        <source>Where llm nodes send their calls</source>
        <translation>llm 节点发送调用的目标</translation>
    </message>
    <message>
        <source>SIMULATED</source>
        <translation>模拟</translation>
    </message>
    <message>
        <source>Answers come from flowbench-sim, not from a real model</source>
        <translation>回答来自 flowbench-sim，并非真实模型</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel the run (Esc)</source>
        <translation>取消运行（Esc）</translation>
    </message>
    <message>
        <source>Run ▶</source>
        <translation>运行 ▶</translation>
    </message>
    <message>
        <source>Run the flow on these inputs (Ctrl+Return)</source>
        <translation>使用这些输入运行流程（Ctrl+Return）</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>{&quot;question&quot;: &quot;…&quot;}</source>
        <translation>{&quot;question&quot;: &quot;…&quot;}</translation>
    </message>
    <message>
        <source>Row %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <source>No dataset attached — type the inputs</source>
        <translation>未附加数据集 — 请输入输入值</translation>
    </message>
    <message>
        <source>The inputs must be a JSON object, e.g. {&quot;question&quot;: &quot;…&quot;}.</source>
        <translation>输入必须是 JSON 对象，例如 {&quot;question&quot;: &quot;…&quot;}。</translation>
    </message>
    <message>
        <source>Open a flow first.</source>
        <translation>请先打开一个流程。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Running %1…</source>
        <translation>正在运行 %1…</translation>
    </message>
    <message>
        <source>cancelled before it started</source>
        <translation>在开始前已取消</translation>
    </message>
    <message>
        <source>Starting the simulator…</source>
        <translation>正在启动模拟器…</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Completed in %1 ms</source>
        <translation>已完成，用时 %1 毫秒</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>simulated</source>
        <translation>模拟</translation>
    </message>
    <message>
        <source>Flow outputs:</source>
        <translation>流程输出：</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Rendered prompt</source>
        <translation>渲染后的提示词</translation>
    </message>
    <message>
        <source>Model call</source>
        <translation>模型调用</translation>
    </message>
    <message>
        <source>model %1 · TTFT %2 ms · TPOT %3 ms · latency %4 ms · tokens %5 → %6%7 · attempts %8</source>
        <translation>模型 %1 · TTFT %2 毫秒 · TPOT %3 毫秒 · 延迟 %4 毫秒 · 令牌 %5 → %6%7 · 尝试 %8 次</translation>
    </message>
    <message>
        <source> (estimated)</source>
        <translation>（估计）</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Prices: %1</source>
        <translation>价格：%1</translation>
    </message>
    <message>
        <source>Edited inputs</source>
        <translation>手动编辑的输入</translation>
    </message>
    <message>
        <source>SIMULATED answer (flowbench-sim)</source>
        <translation>模拟的回答（flowbench-sim）</translation>
    </message>
    <message>
        <source>Answered by flowbench-sim at %1, not by a real model</source>
        <translation>由 %1 上的 flowbench-sim 回答，而非真实模型</translation>
    </message>
    <message>
        <source>Answered by %1</source>
        <translation>回答来自：%1</translation>
    </message>
    <message>
        <source>No workspace is open, so the connection %1 is unknown. Open a workspace (File ▸ Open Workspace) and add it in Initialize ▸ Connections, or choose Simulator.</source>
        <translation>未打开工作区，因此连接 %1 未知。请打开工作区（文件 ▸ 打开工作区）并在 初始化 ▸ 连接 中添加它，或选择模拟器。</translation>
    </message>
    <message>
        <source>The flow uses the connection %1, which this workspace does not have. Add it in Initialize ▸ Connections, or choose Simulator.</source>
        <translation>流程使用连接 %1，但此工作区中没有该连接。请在 初始化 ▸ 连接 中添加它，或选择模拟器。</translation>
    </message>
    <message>
        <source>The whole message is in the trace detail.</source>
        <translation>完整消息见跟踪详情。</translation>
    </message>
    <message>
        <source>Answered by</source>
        <translation>回答方</translation>
    </message>
</context>
<context>
    <name>fb::ui::RunResultsModel</name>
    <message>
        <source>There is no experiment store at %1.</source>
        <translation>%1 处没有实验存储。</translation>
    </message>
    <message>
        <source>Sorting by text needs every line&apos;s text: runs of more than %L1 lines sort by line, status, scores, latency, tokens and cost.</source>
        <translation>按文本排序需要读取每一行的文本：超过 %L1 行的运行只能按行号、状态、分数、延迟、令牌和成本排序。</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Flow input “%1”</source>
        <translation>流程输入“%1”</translation>
    </message>
    <message>
        <source>Flow output “%1”</source>
        <translation>流程输出“%1”</translation>
    </message>
    <message>
        <source>Score of the evaluator “%1”</source>
        <translation>评估器“%1”的分数</translation>
    </message>
    <message>
        <source>Time the line took, from its start to its last node&apos;s end</source>
        <translation>该行耗时，从开始到最后一个节点结束</translation>
    </message>
    <message>
        <source>Prompt and completion tokens of the line&apos;s model calls</source>
        <translation>该行模型调用的提示和补全令牌</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>fb::ui::RunResultsView</name>
    <message>
        <source>Line %1 could not be read: %2</source>
        <translation>无法读取第 %1 行：%2</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>显示(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Threshold:</source>
        <translation>阈值(&amp;T)：</translation>
    </message>
    <message>
        <source>A line passes an evaluator when its score is at least this</source>
        <translation>分数不低于此值时该行通过评估器</translation>
    </message>
    <message>
        <source>Double-click a line, or press Enter on it, to see its nodes.</source>
        <translation>双击某行或在其上按 Enter 以查看其节点。</translation>
    </message>
    <message>
        <source>All lines</source>
        <translation>所有行</translation>
    </message>
    <message>
        <source>Failed only</source>
        <translation>仅失败</translation>
    </message>
    <message>
        <source>%1: passed (≥ threshold)</source>
        <translation>%1：通过（≥ 阈值）</translation>
    </message>
    <message>
        <source>%1: not passed (&lt; threshold)</source>
        <translation>%1：未通过（&lt; 阈值）</translation>
    </message>
    <message>
        <source>Could not read the run: %1</source>
        <translation>无法读取运行：%1</translation>
    </message>
    <message>
        <source>Loading the run&apos;s lines…</source>
        <translation>正在加载运行的行…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln lines</source>
        <translation>
            <numerusform>%Ln 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed</source>
        <translation>
            <numerusform>%Ln 失败</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · %2 · sorting…</source>
        <translation>%1 · %2 · 正在排序…</translation>
    </message>
    <message>
        <source>%1 · %2 · filtering…</source>
        <translation>%1 · %2 · 正在筛选…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln shown</source>
        <translation>
            <numerusform>显示 %Ln</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 · %3</source>
        <translation>%1 / %2 · %3</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Reading line %1…</source>
        <translation>正在读取第 %1 行…</translation>
    </message>
    <message>
        <source>Line %1 · %2</source>
        <translation>第 %1 行 · %2</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>Inputs:</source>
        <translation>输入：</translation>
    </message>
    <message>
        <source>Outputs:</source>
        <translation>输出：</translation>
    </message>
    <message>
        <source>Scores:</source>
        <translation>分数：</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: %2 (passed)</source>
        <translation>%1：%2（通过）</translation>
    </message>
    <message>
        <source>%1: %2 (not passed)</source>
        <translation>%1：%2（未通过）</translation>
    </message>
    <message>
        <source>LLM calls:</source>
        <translation>LLM 调用：</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 → %4 tokens · %5 ms · HTTP %6</source>
        <translation>%1 · %2 · %3 → %4 个令牌 · %5 毫秒 · HTTP %6</translation>
    </message>
</context>
<context>
    <name>fb::ui::RunsModel</name>
    <message>
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Failed</source>
        <comment>lines</comment>
        <translation>失败行</translation>
    </message>
</context>
<context>
    <name>fb::ui::SecretStore</name>
    <message>
        <source>FLOWBENCH_SECRET_STORE=file</source>
        <translation>FLOWBENCH_SECRET_STORE=file</translation>
    </message>
    <message>
        <source>Secrets are kept in the system keychain.</source>
        <translation>密钥保存在系统钥匙串中。</translation>
    </message>
    <message>
        <source>Not encrypted — no keychain service found. Secrets are kept in %1, readable only by you.</source>
        <translation>未加密 — 未找到钥匙串服务。密钥保存在 %1 中，仅您可读取。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot replace %1.</source>
        <translation>无法替换 %1。</translation>
    </message>
    <message>
        <source>Looking for a keychain service for secrets…</source>
        <translation>正在查找用于保存密钥的钥匙串服务…</translation>
    </message>
</context>
<context>
    <name>fb::ui::SetNodeCommand</name>
    <message>
        <source>Edit %1</source>
        <translation>编辑 %1</translation>
    </message>
    <message>
        <source>Edit %1 of %2</source>
        <translation>编辑 %2 的 %1</translation>
    </message>
</context>
<context>
    <name>fb::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Follow the desktop</source>
        <translation>跟随桌面</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
    <message>
        <source>Changes apply at once and are remembered.</source>
        <translation>更改会立即生效并被记住。</translation>
    </message>
</context>
<context>
    <name>fb::ui::TemplateEditCommand</name>
    <message>
        <source>Edit %1</source>
        <translation>编辑 %1</translation>
    </message>
</context>
<context>
    <name>fb::ui::TraceModel</name>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Bypassed</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>TPOT</source>
        <translation>TPOT</translation>
    </message>
    <message>
        <source>Retries</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <source>$0 (sim.)</source>
        <translation>$0（模拟）</translation>
    </message>
    <message>
        <source>Time to first token</source>
        <translation>首个 token 的时间</translation>
    </message>
    <message>
        <source>Time per output token after the first</source>
        <translation>首个之后每个输出 token 的时间</translation>
    </message>
    <message>
        <source>Prompt tokens → completion tokens</source>
        <translation>提示词 token → 补全 token</translation>
    </message>
    <message>
        <source>Attempts after the first (429, 5xx, timeouts)</source>
        <translation>首次之后的尝试（429、5xx、超时）</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token 数</translation>
    </message>
</context>
<context>
    <name>fb::ui::VariantCommand</name>
    <message>
        <source>There is no node named %1.</source>
        <translation>没有名为 %1 的节点。</translation>
    </message>
    <message>
        <source>New variant of %1</source>
        <translation>%1 的新变体</translation>
    </message>
    <message>
        <source>Only llm and prompt nodes have variants.</source>
        <translation>只有 llm 和提示词节点有变体。</translation>
    </message>
    <message>
        <source>Node %1 has no variant %2.</source>
        <translation>节点 %1 没有变体 %2。</translation>
    </message>
    <message>
        <source>Rename variant %1 to %2</source>
        <translation>将变体 %1 重命名为 %2</translation>
    </message>
    <message>
        <source>Node %1 has no variants.</source>
        <translation>节点 %1 没有变体。</translation>
    </message>
    <message>
        <source>A variant name uses letters, digits and underscores only.</source>
        <translation>变体名称只能使用字母、数字和下划线。</translation>
    </message>
    <message>
        <source>Node %1 already has a variant %2.</source>
        <translation>节点 %1 已有变体 %2。</translation>
    </message>
    <message>
        <source>Describe variant %1</source>
        <translation>描述变体 %1</translation>
    </message>
    <message>
        <source>Make %1 the default variant of %2</source>
        <translation>将 %1 设为 %2 的默认变体</translation>
    </message>
    <message>
        <source>Delete variant %1</source>
        <translation>删除变体 %1</translation>
    </message>
    <message>
        <source>The last variant of a node cannot be deleted.</source>
        <translation>无法删除节点的最后一个变体。</translation>
    </message>
</context>
<context>
    <name>fb::ui::VariantDiffDialog</name>
    <message>
        <source>Compare variants of %1</source>
        <translation>比较 %1 的变体</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) differ.</source>
        <translation>
            <numerusform>%n 行不同。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fb::ui::VariantTabBar</name>
    <message>
        <source>Variants:</source>
        <translation>变体：</translation>
    </message>
    <message>
        <source>New variant from the current one</source>
        <translation>基于当前变体新建</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Describe…</source>
        <translation>描述…</translation>
    </message>
    <message>
        <source>Make default</source>
        <translation>设为默认</translation>
    </message>
    <message>
        <source>Compare…</source>
        <translation>比较…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>%1 (default)</source>
        <translation>%1（默认）</translation>
    </message>
    <message>
        <source>single variant</source>
        <translation>单一变体</translation>
    </message>
    <message>
        <source>Press + to create a second variant of this node.</source>
        <translation>按 + 为此节点创建第二个变体。</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Rename variant</source>
        <translation>重命名变体</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <source>Describe %1</source>
        <translation>描述 %1</translation>
    </message>
    <message>
        <source>What this variant tries, and what you learned from it.</source>
        <translation>此变体尝试了什么，以及您从中学到了什么。</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>fb::ui::Workspace</name>
    <message>
        <source>Cannot create the workspace folder %1.</source>
        <translation>无法创建工作区文件夹 %1。</translation>
    </message>
</context>
</TS>
