#include <core/cli/comparecommand.h>

#include <core/cli/bundlecommand.h>
#include <core/cli/cliapp.h>
#include <core/cli/commandline.h>
#include <core/cli/texttable.h>
#include <core/cli/reportcommand.h>
#include <core/cli/runcommand.h>
#include <core/report/compareverdict.h>
#include <core/report/jsonreport.h>
#include <core/report/reportdata.h>
#include <core/store/experimentstore.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <ostream>

namespace fb {

namespace {

int code(ExitCode c) { return int(c); }

std::string fmt(const char *format, double v) { return TextTable::number(format, v); }

std::string ms(const Distribution &d, double Distribution::*field)
{
    if (d.count == 0) {
        return "-";
    }
    const double v = d.*field;
    return v >= 1000 ? fmt("%.2f s", v / 1000.0) : fmt("%.0f ms", v);
}

std::string usd(const std::optional<double> &v)
{
    if (!v) {
        return "unknown";
    }
    return *v >= 0.01 ? fmt("$%.4f", *v) : fmt("$%.6f", *v);
}

std::string interval(const MeanInterval &m, bool percent)
{
    const double k = percent ? 100.0 : 1.0;
    const char *f = percent ? "%.1f" : "%.3f";
    return fmt(f, m.interval.estimate * k) + (percent ? "%" : "") + " ["
           + fmt(f, m.interval.lower * k) + ", " + fmt(f, m.interval.upper * k) + "]";
}

std::string pText(const std::optional<double> &p)
{
    if (!p) {
        return "-";
    }
    return *p < 0.001 ? std::string("<0.001") : fmt("%.3f", *p);
}


std::string letter(std::size_t i)
{
    return i < 26 ? std::string(1, char('A' + i)) : "R" + std::to_string(i + 1);
}

/// A p-value in a sentence: "p = 0.41", "p = 0.003", "p < 0.001".
std::string pSentence(double p)
{
    if (p < 0.001) {
        return "p < 0.001";
    }
    return p < 0.01 ? fmt("p = %.3f", p) : fmt("p = %.2f", p);
}

/// A verdict's effect in its unit: "+27.5 pp", "-0.042", "+120 ms", "+0.15 USD per 1,000 lines".
std::string effectText(const MetricVerdict &v)
{
    const double e = v.effect.value_or(0.0);
    switch (v.kind) {
    case VerdictMetric::PassRate:
        return fmt("%+.1f pp", e);
    case VerdictMetric::Score:
        return fmt("%+.3f", e);
    case VerdictMetric::Latency:
        return fmt("%+.0f ms", e);
    case VerdictMetric::Cost:
        return fmt("%+.4g USD per 1,000 lines", e);
    }
    return fmt("%+g", e);
}

/// One verdict in English, e.g. "variant_1 is better on exact_match: +27.5 pp, p = 0.003
/// (Holm)" or "variant_1: no significant difference in latency: +12 ms, p = 0.41 (Holm)".
std::string verdictSentence(const MetricVerdict &v)
{
    const std::string tested
        = effectText(v) + ", " + pSentence(v.adjustedPValue.value_or(1.0)) + " (Holm)";
    switch (v.direction) {
    case VerdictDirection::Better:
        return v.candidate + " is better on " + v.metric + ": " + tested;
    case VerdictDirection::Worse:
        return v.candidate + " is worse on " + v.metric + ": " + tested;
    case VerdictDirection::NoSignificantDifference:
        return v.candidate + ": no significant difference in " + v.metric + ": " + tested;
    case VerdictDirection::NotTested:
        break;
    }
    const char *why = v.kind == VerdictMetric::Latency ? "no line durations in both runs"
                      : v.kind == VerdictMetric::Cost  ? "no priced lines in both runs"
                                                       : "no paired results";
    return v.candidate + ": " + v.metric + " not tested (" + why + ")";
}

/// A comparability warning in English.
std::string warningSentence(const ComparabilityWarning &w)
{
    std::string runs;
    for (std::size_t i = 1; i < w.runs.size(); ++i) {
        runs += (i > 1 ? ", " : "") + w.runs[i];
    }
    std::string what;
    switch (w.issue) {
    case ComparabilityIssue::DatasetVersion:
        what = "a different dataset version";
        break;
    case ComparabilityIssue::EvaluatorSettings:
        what = "different evaluator settings (";
        for (std::size_t i = 0; i < w.evaluators.size(); ++i) {
            what += (i ? ", " : "") + w.evaluators[i];
        }
        what += ")";
        break;
    case ComparabilityIssue::ColumnMapping:
        what = "a different column mapping";
        break;
    case ComparabilityIssue::SimulatedAndReal:
        what = "simulated answers where the baseline has real ones, or the reverse";
        break;
    }
    return "warning: " + runs + (w.runs.size() > 2 ? " have " : " has ") + what + " than "
           + w.runs.front() + "; their verdicts may not mean what they say";
}

} // namespace

int CompareCommand::run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    CommandLine cl(
        "flowbench-cli compare RUN RUN... [--store FILE] [--json] [--experiment] [--alpha A]",
        "Compares runs (by name, or #ID) of the experiment store over the dataset rows they\n"
        "share, aligned by line index: per run the line counts, latency p50/p95 and cost per\n"
        "line; per evaluator the mean score or pass rate with its 95 % bootstrap interval; per\n"
        "pair of runs (all pairs up to four runs, else the first run against each) the paired\n"
        "test (McNemar for pass/fail, paired bootstrap for scores), its p-value, the effect\n"
        "(pass-rate difference or Cohen's d) and win/tie/loss of the later run against the\n"
        "earlier. Scores come from built-in evaluators and from evaluation runs of these runs.\n"
        "Then a verdict per run and metric against the first run (the baseline): better, worse\n"
        "or no significant difference on each shared evaluator, on latency (paired test of line\n"
        "durations; lower is better) and on cost per 1,000 lines (lower is better), with the\n"
        "p-values Holm-corrected over all of these tests at once; and a warning when runs differ\n"
        "in dataset version, evaluator settings, column mapping or simulated answers.",
        {{"store", "FILE",
          "experiment store, or a run bundle read-only (default "
              + std::string(RunCommand::kDefaultStore) + ")",
          false},
         {"json", {}, "print statistics and comparisons as JSON", false},
         {"experiment", {}, "also include every other run of the given runs' experiments", false},
         {"alpha", "A", "significance level of the verdicts, after Holm (default 0.05)", false}});
    if (auto r = cl.parse(args); !r) {
        err << "flowbench-cli compare: " << r.error().message << "\n";
        return code(ExitCode::Usage);
    }
    if (cl.has("help")) {
        out << cl.help();
        return code(ExitCode::Ok);
    }
    if (cl.positionals().empty()) {
        err << "flowbench-cli compare: expected RUN RUN...\n\n" << cl.help();
        return code(ExitCode::Usage);
    }
    auto alpha = cl.number("alpha", 0.05, 1e-9, 0.5);
    if (!alpha) {
        err << "flowbench-cli compare: " << alpha.error().message << "\n";
        return code(ExitCode::Usage);
    }
    const std::string storePath = cl.value("store", RunCommand::kDefaultStore);
    if (!std::filesystem::exists(storePath)) {
        err << "flowbench-cli compare: no experiment store at " << storePath
            << " (run a flow first, or pass --store FILE)\n";
        return code(ExitCode::Environment);
    }
    auto store = BundleCommand::openForReading(storePath);
    if (!store) {
        err << store.error().message << "\n";
        return code(ExitCode::Environment);
    }
    auto runs = ReportCommand::resolveRuns(*store, cl.positionals(), cl.has("experiment"), err);
    if (!runs) {
        return code(ExitCode::Usage);
    }
    if (runs->size() < 2) {
        err << "flowbench-cli compare: expected at least two different runs\n";
        return code(ExitCode::Usage);
    }
    auto data = ReportData::collect(*store, *runs);
    if (!data) {
        err << "flowbench-cli compare: " << data.error().message << "\n";
        return code(ExitCode::RunFailed);
    }
    // The verdicts: the first run against each other one (every report pairs the first run
    // with all the others), Holm-corrected together.
    std::vector<RunComparison> fromBaseline;
    std::vector<RunSummary> summaries;
    for (const auto &s : data->statistics) {
        summaries.push_back(s.run);
    }
    for (const auto &c : data->comparisons) {
        if (c.baseline.id == summaries.front().id) {
            fromBaseline.push_back(c);
        }
    }
    CompareVerdictOptions verdictOptions;
    verdictOptions.alpha = *alpha;
    auto verdicts = CompareVerdict::judge(fromBaseline, verdictOptions);
    if (!verdicts) {
        err << "flowbench-cli compare: " << verdicts.error().message << "\n";
        return code(ExitCode::RunFailed);
    }
    const auto warnings = CompareVerdict::comparability(summaries);

