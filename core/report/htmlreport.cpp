#include <core/report/htmlreport.h>

#include <core/common/fileio.h>
#include <core/report/reportdata.h>
#include <core/report/reportformat_p.h>
#include <core/report/svgchart.h>
#include <core/report/worddiff.h>
#include <core/store/experimentstore.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <set>

namespace fb {

namespace {

using F = ReportFormat;

const char *kStyle = R"css(
:root { --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --soft:#f5f7fa; --accent:#0b5cad;
        --good:#0f7b3f; --bad:#b42318; --warn:#b54708; }
* { box-sizing: border-box; }
html { background:#fff; }
body { margin:0 auto; max-width:1240px; padding:28px 32px 48px; color:var(--ink);
       font:14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size:26px; margin:2px 0 6px; letter-spacing:-0.01em; }
h2 { font-size:19px; margin:36px 0 10px; padding-bottom:6px; border-bottom:2px solid var(--line); }
h3 { font-size:15px; margin:20px 0 8px; }
p { margin:6px 0; }
.eyebrow { text-transform:uppercase; letter-spacing:0.08em; font-size:11px; color:var(--muted); font-weight:600; }
.meta { color:var(--muted); }
.note { color:var(--muted); font-size:12.5px; }
.banner { margin:12px 0; padding:10px 14px; border-radius:6px; background:#fff7e6; border:1px solid #f7c873; color:#7a4b00; }
.banner.info { background:#eef4fb; border-color:#b6cfea; color:#17406b; }
nav.toc { margin:14px 0 0; font-size:13px; }
nav.toc a { color:var(--accent); text-decoration:none; margin-right:14px; }
table { border-collapse:collapse; width:100%; margin:8px 0 4px; font-size:13px; }
th, td { padding:6px 9px; border-bottom:1px solid var(--line); text-align:left; vertical-align:top; }
th { background:var(--soft); font-weight:600; color:#323f4b; }
tbody tr:nth-child(even) td { background:#fbfcfd; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
td.group { background:#eef2f6 !important; font-weight:600; color:#323f4b; }
.ci { color:var(--muted); font-size:12px; white-space:nowrap; }
.best { font-weight:700; }
.swatch { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:6px; vertical-align:baseline; }
.tag { display:inline-block; padding:0 6px; border-radius:9px; font-size:11.5px; background:var(--soft); border:1px solid var(--line); color:var(--muted); white-space:nowrap; }
.tag.pass { background:#e7f6ec; border-color:#a6dcb8; color:var(--good); }
.tag.fail { background:#fdecea; border-color:#f4b8b2; color:var(--bad); }
.tag.sim { background:#fff7e6; border-color:#f7c873; color:#7a4b00; }
.sig { color:var(--good); font-weight:700; }
.worse { color:var(--bad); font-weight:700; }
.charts { display:grid; grid-template-columns:repeat(auto-fit, minmax(480px, 1fr)); gap:14px; }
.chart-card { border:1px solid var(--line); border-radius:8px; padding:6px; background:#fff; }
svg.chart { width:100%; height:auto; display:block; }
.rows td { font-size:12.5px; }
.rows td.cell { min-width:180px; }
.rows tr.differs td:first-child { box-shadow: inset 3px 0 0 #f0b429; }
.k { display:block; color:var(--muted); font-size:11px; margin-top:4px; }
.v { white-space:pre-wrap; word-break:break-word; }
ins { background:#d3f5dc; text-decoration:none; border-radius:2px; }
del { background:#fde2e1; color:#8a1c14; border-radius:2px; }
.err { color:var(--bad); white-space:pre-wrap; word-break:break-word; }
.cut { color:var(--muted); font-style:italic; }
code { font:12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background:var(--soft); padding:0 4px; border-radius:3px; }
footer { margin-top:40px; padding-top:12px; border-top:1px solid var(--line); color:var(--muted); font-size:12px; }
@media print {
  body { max-width:none; padding:0; font-size:11px; }
  nav.toc { display:none; }
  h2 { break-after:avoid; }
  tr, .chart-card { break-inside:avoid; }
  .charts { display:block; }
  .chart-card { margin-bottom:10px; }
  tbody tr:nth-child(even) td { background:none; }
}
)css";

std::string esc(std::string_view s) { return F::escape(s); }

std::string swatch(std::size_t series)
{
    return "<span class=\"swatch\" style=\"background:" + SvgChart::color(series) + "\"></span>";
}

std::string runHeader(const RunStatistics &s, std::size_t i)
{
    return "<th class=\"num\">" + swatch(i) + esc(s.run.name) + "</th>";
}

std::string intervalCell(const std::optional<MeanInterval> &m, bool percent, bool best)
{
    if (!m) {
        return "<td class=\"num\">\xE2\x80\x93</td>";
    }
    auto fmt = [&](double v) { return percent ? F::percent(v) : F::number(v, 3); };
    return std::string("<td class=\"num") + (best ? " best" : "") + "\">"
           + fmt(m->interval.estimate) + " <span class=\"ci\">[" + fmt(m->interval.lower) + ", "
           + fmt(m->interval.upper) + "] n=" + F::count(std::int64_t(m->n)) + "</span></td>";
}

std::string numCell(const std::string &text) { return "<td class=\"num\">" + text + "</td>"; }

/// A value as text, cut to `maxBytes`, escaped; with a note when cut.
std::string shownText(const std::string &text, std::size_t maxBytes)
{
    bool cut = false;
    std::string shown = F::truncate(text, maxBytes, &cut);
    std::string out = esc(shown);
    if (cut) {
        out += "<span class=\"cut\"> \xE2\x80\xA6 ("
               + F::count(std::int64_t(text.size() - shown.size())) + " more bytes)</span>";
    }
    return out;
}

std::string diffText(const std::string &before, const std::string &after, std::size_t maxBytes)
{
    bool cutA = false;
    bool cutB = false;
    const std::string a = F::truncate(before, maxBytes, &cutA);
    const std::string b = F::truncate(after, maxBytes, &cutB);
    std::string out;
    for (const auto &seg : WordDiff::diff(a, b)) {
        switch (seg.kind) {
        case DiffSegment::Kind::Same:
            out += esc(seg.text);
            break;
        case DiffSegment::Kind::Added:
            out += "<ins>" + esc(seg.text) + "</ins>";
            break;
        case DiffSegment::Kind::Removed:
            out += "<del>" + esc(seg.text) + "</del>";
            break;
        }
    }
    if (cutB) {
        out += "<span class=\"cut\"> \xE2\x80\xA6 ("
               + F::count(std::int64_t(after.size() - b.size())) + " more bytes)</span>";
    }
    return out;
}

/// The headline quality figure of an evaluator in a run: pass rate if it has verdicts.
const MeanInterval *headline(const EvaluatorStatistics &e, bool *percent)
{
    if (e.passRate) {
        *percent = true;
        return &*e.passRate;
    }
    if (e.meanScore) {
        *percent = false;
        return &*e.meanScore;
    }
    return nullptr;
}

class Page
{
public:
    Page(ExperimentStore &store, const ReportData &data, const HtmlReportOptions &options)
        : m_store(store)
        , m_data(data)
        , m_options(options)
    {
    }

    Result<std::string> render();

private:
    void header();
    void runsTable();
    void summary();
    void charts();
    void significance();
    void metrics();
    void review();
    void failures();
    Result<void> rows();
    void footer();

    ExperimentStore &m_store;
    const ReportData &m_data;
    const HtmlReportOptions &m_options;
    std::string m_out;
};

Result<std::string> Page::render()
{
    std::set<std::string> flows;
    for (const auto &s : m_data.statistics) {
        flows.insert(s.run.flowName);
    }
    std::string flowText;
    for (const auto &f : flows) {
        flowText += (flowText.empty() ? "" : ", ") + f;
    }
    const std::string title
        = m_options.title.empty() ? "Flowbench report: " + flowText : m_options.title;
    m_out.reserve(256 * 1024);
    m_out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             "<meta name=\"generator\" content=\"flowbench\">\n<title>"
             + esc(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
    m_out += "<header>\n<div class=\"eyebrow\">Flowbench evaluation report</div>\n<h1>"
             + esc(m_options.title.empty() ? flowText : m_options.title) + "</h1>\n";
    header();
    m_out += "</header>\n<main>\n";
    runsTable();
    summary();
    charts();
    significance();
    metrics();
    review();
    failures();
    if (auto ok = rows(); !ok) {
        return ok.error();
    }
    m_out += "</main>\n";
    footer();
    m_out += "</body>\n</html>\n";
    return std::move(m_out);
}

void Page::header()
{
    const auto &stats = m_data.statistics;
    std::set<std::int64_t> datasets;
    for (const auto &s : stats) {
        datasets.insert(s.run.datasetId ? s.run.datasetId->value : 0);
    }
    const std::int64_t generated
        = m_options.generatedAtMs.value_or(std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count());
    std::string dataset;
    if (datasets.size() == 1) {
        const std::int64_t id = *datasets.begin();
        dataset = id > 0 ? "dataset version #" + std::to_string(id) + " ("
                               + F::count(stats.front().linesTotal) + " rows)"
                         : "no dataset recorded";
    } else {
        dataset = std::to_string(datasets.size()) + " different datasets";
    }
    m_out += "<p class=\"meta\">" + std::to_string(stats.size())
             + (stats.size() == 1 ? " run" : " runs") + " \xC2\xB7 " + esc(dataset)
             + " \xC2\xB7 generated " + esc(F::dateUtc(generated)) + "</p>\n";
    m_out += "<p class=\"meta\">Variants: ";
    for (std::size_t i = 0; i < stats.size(); ++i) {
        m_out += (i ? " \xC2\xB7 " : "") + swatch(i) + "<strong>" + esc(stats[i].run.name)
                 + "</strong> <code>" + esc(F::variants(stats[i].run.variants)) + "</code>";
    }
    m_out += "</p>\n";
    if (m_data.anySimulated()) {
        m_out += "<div class=\"banner\"><strong>Simulated (flowbench-sim).</strong> ";
        std::size_t simulated = 0;
        for (const auto &s : stats) {
            simulated += s.isSimulated() ? 1 : 0;
        }
        m_out += simulated == stats.size()
                     ? std::string("Every run here used the bundled LLM simulator: answers, "
                                   "latencies and token counts are synthetic.")
                     : std::to_string(simulated) + " of " + std::to_string(stats.size())
                           + " runs used the bundled LLM simulator (marked "
                             "<span class=\"tag sim\">simulated</span>); their answers and "
                             "timings are synthetic.";
        m_out += "</div>\n";
    }
    if (datasets.size() > 1) {
        m_out += "<div class=\"banner\">These runs used different datasets: comparisons pair "
                 "rows by line index, which is only meaningful for the same rows.</div>\n";
    }
    m_out += "<nav class=\"toc\"><a href=\"#runs\">Runs</a><a href=\"#summary\">Summary</a>"
             "<a href=\"#charts\">Charts</a>";
    if (!m_data.comparisons.empty()) {
        m_out += "<a href=\"#significance\">Significance</a>";
    }
    if (m_data.anyReview()) {
        m_out += "<a href=\"#review\">Human review</a>";
    }
    m_out += "<a href=\"#failures\">Failures</a><a href=\"#rows\">Rows</a></nav>\n";
}

void Page::runsTable()
{
    m_out += "<section id=\"runs\">\n<h2>Runs</h2>\n<table>\n<thead><tr><th>Run</th><th>Variants"
             "</th><th>Status</th><th class=\"num\">Completed</th><th class=\"num\">Failed</th>"
             "<th class=\"num\">Rows</th><th>Created</th><th class=\"num\">Wall time</th>"
             "<th>Evaluated by</th></tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < m_data.statistics.size(); ++i) {
        const auto &s = m_data.statistics[i];
        std::string evals;
        for (const auto &e : s.evaluationRuns) {
            evals += (evals.empty() ? "" : ", ") + esc(e);
        }
        m_out += "<tr><td>" + swatch(i) + "<strong>" + esc(s.run.name) + "</strong>"
                 + (s.isSimulated() ? " <span class=\"tag sim\">simulated</span>" : "")
                 + "</td><td><code>" + esc(F::variants(s.run.variants)) + "</code></td><td>"
                 + esc(runStateName(s.run.status)) + "</td>" + numCell(F::count(s.linesCompleted))
                 + numCell(F::count(s.linesFailed)) + numCell(F::count(s.linesTotal)) + "<td>"
                 + esc(F::dateUtc(s.run.createdAtMs)) + "</td>"
                 + numCell(s.wallSeconds ? F::duration(*s.wallSeconds * 1000.0)
                                         : std::string("\xE2\x80\x93"))
                 + "<td>" + (evals.empty() ? std::string("\xE2\x80\x93") : evals) + "</td></tr>\n";
    }
    m_out += "</tbody>\n</table>\n</section>\n";
}

void Page::summary()
{
    const auto &stats = m_data.statistics;
    const std::size_t n = stats.size();
    m_out += "<section id=\"summary\">\n<h2>Summary</h2>\n<p class=\"note\">Means with 95&nbsp;% "
             "confidence intervals in brackets; the best value of a quality row is in bold.</p>\n"
             "<table>\n<thead><tr><th>Measure</th>";
    for (std::size_t i = 0; i < n; ++i) {
        m_out += runHeader(stats[i], i);
    }
    m_out += "</tr></thead>\n<tbody>\n";
    auto group = [&](const std::string &name) {
        m_out += "<tr><td class=\"group\" colspan=\"" + std::to_string(n + 1) + "\">" + esc(name)
                 + "</td></tr>\n";
    };
    auto row = [&](const std::string &label,
                   const std::function<std::string(const RunStatistics &)> &cell) {
        m_out += "<tr><td>" + label + "</td>";
        for (const auto &s : stats) {
            m_out += numCell(cell(s));
        }
        m_out += "</tr>\n";
    };
    const auto names = m_data.evaluatorNames();
    if (!names.empty()) {
        group("Quality");
        for (const auto &name : names) {
            for (int kind = 0; kind < 2; ++kind) {
                const bool pass = kind == 0;
                double bestValue = -INFINITY;
                bool any = false;
                for (const auto &s : stats) {
                    const auto *e = s.evaluator(name);
                    const auto &m = e ? (pass ? e->passRate : e->meanScore) : std::nullopt;
                    if (m) {
                        any = true;
                        bestValue = std::max(bestValue, m->interval.estimate);
                    }
                }
                if (!any) {
                    continue;
                }
                m_out += "<tr><td>" + esc(name) + " <span class=\"ci\">"
                         + (pass ? "pass rate" : "mean score") + "</span></td>";
                for (const auto &s : stats) {
                    const auto *e = s.evaluator(name);
                    const auto &m = e ? (pass ? e->passRate : e->meanScore) : std::nullopt;
                    m_out += intervalCell(m, pass, n > 1 && m && m->interval.estimate == bestValue);
                }
                m_out += "</tr>\n";
            }
        }
    }
    group("Lines");
    row("Completed / failed", [](const RunStatistics &s) {
        return F::count(s.linesCompleted) + " / " + F::count(s.linesFailed);
    });
    row("Success rate", [](const RunStatistics &s) {
        return s.linesStored > 0 ? F::percent(double(s.linesCompleted) / double(s.linesStored))
                                 : std::string("\xE2\x80\x93");
    });
    group("Latency (p50 / p95 / p99)");
    auto dist = [](const Distribution &d) {
        return d.count == 0
                   ? std::string("\xE2\x80\x93")
                   : F::duration(d.p50) + " / " + F::duration(d.p95) + " / " + F::duration(d.p99);
    };
    row("Line", [&](const RunStatistics &s) { return dist(s.lineLatencyMs); });
    row("LLM call", [&](const RunStatistics &s) { return dist(s.callLatencyMs); });
    row("Time to first token", [&](const RunStatistics &s) { return dist(s.ttftMs); });
    row("Time per output token", [&](const RunStatistics &s) { return dist(s.tpotMs); });
    row("Queue wait", [&](const RunStatistics &s) { return dist(s.queueMs); });
    group("Throughput");
    row("Lines per second", [](const RunStatistics &s) {
        return s.linesPerSecond ? F::compact(*s.linesPerSecond) : std::string("\xE2\x80\x93");
    });
    row("LLM calls per second", [](const RunStatistics &s) {
        return s.callsPerSecond ? F::compact(*s.callsPerSecond) : std::string("\xE2\x80\x93");
    });
    group("Tokens and cost");
    row("Tokens in / out per line", [](const RunStatistics &s) {
        return F::compact(s.promptTokensPerLine) + " / " + F::compact(s.completionTokensPerLine);
    });
    row("Tokens in / out, total", [](const RunStatistics &s) {
        return F::count(s.promptTokens) + " / " + F::count(s.completionTokens);
    });
    row("Cost per line", [](const RunStatistics &s) {
        return s.costPerLineUsd ? F::usd(*s.costPerLineUsd) : std::string("unknown price");
    });
    row("Cost, total", [](const RunStatistics &s) {
        std::string t = s.linesWithCost > 0 ? F::usd(s.costUsd) : std::string("\xE2\x80\x93");
        if (s.linesWithoutCost > 0 && s.linesWithCost > 0) {
            t += " <span class=\"ci\">(" + F::count(s.linesWithoutCost) + " lines unpriced)</span>";
        }
        return t;
    });
    group("LLM calls");
    row("Calls", [](const RunStatistics &s) { return F::count(s.llmCalls); });
    row("Retried / HTTP 429 / cache hits", [](const RunStatistics &s) {
        return F::count(s.retriedCalls) + " / " + F::count(s.rateLimitedCalls) + " / "
               + F::count(s.cacheHits);
    });
    m_out += "</tbody>\n</table>\n</section>\n";
}

void Page::charts()
{
    const auto &stats = m_data.statistics;
    m_out += "<section id=\"charts\">\n<h2>Charts</h2>\n<div class=\"charts\">\n";
    auto card
        = [&](const std::string &svg) { m_out += "<div class=\"chart-card\">" + svg + "</div>\n"; };
    for (const auto &name : m_data.evaluatorNames()) {
        std::vector<ChartBar> bars;
        bool percent = false;
        bool allUnit = true;
        for (std::size_t i = 0; i < stats.size(); ++i) {
            const auto *e = stats[i].evaluator(name);
            if (!e) {
                continue;
            }
            bool p = false;
            const MeanInterval *m = headline(*e, &p);
            if (!m) {
                continue;
            }
            percent = percent || p;
            ChartBar b;
            b.label = stats[i].run.name;
            b.value = m->interval.estimate;
            b.low = m->interval.lower;
            b.high = m->interval.upper;
            b.series = i;
            b.valueText = p ? F::percent(b.value) : F::number(b.value, 3);
            allUnit = allUnit && b.value >= 0 && b.value <= 1 && *b.high <= 1;
            bars.push_back(b);
        }
        if (!bars.empty()) {
            card(SvgChart::bars(name + (percent ? ": pass rate, 95 % CI" : ": mean score, 95 % CI"),
                                bars, allUnit ? std::optional<double>(1.0) : std::nullopt,
                                percent));
        }
    }
    struct Metric
    {
        const char *title;
        Distribution RunStatistics::*field;
    };
    const Metric metrics[] = {{"Line latency", &RunStatistics::lineLatencyMs},
                              {"LLM call latency", &RunStatistics::callLatencyMs},
                              {"Time to first token (TTFT)", &RunStatistics::ttftMs},
                              {"Time per output token (TPOT)", &RunStatistics::tpotMs}};
    for (const auto &metric : metrics) {
        std::vector<ChartBox> boxes;
        bool any = false;
        for (std::size_t i = 0; i < stats.size(); ++i) {
            boxes.push_back(ChartBox{stats[i].run.name, stats[i].*(metric.field), i});
            any = any || (stats[i].*(metric.field)).count > 0;
        }
        if (any) {
            card(SvgChart::boxes(metric.title, boxes));
        }
    }
    // Quality against cost (or tokens when no price is known) for the first evaluator.
    const auto names = m_data.evaluatorNames();
    if (!names.empty()) {
        const bool priced = std::all_of(stats.begin(), stats.end(), [](const RunStatistics &s) {
            return s.costPerLineUsd.has_value();
        });
        std::vector<ChartPoint> points;
        bool percent = false;
        for (std::size_t i = 0; i < stats.size(); ++i) {
            const auto *e = stats[i].evaluator(names.front());
            bool p = false;
            const MeanInterval *m = e ? headline(*e, &p) : nullptr;
            if (!m) {
                continue;
            }
            percent = percent || p;
            ChartPoint pt;
            pt.label = stats[i].run.name;
            pt.x = priced ? *stats[i].costPerLineUsd
                          : stats[i].promptTokensPerLine + stats[i].completionTokensPerLine;
            pt.y = m->interval.estimate;
            pt.yLow = m->interval.lower;
            pt.yHigh = m->interval.upper;
            pt.series = i;
            points.push_back(pt);
        }
        if (!points.empty()) {
            card(SvgChart::scatter(
                "Quality vs " + std::string(priced ? "cost" : "tokens") + ": " + names.front(),
                priced ? "cost per line (USD)" : "tokens per line (in + out; no price known)",
                percent ? "pass rate" : "mean score", points, percent));
        }
    }
    m_out += "</div>\n<p class=\"note\">Bars: mean with 95&nbsp;% interval whiskers. Box plots: "
             "box from p25 to p75, line at the median, diamond at p95, whiskers from the minimum "
             "to p99.</p>\n</section>\n";
}

void Page::significance()
{
    if (m_data.comparisons.empty()) {
        return;
    }
    m_out += "<section id=\"significance\">\n<h2>Significance</h2>\n<p class=\"note\">Each pair is "
             "compared on the rows both runs have, aligned by line index. \xCE\x94 is candidate "
             "minus baseline; wins are rows where the candidate does better. Pass/fail uses "
             "McNemar's test, scores a paired bootstrap of the mean difference. "
             "Baseline and candidate figures are over the rows both runs scored. "
             "<span class=\"sig\">\xE2\x97\x8F</span> marks p&nbsp;&lt;&nbsp;0.05 (green: the "
             "candidate is better, red: worse; with many evaluators or pairs, expect some chance "
             "findings).</p>\n";
    m_out += "<table>\n<thead><tr><th>Baseline \xE2\x86\x92 candidate</th><th>Evaluator</th>"
             "<th class=\"num\">Baseline</th><th class=\"num\">Candidate</th><th class=\"num\">"
             "\xCE\x94 [95% CI]</th><th>Test</th><th class=\"num\">p</th><th class=\"num\">"
             "Effect</th><th class=\"num\">Win / tie / loss</th></tr></thead>\n<tbody>\n";
    bool anyRow = false;
    for (const auto &c : m_data.comparisons) {
        const std::string pair = "<strong>" + esc(c.baseline.name)
                                 + "</strong> \xE2\x86\x92 <strong>" + esc(c.candidate.name)
                                 + "</strong>";
        for (const auto &e : c.evaluators) {
            anyRow = true;
            const bool verdicts = e.baselinePassRate.has_value();
            const std::string base = verdicts ? F::percent(*e.baselinePassRate)
                                              : F::number(e.baselineMean.value_or(NAN), 3);
            const std::string cand = verdicts ? F::percent(*e.candidatePassRate)
                                              : F::number(e.candidateMean.value_or(NAN), 3);
            std::string delta;
            if (verdicts) {
                delta = F::signedNumber((*e.candidatePassRate - *e.baselinePassRate) * 100.0, 1)
                        + "\xC2\xA0pp";
            } else if (e.bootstrap) {
                delta = F::signedNumber(e.bootstrap->meanDifference.estimate, 3)
                        + " <span class=\"ci\">["
                        + F::signedNumber(e.bootstrap->meanDifference.lower, 3) + ", "
                        + F::signedNumber(e.bootstrap->meanDifference.upper, 3) + "]</span>";
            }
            const auto p = e.pValue();
            std::string pText = p ? F::pValue(*p) : std::string("\xE2\x80\x93");
            if (p && *p < 0.05) {
                const bool better = e.effect().value_or(0.0) > 0;
                pText = std::string("<span class=\"") + (better ? "sig" : "worse")
                        + "\">\xE2\x97\x8F " + pText + "</span>";
            }
            const auto effect = e.effect();
            std::string effectText
                = effect ? (e.effectName() == "Cohen's d"
                                ? "d = " + F::signedNumber(*effect, 2)
                                : F::signedNumber(*effect * 100.0, 1) + "\xC2\xA0pp")
                         : std::string("\xE2\x80\x93");
            m_out += "<tr><td>" + pair + "</td><td>" + esc(e.name) + "</td>" + numCell(base)
                     + numCell(cand) + numCell(delta) + "<td>" + esc(e.testName())
                     + (e.mcnemar ? " <span class=\"ci\">(" + std::to_string(e.mcnemar->onlyA)
                                        + " vs " + std::to_string(e.mcnemar->onlyB) + ")</span>"
                                  : std::string())
                     + "</td>" + numCell(pText) + numCell(esc(effectText))
                     + numCell(std::to_string(e.winTieLoss.wins) + " / "
                               + std::to_string(e.winTieLoss.ties) + " / "
                               + std::to_string(e.winTieLoss.losses))
                     + "</tr>\n";
        }
    }
    if (!anyRow) {
        m_out += "<tr><td colspan=\"9\" class=\"note\">No evaluator is shared by a pair of runs; "
                 "run built-in evaluators or an evaluation flow over each run to compare "
                 "quality.</td></tr>\n";
    }
    m_out += "</tbody>\n</table>\n";
    m_out += "<h3>Rows, latency and cost</h3>\n<table>\n<thead><tr><th>Baseline \xE2\x86\x92 "
             "candidate</th><th class=\"num\">Shared rows</th><th class=\"num\">Outputs differ"
             "</th><th class=\"num\">Failed only in baseline / candidate</th><th class=\"num\">"
             "Line latency p50</th><th class=\"num\">Line latency p95</th><th class=\"num\">"
             "\xCE\x94 mean latency</th><th class=\"num\">Tokens \xCE\x94</th><th class=\"num\">"
             "Cost \xCE\x94</th></tr></thead>\n<tbody>\n";
    for (const auto &c : m_data.comparisons) {
        const auto &a = c.baselineLatencyMs;
        const auto &b = c.candidateLatencyMs;
        auto arrow = [](const Distribution &x, const Distribution &y, double Distribution::*f) {
            if (x.count == 0 || y.count == 0) {
                return std::string("\xE2\x80\x93");
            }
            return F::duration(x.*f) + " \xE2\x86\x92 " + F::duration(y.*f);
        };
        m_out
            += "<tr><td><strong>" + esc(c.baseline.name) + "</strong> \xE2\x86\x92 <strong>"
               + esc(c.candidate.name) + "</strong></td>" + numCell(F::count(c.sharedLines))
               + numCell(F::count(c.outputDifferences) + " of " + F::count(c.bothCompleted))
               + numCell(F::count(c.onlyBaselineFailed) + " / " + F::count(c.onlyCandidateFailed))
               + numCell(arrow(a, b, &Distribution::p50)) + numCell(arrow(a, b, &Distribution::p95))
               + numCell(c.meanLatencyDeltaMs ? (*c.meanLatencyDeltaMs < 0 ? "\xE2\x88\x92" : "+")
                                                    + F::duration(std::fabs(*c.meanLatencyDeltaMs))
                                              : std::string("\xE2\x80\x93"))
               + numCell((c.candidateTokens < c.baselineTokens ? "\xE2\x88\x92" : "+")
                         + F::count(std::abs(c.candidateTokens - c.baselineTokens)))
               + numCell(c.pricedLines > 0
                             ? (c.candidateCostUsd < c.baselineCostUsd ? "\xE2\x88\x92" : "+")
                                   + F::usd(std::fabs(c.candidateCostUsd - c.baselineCostUsd))
                             : std::string("unknown price"))
               + "</tr>\n";
    }
    m_out += "</tbody>\n</table>\n</section>\n";
}

void Page::metrics()
{
    std::set<std::string> names;
    for (const auto &s : m_data.statistics) {
        for (const auto &[name, value] : s.metrics) {
            names.insert(name);
        }
    }
    if (names.empty()) {
        return;
    }
    m_out += "<section id=\"metrics\">\n<h2>Metrics</h2>\n<p class=\"note\">Values logged by "
             "aggregation nodes (<code>log_metric</code>) of the runs and of their evaluation "
             "runs.</p>\n<table>\n<thead><tr><th>Metric</th>";
    for (std::size_t i = 0; i < m_data.statistics.size(); ++i) {
        m_out += runHeader(m_data.statistics[i], i);
    }
    m_out += "</tr></thead>\n<tbody>\n";
    for (const auto &name : names) {
        m_out += "<tr><td>" + esc(name) + "</td>";
        for (const auto &s : m_data.statistics) {
            const auto it = s.metrics.find(name);
            m_out += numCell(it == s.metrics.end() ? std::string("\xE2\x80\x93")
                                                   : F::compact(it->second));
        }
        m_out += "</tr>\n";
    }
    m_out += "</tbody>\n</table>\n</section>\n";
}

void Page::review()
{
    if (!m_data.anyReview()) {
        return;
    }
    const std::string dash = "\xE2\x80\x93";
    auto kappaText = [&](const std::optional<KappaResult> &k, std::size_t lines) {
        if (!k) {
            return dash;
        }
        return (k->kappa ? F::number(*k->kappa, 3) : std::string("undefined")) + " ("
               + F::count(std::int64_t(lines)) + " lines)";
    };
    auto pairsText = [&](const RatingAgreement &a) {
        if (a.pairs.empty()) {
            return dash;
        }
        std::string text;
        for (const auto &p : a.pairs) {
            text += (text.empty() ? "" : "; ") + esc(p.first) + "&ndash;" + esc(p.second) + " "
                    + kappaText(p.kappa, p.sharedLines);
        }
        return text;
    };
    m_out += "<section id=\"review\">\n<h2>Human review</h2>\n<p class=\"note\">Each rater's last "
             "rating of a line counts. Agreement is Cohen's kappa per pair of raters and Fleiss' "
             "kappa over the lines every rater rated (1 full agreement, 0 what chance "
             "gives).</p>\n<table>\n<thead><tr><th>Rating</th>";
    for (std::size_t i = 0; i < m_data.statistics.size(); ++i) {
        m_out += runHeader(m_data.statistics[i], i);
    }
    m_out += "</tr></thead>\n<tbody>\n";
    auto row = [&](const char *title, auto cell) {
        m_out += std::string("<tr><td>") + title + "</td>";
        for (const auto &r : m_data.reviews) {
            m_out += "<td>" + cell(r) + "</td>";
        }
        m_out += "</tr>\n";
    };
    using Review = ReportData::Review;
    row("Raters", [&](const Review &r) {
        std::string names;
        for (const auto &n : r.ratings.raters) {
            names += (names.empty() ? "" : ", ") + esc(n);
        }
        return names.empty() ? dash : names;
    });
    row("Pass / fail", [&](const Review &r) {
        const auto rate = r.ratings.passRate();
        return rate ? F::count(std::int64_t(r.ratings.passes)) + " / "
                          + F::count(std::int64_t(r.ratings.fails)) + " (" + F::percent(*rate)
                          + " pass)"
                    : dash;
    });
    row("Stars (mean of 1&ndash;5)", [&](const Review &r) {
        return r.ratings.starRatings > 0
                   ? F::number(r.ratings.starsMean, 2) + " over "
                         + F::count(std::int64_t(r.ratings.starRatings))
                   : dash;
    });
    row("Comments",
        [&](const Review &r) { return F::count(std::int64_t(r.ratings.comments)); });
    row("Agreement on pass/fail", [&](const Review &r) { return pairsText(r.passFail); });
    row("Fleiss' kappa, pass/fail",
        [&](const Review &r) { return kappaText(r.passFail.fleiss, r.passFail.fleissLines); });
    row("Agreement on stars", [&](const Review &r) { return pairsText(r.stars); });
    m_out += "</tbody>\n</table>\n";
    for (const auto &p : m_data.preferences) {
        m_out += "<h3>Blind A/B: " + esc(p.nameA) + " (A) against " + esc(p.nameB)
                 + " (B)</h3>\n<table>\n<thead><tr><th>Rater</th><th>A</th><th>B</th>"
                   "<th>Tie</th><th>Left chosen</th></tr></thead>\n<tbody>\n";
        auto tallyRow = [&](const std::string &name, const PreferenceTally &t) {
            m_out += "<tr><td>" + esc(name) + "</td>" + numCell(F::count(std::int64_t(t.a)))
                     + numCell(F::count(std::int64_t(t.b)))
                     + numCell(F::count(std::int64_t(t.ties)))
                     + numCell(t.decided() == 0
                                   ? dash
                                   : F::percent(double(t.left) / double(t.decided()), 0))
                     + "</tr>\n";
        };
        for (const auto &r : p.raters) {
            tallyRow(r.rater, r.tally);
        }
        tallyRow("all", p.overall);
        m_out += "</tbody>\n</table>\n<p>Sign test (ties left out): p = " + F::pValue(p.signTestP)
                 + " on " + F::count(std::int64_t(p.overall.decided())) + " decided choices";
        if (p.fleiss) {
            m_out += "; Fleiss' kappa " + kappaText(p.fleiss, p.fleissLines);
        }
        m_out += ".</p>\n";
    }
    m_out += "</section>\n";
}

void Page::failures()
{
    m_out += "<section id=\"failures\">\n<h2>Failures</h2>\n";
    bool any = false;
    for (std::size_t i = 0; i < m_data.statistics.size(); ++i) {
        const auto &s = m_data.statistics[i];
        if (s.linesFailed == 0) {
            continue;
        }
        any = true;
        m_out += "<h3>" + swatch(i) + esc(s.run.name) + ": " + F::count(s.linesFailed)
                 + (s.linesFailed == 1 ? " failed line" : " failed lines")
                 + "</h3>\n<table>\n"
                   "<thead><tr><th>Reason</th><th class=\"num\">Lines</th><th>Examples (line)</th>"
                   "</tr></thead>\n<tbody>\n";
        for (const auto &f : s.failures) {
            std::string examples;
            for (auto l : f.exampleLines) {
                examples += (examples.empty() ? "" : ", ") + std::to_string(l);
            }
            m_out += "<tr><td class=\"err\">" + esc(f.message) + "</td>"
                     + numCell(F::count(f.count)) + "<td>" + examples + "</td></tr>\n";
        }
        if (s.otherFailures > 0) {
            m_out += "<tr><td class=\"note\">other reasons</td>"
                     + numCell(F::count(s.otherFailures)) + "<td></td></tr>\n";
        }
        m_out += "</tbody>\n</table>\n";
    }
    if (!any) {
        m_out += "<p>No line failed.</p>\n";
    }
    m_out += "</section>\n";
}

Result<void> Page::rows()
{
    const auto &stats = m_data.statistics;
    const std::int64_t cap = std::max<std::int64_t>(m_options.maxRows, 0);
    std::vector<std::map<std::int64_t, LineRecord>> lines(stats.size());
    std::set<std::int64_t> indexes;
    std::int64_t distinctRows = 0;
    for (std::size_t i = 0; i < stats.size(); ++i) {
        distinctRows = std::max(distinctRows, std::max(stats[i].linesStored, stats[i].linesTotal));
        if (cap == 0) {
            continue;
        }
        auto page = m_store.lines(stats[i].run.id, 0, cap);
        if (!page) {
            return page.error();
        }
        for (auto &l : *page) {
            indexes.insert(l.lineIndex);
            lines[i].emplace(l.lineIndex, std::move(l));
        }
    }
    std::vector<std::int64_t> shown(indexes.begin(), indexes.end());
    if (std::int64_t(shown.size()) > cap) {
        shown.resize(std::size_t(cap));
    }
    m_out += "<section id=\"rows\">\n<h2>Rows side by side</h2>\n<p class=\"note\">";
    if (std::int64_t(shown.size()) < distinctRows) {
        m_out += "Showing the first " + F::count(std::int64_t(shown.size())) + " of "
                 + F::count(distinctRows) + " rows (capped at " + F::count(cap)
                 + "; use <code>--rows N</code> for more). ";
    } else {
        m_out += "All " + F::count(std::int64_t(shown.size())) + " rows. ";
    }
    if (stats.size() > 1) {
        m_out += "Outputs that differ from the first run are marked: <ins>added words</ins>, "
                 "<del>removed words</del>; a bar at the left marks the row.";
    }
    m_out += "</p>\n<table class=\"rows\">\n<thead><tr><th class=\"num\">#</th><th>Inputs</th>";
    for (std::size_t i = 0; i < stats.size(); ++i) {
        m_out += "<th>" + swatch(i) + esc(stats[i].run.name) + "</th>";
    }
    m_out += "</tr></thead>\n<tbody>\n";
    const std::size_t maxBytes = m_options.maxCellBytes;
    for (std::int64_t index : shown) {
        const LineRecord *first = nullptr;
        for (const auto &m : lines) {
            if (auto it = m.find(index); it != m.end()) {
                first = &it->second;
                break;
            }
        }
        // Inputs (from the first run that has the row).
        std::string inputs;
        if (first && first->inputs.is_object()) {
            for (const auto &[k, v] : first->inputs.items()) {
                inputs += "<span class=\"k\">" + esc(k) + "</span><span class=\"v\">"
                          + shownText(F::valueText(v), std::min<std::size_t>(maxBytes, 600))
                          + "</span>";
            }
        }
        const LineRecord *base = nullptr;
        if (auto it = lines[0].find(index); it != lines[0].end()) {
            base = &it->second;
        }
        bool differs = false;
        std::string cells;
        for (std::size_t i = 0; i < stats.size(); ++i) {
            const auto it = lines[i].find(index);
            cells += "<td class=\"cell\">";
            if (it == lines[i].end()) {
                cells += "<span class=\"note\">not run</span></td>";
                differs = differs || i > 0;
                continue;
            }
            const LineRecord &l = it->second;
            if (l.status != kLineCompleted) {
                cells += "<span class=\"tag fail\">" + esc(l.status)
                         + "</span> <span class=\"err\">" + shownText(l.error, maxBytes)
                         + "</span>";
                differs = differs || (i > 0 && (!base || base->status != l.status));
            } else if (l.outputs.is_object()) {
                const bool labelKeys = l.outputs.size() > 1;
                for (const auto &[k, v] : l.outputs.items()) {
                    const std::string text = F::valueText(v);
                    if (labelKeys) {
                        cells += "<span class=\"k\">" + esc(k) + "</span>";
                    }
                    cells += "<span class=\"v\">";
                    const bool comparable = i > 0 && base && base->status == kLineCompleted
                                            && base->outputs.is_object();
                    if (comparable) {
                        const auto bv = base->outputs.find(k);
                        const std::string before
                            = bv == base->outputs.end() ? std::string() : F::valueText(*bv);
                        if (before != text) {
                            differs = true;
                            cells += diffText(before, text, maxBytes);
                        } else {
                            cells += shownText(text, maxBytes);
                        }
                    } else {
                        cells += shownText(text, maxBytes);
                    }
                    cells += "</span>";
                }
                if (i > 0 && base && base->status != kLineCompleted) {
                    differs = true;
                }
            }
            // Evaluator verdicts and scores of this line.
            std::string badges;
            for (const auto &column : m_data.scores[i].columns()) {
                const std::size_t pos = column.find(index);
                if (pos == EvaluatorColumn::npos) {
                    continue;
                }
                const signed char verdict = column.verdicts[pos];
                const double score = column.scores[pos];
                std::string text = column.name;
                // A score that only restates the verdict (1 = pass, 0 = fail) is not repeated.
                const bool restates = verdict >= 0 && score == double(verdict);
                if (!std::isnan(score) && !restates) {
                    text += " " + F::compact(score);
                }
                const char *cls = verdict == 1 ? "tag pass" : verdict == 0 ? "tag fail" : "tag";
                badges += std::string(" <span class=\"") + cls + "\">"
                          + (verdict == 1   ? "\xE2\x9C\x93 "
                             : verdict == 0 ? "\xE2\x9C\x97 "
                                            : "")
                          + esc(text) + "</span>";
            }
            if (!badges.empty()) {
                cells += "<div>" + badges + "</div>";
            }
            cells += "</td>";
        }
        m_out += std::string("<tr") + (differs && stats.size() > 1 ? " class=\"differs\"" : "")
                 + "><td class=\"num\">" + std::to_string(index) + "</td><td>" + inputs + "</td>"
                 + cells + "</tr>\n";
    }
    if (shown.empty()) {
        m_out += "<tr><td colspan=\"" + std::to_string(stats.size() + 2)
                 + "\" class=\"note\">No rows stored.</td></tr>\n";
    }
    m_out += "</tbody>\n</table>\n</section>\n";
    return {};
}

void Page::footer()
{
    const auto &b = m_options.stats.bootstrap;
    m_out += "<footer>Generated by Flowbench. Intervals: " + F::number(b.confidence * 100, 0)
             + "&nbsp;% percentile bootstrap of the mean (" + F::count(b.resamples)
             + " resamples, seed " + std::to_string(b.seed) + ") up to "
             + F::count(std::int64_t(m_options.stats.maxBootstrapSize))
             + " values, normal approximation above. Percentiles use linear interpolation. "
               "Latency of a line is its wall time; TTFT and TPOT come from streamed LLM "
               "calls.</footer>\n";
}

} // namespace

Result<std::string> HtmlReport::render(ExperimentStore &store, const std::vector<RunId> &runs,
                                       const HtmlReportOptions &options)
{
    auto data = ReportData::collect(store, runs, options.stats);
    if (!data) {
        return data.error();
    }
    return render(store, *data, options);
}

Result<std::string> HtmlReport::render(ExperimentStore &store, const ReportData &data,
                                       const HtmlReportOptions &options)
{
    if (data.statistics.empty() || data.scores.size() != data.statistics.size()) {
        return fail(ErrorCode::InvalidArgument, "a report needs at least one run");
    }
    Page page(store, data, options);
    return page.render();
}

Result<void> HtmlReport::write(ExperimentStore &store, const std::vector<RunId> &runs,
                               const std::string &path, const HtmlReportOptions &options)
{
    auto html = render(store, runs, options);
    if (!html) {
        return html.error();
    }
    return writeFileAtomically(path, *html);
}

} // namespace fb
