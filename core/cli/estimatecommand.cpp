#include <core/cli/estimatecommand.h>

#include <core/cli/cliapp.h>
#include <core/cli/commandline.h>
#include <core/cli/runcommand.h>
#include <core/cost/pricetable.h>
#include <core/estimate/runestimator.h>
#include <core/exec/pythonrunner.h>
#include <core/flow/flowloader.h>
#include <core/flow/flowvalidator.h>
#include <core/llm/connectionstore.h>
#include <core/store/experimentstore.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <ostream>
#include <sstream>

namespace fb {

namespace {

int code(ExitCode c) { return int(c); }

/// 1234567 -> "1,234,567".
std::string grouped(double value)
{
    const long long v = std::llround(value);
    std::string digits = std::to_string(v < 0 ? -v : v);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return (v < 0 ? "-" : "") + out;
}

std::string usd(double v)
{
    char buf[64];
    if (v == 0) {
        return "$0";
    }
    std::snprintf(buf, sizeof buf, v < 0.01 ? "$%.5f" : v < 100 ? "$%.4f" : "$%.2f", v);
    return buf;
}

std::string duration(double seconds)
{
    char buf[64];
    if (seconds < 60) {
        std::snprintf(buf, sizeof buf, "%.1f s", seconds);
    } else if (seconds < 3600) {
        std::snprintf(buf, sizeof buf, "%d min %02d s", int(seconds) / 60, int(seconds) % 60);
    } else {
        std::snprintf(buf, sizeof buf, "%d h %02d min", int(seconds) / 3600,
                      (int(seconds) % 3600) / 60);
    }
    return buf;
}

std::string range(const std::string &low, const std::string &high)
{
    return low == high ? low : low + " - " + high;
}

std::string selectionLabel(const VariantSelection &variants)
{
    if (variants.empty()) {
        return "(no variants)";
    }
    std::string label;
    for (const auto &[node, id] : variants) {
        label += (label.empty() ? "" : ", ") + node + "=" + id;
    }
    return label;
}

/// Left-aligned text table.
std::string table(const std::vector<std::vector<std::string>> &rows)
{
    std::vector<std::size_t> widths;
    for (const auto &r : rows) {
        widths.resize(std::max(widths.size(), r.size()), 0);
        for (std::size_t i = 0; i < r.size(); ++i) {
            widths[i] = std::max(widths[i], r[i].size());
        }
    }
    std::string out;
    for (const auto &r : rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) {
            line += r[i];
            if (i + 1 < r.size()) {
                line += std::string(widths[i] - r[i].size() + 2, ' ');
            }
        }
        out += "  " + line + "\n";
    }
    return out;
}

/// Every combination of the variants named on the command line: several --variant values
/// for the same node are alternatives, different nodes multiply.
std::vector<VariantSelection>
crossProduct(const std::map<std::string, std::vector<std::string>> &byNode)
{
    std::vector<VariantSelection> out = {VariantSelection{}};
    for (const auto &[node, ids] : byNode) {
        std::vector<VariantSelection> next;
        for (const auto &partial : out) {
            for (const auto &id : ids) {
                VariantSelection s = partial;
                s[node] = id;
                next.push_back(std::move(s));
            }
        }
        out = std::move(next);
    }
    return out;
}

} // namespace