    if (cl.has("json")) {
        auto doc = JsonReport::build(*store, *data, JsonReportOptions{});
        if (!doc) {
            err << "flowbench-cli compare: " << doc.error().message << "\n";
            return code(ExitCode::RunFailed);
        }
        (*doc)["verdicts"] = verdicts->toJson();
        (*doc)["comparability"] = Value::array();
        for (const auto &w : warnings) {
            (*doc)["comparability"].push_back(w.toJson());
        }
        out << doc->dump(2, ' ', false, Value::error_handler_t::replace) << "\n";
        return code(ExitCode::Ok);
    }

    const auto &stats = data->statistics;
    std::string flows;
    for (const auto &s : stats) {
        if (flows.find("'" + s.run.flowName + "'") == std::string::npos) {
            flows += (flows.empty() ? "'" : ", '") + s.run.flowName + "'";
        }
    }
    out << "Comparing " << stats.size() << " runs of " << flows << " over "
        << stats.front().linesTotal << " rows";
    if (data->anySimulated()) {
        out << "  [SIMULATED model answers (flowbench-sim)]";
    }
    out << "\n\n";

    std::vector<std::vector<std::string>> table{
        {"", "run", "variants", "completed", "failed", "latency p50", "p95", "cost/line"}};
    for (std::size_t i = 0; i < stats.size(); ++i) {
        const auto &s = stats[i];
        std::string variants;
        for (const auto &[node, id] : s.run.variants.items()) {
            variants += (variants.empty() ? "" : ",") + node + "="
                        + (id.is_string() ? id.get<std::string>() : id.dump());
        }
        table.push_back({letter(i), s.run.name, variants.empty() ? "default" : variants,
                         std::to_string(s.linesCompleted), std::to_string(s.linesFailed),
                         ms(s.lineLatencyMs, &Distribution::p50),
                         ms(s.lineLatencyMs, &Distribution::p95), usd(s.costPerLineUsd)});
    }
    TextTable::print(out, table);

    const auto names = data->evaluatorNames();
    out << "\nQuality (mean score or pass rate, 95% CI)\n";
    if (names.empty()) {
        out << "  no evaluator results: run built-in evaluators or an evaluation flow over "
               "these runs\n";
    } else {
        table = {{"evaluator"}};
        for (std::size_t i = 0; i < stats.size(); ++i) {
            table[0].push_back(letter(i));
        }
        for (const auto &name : names) {
            for (int kind = 0; kind < 2; ++kind) {
                std::vector<std::string> row{name + (kind == 0 ? " pass rate" : " score")};
                bool any = false;
                for (const auto &s : stats) {
                    const auto *e = s.evaluator(name);
                    const auto &m = e ? (kind == 0 ? e->passRate : e->meanScore) : std::nullopt;
                    any = any || m.has_value();
                    row.push_back(m ? interval(*m, kind == 0) + " n=" + std::to_string(m->n)
                                    : std::string("-"));
                }
                if (any) {
                    table.push_back(row);
                }
            }
        }
        TextTable::print(out, table);
    }

    out << "\nPairs (delta = later run - earlier run, on the rows both have)\n";
    table = {{"pair", "evaluator", "delta", "test", "p", "effect", "win/tie/loss"}};
    std::vector<std::vector<std::string>> rows{{"pair", "shared rows", "outputs differ",
                                                "failed only in", "mean latency", "tokens",
                                                "cost"}};
    bool anyEvaluator = false;
    for (const auto &c : data->comparisons) {
        std::size_t a = 0;
        std::size_t b = 0;
        for (std::size_t i = 0; i < stats.size(); ++i) {
            a = stats[i].run.id == c.baseline.id ? i : a;
            b = stats[i].run.id == c.candidate.id ? i : b;
        }
        const std::string pair = letter(a) + " -> " + letter(b);
        for (const auto &e : c.evaluators) {
            anyEvaluator = true;
            std::string delta = "-";
            if (e.baselinePassRate && e.candidatePassRate) {
                delta = fmt("%+.1f pp", (*e.candidatePassRate - *e.baselinePassRate) * 100.0);
            } else if (e.bootstrap) {
                delta = fmt("%+.3f", e.bootstrap->meanDifference.estimate) + " ["
                        + fmt("%+.3f", e.bootstrap->meanDifference.lower) + ", "
                        + fmt("%+.3f", e.bootstrap->meanDifference.upper) + "]";
            }
            std::string effect = "-";
            if (const auto v = e.effect()) {
                effect = e.effectName() == "Cohen's d" ? fmt("d=%+.2f", *v)
                                                       : fmt("%+.1f pp", *v * 100.0);
            }
            const auto p = e.pValue();
            table.push_back(
                {pair, e.name, delta, e.testName(), pText(p) + (p && *p < 0.05 ? " *" : ""), effect,
                 std::to_string(e.winTieLoss.wins) + "/" + std::to_string(e.winTieLoss.ties) + "/"
                     + std::to_string(e.winTieLoss.losses)});
        }
        rows.push_back(
            {pair, std::to_string(c.sharedLines),
             std::to_string(c.outputDifferences) + " of " + std::to_string(c.bothCompleted),
             letter(a) + ": " + std::to_string(c.onlyBaselineFailed) + ", " + letter(b) + ": "
                 + std::to_string(c.onlyCandidateFailed),
             c.meanLatencyDeltaMs ? fmt("%+.0f ms", *c.meanLatencyDeltaMs) : std::string("-"),
             fmt("%+.0f", double(c.candidateTokens - c.baselineTokens)),
             c.pricedLines > 0 ? fmt("%+.6f USD", c.candidateCostUsd - c.baselineCostUsd)
                               : std::string("unknown")});
    }
    if (anyEvaluator) {
        TextTable::print(out, table);
        out << "\n";
    }
    TextTable::print(out, rows);
    out << "\n* p < 0.05. McNemar: pass/fail; paired bootstrap: scores. Effects: pass-rate "
           "difference (pp) or Cohen's d.\n";

    out << "\nVerdicts against A (" << verdicts->baseline() << "), Holm-corrected over "
        << verdicts->testCount() << (verdicts->testCount() == 1 ? " test" : " tests") << ", alpha "
        << fmt("%g", verdicts->alpha()) << "\n";
    for (const auto &w : warnings) {
        out << "  " << warningSentence(w) << "\n";
    }
    for (const auto &v : verdicts->verdicts()) {
        out << "  " << verdictSentence(v) << "\n";
    }
    return code(ExitCode::Ok);
}

} // namespace fb