std::string EstimateCommand::formatTable(const RunEstimate &e)
{
    std::ostringstream out;
    out << "estimate: " << e.flow << " over " << e.data << "\n";
    out << "  " << grouped(double(e.totalRows)) << " rows"
        << (e.sampled ? " (" + grouped(double(e.sampledRows)) + " sampled, figures extrapolated)"
                      : " (all rendered)")
        << "; concurrency " << e.concurrency << "; rpm "
        << (e.requestsPerMinute > 0 ? grouped(e.requestsPerMinute) : "-") << "; tpm "
        << (e.tokensPerMinute > 0 ? grouped(e.tokensPerMinute) : "-") << "; pricing "
        << e.pricingVersion << "\n\n";

    std::vector<std::vector<std::string>> rows
        = {{"variants", "calls", "prompt tokens", "completion tokens", "cost (USD)", "wall time"}};
    auto costText = [](double low, double high, bool complete) {
        return range(usd(low), usd(high)) + (complete ? "" : " (+ unpriced)");
    };
    for (const auto &s : e.selections) {
        rows.push_back({selectionLabel(s.variants), grouped(double(s.calls)),
                        grouped(s.promptTokens),
                        range(grouped(s.completionTokensLow), grouped(s.completionTokensHigh)),
                        costText(s.costLowUsd, s.costHighUsd, s.unpricedModels.empty()),
                        range(duration(s.wallTimeLow.seconds), duration(s.wallTimeHigh.seconds))
                            + " (" + s.wallTimeHigh.bound + ")"});
    }
    if (e.selections.size() > 1) {
        rows.push_back({"total (one scheduler)", grouped(double(e.calls)), grouped(e.promptTokens),
                        range(grouped(e.completionTokensLow), grouped(e.completionTokensHigh)),
                        costText(e.costLowUsd, e.costHighUsd, e.costComplete),
                        range(duration(e.wallTimeLow.seconds), duration(e.wallTimeHigh.seconds))
                            + " (" + e.wallTimeHigh.bound + ")"});
    }
    out << table(rows) << "\n";

    std::vector<std::vector<std::string>> nodes
        = {{"node", "model", "priced as", "prompt tokens/call", "counting", "max_tokens",
            "completion low", "cost/call (USD)"}};
    for (const auto &s : e.selections) {
        for (const auto &n : s.nodes) {
            const std::string perCall = n.costLowUsd && n.calls > 0
                                            ? range(usd(*n.costLowUsd / double(n.calls)),
                                                    usd(*n.costHighUsd / double(n.calls)))
                                            : "-";
            nodes.push_back(
                {n.node + (n.variantId.empty() ? "" : " (" + n.variantId + ")"), n.model,
                 n.pricedAs.empty() ? "NO PRICE" : n.pricedAs + (n.simulated ? " (SIMULATED)" : ""),
                 grouped(n.meanPromptTokens) + " mean, " + grouped(double(n.maxPromptTokens))
                     + " max",
                 std::string(tokenCountingName(n.counting))
                     + (n.encoding.empty() ? "" : " (" + n.encoding + ")"),
                 n.maxTokens ? std::to_string(*n.maxTokens) : "not set",
                 std::string(completionSourceName(n.completionLowSource)), perCall});
        }
    }
    out << table(nodes);
    if (!e.notes.empty()) {
        out << "\nassumptions:\n";
        for (const auto &note : e.notes) {
            out << "  - " << note << "\n";
        }
    }
    return out.str();
}

int EstimateCommand::run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    CommandLine cl(
        "flowbench-cli estimate FLOW --data FILE [--variant '${node.variant_id}' ...] "
        "[--all-variants] [--column-mapping INPUT=VALUE ...] [--concurrency N] [--rpm N] "
        "[--tpm N] [--sample N] [--from-run NAME ...] [--completion-tokens N] [--latency S] "
        "[--connections PATH ...] [--simulator] [--run-python] [--pricing FILE] [--json]",
        "Estimates what running FLOW over a dataset will take, before any call: LLM calls,\n"
        "prompt tokens (every llm node's prompt rendered per row and counted with the model's\n"
        "tokenizer), completion tokens (low: past runs' mean or 1/4 of max_tokens; high:\n"
        "max_tokens), cost from the price table (resources/pricing.json, overridden by\n"
        "flowbench.pricing.json or .flowbench/pricing.json in the current folder), and wall time\n"
        "= max(calls x latency / concurrency, calls / RPM, tokens / TPM). Several --variant\n"
        "values for one node, or --all-variants, estimate an experiment's cross-product.\n"
        "Datasets above --sample rows are sampled and extrapolated (it says so). Python nodes\n"
        "are not run unless --run-python: their output is taken to be their text inputs.",
        {{"data", "FILE", "the dataset", false},
         {"variant", "'${node.variant_id}'", "variant(s) to estimate (repeatable)", true},
         {"all-variants", {}, "every combination of every node's variants", false},
         {"column-mapping", "INPUT=VALUE", "map flow inputs to columns or literals", true},
         {"concurrency", "N", "lines in flight at once (default 16)", false},
         {"rpm", "N", "requests per minute limit (default: none)", false},
         {"tpm", "N", "tokens per minute limit (default: none)", false},
         {"sample", "N", "rows rendered at most (default 1000)", false},
         {"from-run", "NAME", "take completion tokens and latency from stored runs", true},
         {"store", "FILE",
          "experiment store for --from-run (default " + std::string(RunCommand::kDefaultStore)
              + ")",
          false},
         {"completion-tokens", "N", "mean completion tokens per call (instead of past runs)",
          false},
         {"latency", "SECONDS", "latency per call (default: past runs, else 1 s)", false},
         {"connections", "PATH", "connection YAML file or folder (repeatable)", true},
         {"simulator", {}, "price the calls as the bundled simulator (flowbench-sim)", false},
         {"run-python",
          {},
          "run python nodes for exact prompts (their side effects happen)",
          false},
         {"pricing", "FILE", "an extra price override file (after the workspace's)", false},
         {"skip-bad-rows", {}, "skip malformed dataset rows instead of stopping", false},
         {"json", {}, "print the estimate as JSON", false}});
    if (auto r = cl.parse(args); !r) {
        err << "flowbench-cli estimate: " << r.error().message << "\n";
        return code(ExitCode::Usage);
    }
    if (cl.has("help")) {
        out << cl.help();
        return code(ExitCode::Ok);
    }
    if (cl.positionals().size() != 1 || !cl.has("data")) {
        err << "flowbench-cli estimate: expected FLOW and --data FILE\n\n" << cl.help();
        return code(ExitCode::Usage);
    }
    auto number = [&](const char *name, double fallback, double minimum) -> std::optional<double> {
        if (!cl.has(name)) {
            return fallback;
        }
        char *end = nullptr;
        const std::string text = cl.value(name);
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !std::isfinite(v) || v < minimum) {
            err << "flowbench-cli estimate: --" << name << " expects a number >= " << minimum
                << ", got '" << text << "'\n";
            return std::nullopt;
        }
        return v;
    };
    const auto concurrency = number("concurrency", 16, 1);
    const auto rpm = number("rpm", 0, 0);
    const auto tpm = number("tpm", 0, 0);
    const auto sample = number("sample", 1000, 1);
    const auto completion = number("completion-tokens", -1, 0);
    const auto latency = number("latency", -1, 0);
    if (!concurrency || !rpm || !tpm || !sample || !completion || !latency) {
        return code(ExitCode::Usage);
    }

    auto flow = FlowLoader::load(cl.positionals()[0]);
    if (!flow) {
        err << flow.error().message << "\n";
        return code(ExitCode::InvalidFlow);
    }
    const auto diagnostics = FlowValidator::validate(*flow);
    for (const auto &d : diagnostics) {
        err << d.toString() << "\n";
    }
    if (hasErrors(diagnostics)) {
        return code(ExitCode::InvalidFlow);
    }

    // Variant selections.
    std::vector<VariantSelection> selections;
    if (cl.has("all-variants")) {
        if (cl.has("variant")) {
            err << "flowbench-cli estimate: give --variant or --all-variants, not both\n";
            return code(ExitCode::Usage);
        }
        selections = RunEstimator::allVariantSelections(*flow);
    } else {
        std::map<std::string, std::vector<std::string>> byNode;
        for (const auto &v : cl.values("variant")) {
            auto parsed = VariantResolver::parseSelection(v);
            if (!parsed) {
                err << "flowbench-cli estimate: --variant: " << parsed.error().message << "\n";
                return code(ExitCode::Usage);
            }
            for (const auto &[node, id] : *parsed) {
                auto &ids = byNode[node];
                if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
                    ids.push_back(id);
                }
            }
        }
        selections = crossProduct(byNode);
    }

    auto mapping = ColumnMapping::parse(cl.values("column-mapping"));
    if (!mapping) {
        err << "flowbench-cli estimate: " << mapping.error().message << "\n";
        return code(ExitCode::Usage);
    }

    // Prices: built in, the workspace's override, then --pricing.
    auto prices = PriceTable::forWorkspace(std::filesystem::current_path());
    if (!prices) {
        err << prices.error().message << "\n";
        return code(ExitCode::Environment);
    }
    if (cl.has("pricing")) {
        if (auto r = prices->merge(cl.value("pricing")); !r) {
            err << r.error().message << "\n";
            return code(ExitCode::Usage);
        }
    }

    ConnectionStore connections;
    for (const auto &path : cl.values("connections")) {
        std::error_code ec;
        auto r = std::filesystem::is_directory(path, ec) ? connections.loadDirectory(path)
                                                         : connections.loadFile(path);
        if (!r) {
            err << r.error().message << "\n";
            return code(ExitCode::Environment);
        }
    }

    EstimateOptions options;
    options.sampleRows = std::size_t(*sample);
    options.concurrency = int(*concurrency);
    options.requestsPerMinute = *rpm;
    options.tokensPerMinute = *tpm;
    options.simulated = cl.has("simulator");
    options.onBadRow = cl.has("skip-bad-rows") ? OnBadRow::Skip : OnBadRow::Stop;
    if (*completion >= 0) {
        options.meanCompletionTokens = *completion;
        options.pastSource = "--completion-tokens";
    }
    if (*latency >= 0) {
        options.meanLatencySeconds = *latency;
    }

    // Past runs: mean completion tokens and latency per node (and per node variant).
    if (cl.has("from-run")) {
        auto store = ExperimentStore::open(cl.value("store", RunCommand::kDefaultStore));
        if (!store) {
            err << store.error().message << "\n";
            return code(ExitCode::Environment);
        }
        struct Sum
        {
            double completion = 0;
            double latencyS = 0;
            std::int64_t calls = 0;
            std::int64_t timed = 0;
        };
        std::map<std::string, Sum> sums;
        std::string names;
        for (const auto &name : cl.values("from-run")) {
            auto run = store->findRunByName(name);
            if (!run) {
                err << "flowbench-cli estimate: --from-run: " << run.error().message << "\n";
                return code(ExitCode::Usage);
            }
            const std::string flowName
                = flow->name.empty() ? flow->dir.filename().string() : flow->name;
            if (run->flowName != flowName) {
                err << "warning: run '" << name << "' is of flow '" << run->flowName << "', not '"
                    << flowName << "'\n";
            }
            auto calls = store->llmCalls(run->id);
            if (!calls) {
                err << calls.error().message << "\n";
                return code(ExitCode::Environment);
            }
            for (const auto &c : *calls) {
                if (c.cacheHit) {
                    continue;
                }
                std::vector<std::string> keys = {c.node};
                if (run->variants.contains(c.node) && run->variants[c.node].is_string()) {
                    keys.push_back(c.node + "." + run->variants[c.node].get<std::string>());
                }
                for (const auto &key : keys) {
                    Sum &s = sums[key];
                    s.completion += double(c.completionTokens);
                    ++s.calls;
                    if (c.latencyMs) {
                        s.latencyS += *c.latencyMs / 1000.0;
                        ++s.timed;
                    }
                }
            }
            names += (names.empty() ? "run " : ", ") + name;
        }
        for (const auto &[key, s] : sums) {
            PastCallStats stats;
            stats.calls = s.calls;
            stats.meanCompletionTokens = s.completion / double(s.calls);
            if (s.timed > 0) {
                stats.meanLatencySeconds = s.latencyS / double(s.timed);
            }
            options.pastByNode[key] = stats;
        }
        if (sums.empty()) {
            err << "warning: --from-run: no LLM calls stored for " << names << "\n";
        }
        options.pastSource = names;
    }

    PythonRunner python;
    if (cl.has("run-python")) {
        options.pythonNodes = PythonNodeMode::Run;
        options.python = &python;
    }

    const RunEstimator estimator(std::move(*prices), &connections);
    auto estimate = estimator.estimate(*flow, cl.value("data"), *mapping, selections, options);
    if (!estimate) {
        err << "flowbench-cli estimate: " << estimate.error().message << "\n";
        return code(estimate.error().code == ErrorCode::Validation ? ExitCode::InvalidFlow
                                                                   : ExitCode::Usage);
    }
    if (cl.has("json")) {
        out << estimate->toJson().dump(2, ' ', false, Value::error_handler_t::replace) << "\n";
    } else {
        out << formatTable(*estimate);
    }
    return code(ExitCode::Ok);
}

} // namespace fb
