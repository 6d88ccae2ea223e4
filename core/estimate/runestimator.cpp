#include <core/estimate/runestimator.h>

#include <core/cost/costcalculator.h>
#include <core/data/datasetinfo.h>
#include <core/data/datasetreader.h>
#include <core/estimate/prompttokencounter_p.h>
#include <core/exec/nodeinvoker_p.h>
#include <core/exec/preparedflow.h>
#include <core/exec/pythonrunner.h>
#include <core/exec/valuepath_p.h>
#include <core/llm/connectionstore.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <set>

namespace fb {

namespace {

std::string formatDouble(double v, const char *fmt = "%.2f")
{
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

/// Tokens and models seen for one llm node of one selection, over the sampled rows.
struct NodeTally
{
    int index = -1;
    std::vector<std::string> models; ///< in order of first appearance
    std::string pricedModel;         ///< first model's price entry
    std::string encoding;
    bool estimated = false;        ///< some row's count is not exact
    bool unknownTokenizer = false; ///< some row's model has no known tokenizer
    bool partial = false;          ///< some row had stand-in variables
    bool simulated = false;
    std::int64_t rows = 0;
    double prompt = 0;
    std::int64_t maxPrompt = 0;
    double low = 0;
    double high = 0;
    std::optional<std::int64_t> firstMaxTokens;
    bool usedAssumedCap = false;
    bool usedPast = false;
    bool pastFromOtherVariant = false; ///< only node-level past figures for a variant node
    /// Per price entry: prompt, low and high completion totals (for the cost).
    struct Priced
    {
        ModelPrice price;
        double prompt = 0;
        double low = 0;
        double high = 0;
    };
    std::map<std::string, Priced> priced;
    std::set<std::string> unpriced;
};

/// The per-row walk through one prepared flow.
class RowWalker
{
public:
    RowWalker(const PreparedFlow &prepared, const ConnectionStore &connections,
              const PriceTable &prices, const EstimateOptions &options)
        : m_prepared(prepared)
        , m_connections(connections)
        , m_prices(prices)
        , m_options(options)
    {
        for (std::size_t i = 0; i < prepared.nodes().size(); ++i) {
            const auto &n = prepared.nodes()[i];
            if ((n.node.type == NodeType::Llm || n.node.type == NodeType::CustomLlm)
                && !n.node.aggregation) {
                NodeTally t;
                t.index = int(i);
                m_tallies.push_back(std::move(t));
            }
        }
    }

    /// Walks one row; on failure nothing of the row is counted.
    Result<void> walk(const Value &flowInputs)
    {
        const auto &nodes = m_prepared.nodes();
        std::vector<Value> outputs(nodes.size());
        std::vector<bool> exact(nodes.size(), true);
        std::vector<double> carried(nodes.size(), 0.0);
        // The nodes not run (python passed through, llm) whose stand-ins an output depends on.
        std::vector<std::set<std::string>> standIns(nodes.size());
        struct Pending
        {
            std::size_t tally;
            std::string model;
            std::optional<ModelPrice> price;
            PromptCount count;
            bool partial;
            std::optional<std::int64_t> maxTokens;
            double low;
            double high;
        };
        std::vector<Pending> pending;

        for (int index : m_prepared.topologicalOrder()) {
            const PreparedNode &node = nodes[std::size_t(index)];
            if (node.node.aggregation) {
                continue;
            }
            Value inputs = Value::object();
            std::set<std::string> fromFlowInputs;
            bool inputsExact = true;
            std::set<std::string> inputStandIns;
            double inputsCarried = 0;
            for (const auto &b : node.inputs) {
                if (!b.reference) {
                    inputs[b.name] = b.literal;
                    continue;
                }
                const Reference &ref = *b.reference;
                if (ref.kind == Reference::Kind::FlowInput) {
                    if (!flowInputs.contains(ref.name)) {
                        continue;
                    }
                    auto v = ValuePath::extract(flowInputs.at(ref.name), ref.key,
                                                "input '" + ref.name + "'");
                    if (!v) {
                        return fail(v.error().code, "node '" + node.node.name + "': input '"
                                                        + b.name + "': " + v.error().message);
                    }
                    inputs[b.name] = std::move(*v);
                    fromFlowInputs.insert(b.name);
                    continue;
                }
                const std::size_t src = std::size_t(b.sourceNode);
                inputsExact = inputsExact && exact[src];
                inputsCarried += carried[src];
                inputStandIns.insert(standIns[src].begin(), standIns[src].end());
                auto v = ValuePath::extract(outputs[src], ref.key,
                                            "output of node '" + ref.name + "'");
                if (v) {
                    inputs[b.name] = std::move(*v);
                } else if (exact[src]) {
                    return fail(v.error().code, "node '" + node.node.name + "': input '" + b.name
                                                    + "': " + v.error().message);
                } else {
                    inputs[b.name] = Value(); // a key of a stand-in output: unknown
                }
            }

            switch (node.node.type) {
            case NodeType::Prompt: {
                auto text = NodeInvoker::renderPrompt(node, inputs);
                if (!text) {
                    return std::move(text).error();
                }
                outputs[std::size_t(index)] = std::move(*text);
                exact[std::size_t(index)] = inputsExact;
                carried[std::size_t(index)] = inputsCarried;
                standIns[std::size_t(index)] = std::move(inputStandIns);
                break;
            }
            case NodeType::Python: {
                if (m_options.pythonNodes == PythonNodeMode::Run && m_options.python) {
                    const PythonCall call
                        = NodeInvoker::pythonCall(m_prepared.flow(), node, inputs, m_connections,
                                                  false, m_options.pythonTimeout);
                    auto result = m_options.python->run(call);
                    if (!result) {
                        return fail(result.error().code,
                                    "node '" + node.node.name + "': " + result.error().message);
                    }
                    outputs[std::size_t(index)] = std::move(result->output);
                    exact[std::size_t(index)] = inputsExact;
                } else {
                    outputs[std::size_t(index)] = passThrough(inputs);
                    exact[std::size_t(index)] = false;
                    inputStandIns.insert("python node '" + node.node.name + "'");
                }
                carried[std::size_t(index)] = inputsCarried;
                standIns[std::size_t(index)] = std::move(inputStandIns);
                break;
            }
            case NodeType::Llm:
            case NodeType::CustomLlm: {
                NodeTrace trace;
                const Connection *connection = nullptr;
                auto request = NodeInvoker::buildLlmRequest(node, inputs, fromFlowInputs,
                                                            m_connections, connection, trace);
                if (!request) {
                    return std::move(request).error();
                }
                Pending p;
                p.tally = tallyOf(index);
                p.model = request->model;
                p.price = m_prices.find(m_options.simulated ? "flowbench-sim:" + request->model
                                                            : request->model);
                p.count = PromptTokenCounter::count(*request, p.price ? p.price->model : "");
                p.count.tokens += std::int64_t(std::llround(inputsCarried));
                p.partial = !inputsExact;
                m_standInsUsed.insert(inputStandIns.begin(), inputStandIns.end());
                for (const char *key : {"max_completion_tokens", "max_tokens"}) {
                    if (request->parameters.contains(key)
                        && request->parameters[key].is_number_integer()) {
                        p.maxTokens = request->parameters[key].get<std::int64_t>();
                        break;
                    }
                }
                p.high = double(p.maxTokens.value_or(m_options.assumedMaxTokens));
                const std::string variantKey = node.node.name + "." + node.variantId;
                const PastCallStats *past = nullptr;
                if (auto it = m_options.pastByNode.find(variantKey);
                    !node.variantId.empty() && it != m_options.pastByNode.end()) {
                    past = &it->second;
                } else if (auto it2 = m_options.pastByNode.find(node.node.name);
                           it2 != m_options.pastByNode.end()) {
                    past = &it2->second;
                    m_tallies[p.tally].pastFromOtherVariant
                        = m_tallies[p.tally].pastFromOtherVariant || !node.variantId.empty();
                }
                if (past) {
                    p.low = past->meanCompletionTokens;
                } else if (m_options.meanCompletionTokens) {
                    p.low = *m_options.meanCompletionTokens;
                } else {
                    p.low = m_options.maxTokensFraction * p.high;
                }
                // Past answers can run longer than today's cap; the cap still bounds them.
                p.low = std::min(p.low, p.high);
                m_tallies[p.tally].usedPast
                    = m_tallies[p.tally].usedPast || past || m_options.meanCompletionTokens;
                // Downstream nodes see an empty string; its expected tokens join their prompt.
                outputs[std::size_t(index)] = std::string();
                exact[std::size_t(index)] = false;
                carried[std::size_t(index)] = p.low;
                standIns[std::size_t(index)] = {"llm node '" + node.node.name + "'"};
                pending.push_back(std::move(p));
                break;
            }
            }
        }

        for (auto &p : pending) {
            NodeTally &t = m_tallies[p.tally];
            if (std::find(t.models.begin(), t.models.end(), p.model) == t.models.end()) {
                t.models.push_back(p.model);
            }
            if (t.rows == 0) {
                t.firstMaxTokens = p.maxTokens;
                t.encoding = p.count.encoding;
                t.pricedModel = p.price ? p.price->model : std::string();
            }
            ++t.rows;
            t.estimated = t.estimated || !p.count.exact;
            t.unknownTokenizer = t.unknownTokenizer || !p.count.knowsTokenizer;
            t.partial = t.partial || p.partial;
            t.usedAssumedCap = t.usedAssumedCap || !p.maxTokens;
            t.prompt += double(p.count.tokens);
            t.maxPrompt = std::max(t.maxPrompt, p.count.tokens);
            t.low += p.low;
            t.high += p.high;
            if (p.price) {
                t.simulated = t.simulated || p.price->simulated;
                auto &priced = t.priced[p.price->model];
                priced.price = *p.price;
                priced.prompt += double(p.count.tokens);
                priced.low += p.low;
                priced.high += p.high;
            } else {
                t.unpriced.insert(p.model);
            }
        }
        return {};
    }

    [[nodiscard]] const std::vector<NodeTally> &tallies() const { return m_tallies; }
    /// The stand-ins ("python node 'x'", "llm node 'y'") some llm prompt depended on.
    [[nodiscard]] const std::set<std::string> &standInsUsed() const { return m_standInsUsed; }

private:
    std::size_t tallyOf(int index) const
    {
        for (std::size_t i = 0; i < m_tallies.size(); ++i) {
            if (m_tallies[i].index == index) {
                return i;
            }
        }
        return 0; // every llm node has a tally (built in the constructor)
    }

    static Value passThrough(const Value &inputs)
    {
        std::vector<std::string> texts;
        for (const auto &[name, value] : inputs.items()) {
            if (value.is_string()) {
                texts.push_back(value.get<std::string>());
            }
        }
        if (texts.size() == 1) {
            return texts.front();
        }
        std::string joined;
        for (const auto &t : texts) {
            joined += (joined.empty() ? "" : "\n") + t;
        }
        return joined;
    }

    const PreparedFlow &m_prepared;
    const ConnectionStore &m_connections;
    const PriceTable &m_prices;
    const EstimateOptions &m_options;
    std::vector<NodeTally> m_tallies;
    std::set<std::string> m_standInsUsed;
};

/// Connection names the prepared nodes use (node.connection, custom_llm's input).
std::set<std::string> connectionNames(const PreparedFlow &prepared)
{
    std::set<std::string> names;
    for (const auto &n : prepared.nodes()) {
        if (!n.node.connection.empty()) {
            names.insert(n.node.connection);
        }
        if (n.node.type == NodeType::CustomLlm) {
            if (const NodeInput *in = n.node.input("connection"); in && in->value.is_string()) {
                names.insert(in->value.get<std::string>());
            }
        }
    }
    return names;
}

} // namespace

RunEstimator::RunEstimator(PriceTable prices, const ConnectionStore *connections)
    : m_prices(std::move(prices))
    , m_connections(connections)
{
}

std::vector<VariantSelection> RunEstimator::allVariantSelections(const Flow &flow)
{
    std::vector<VariantSelection> out = {VariantSelection{}};
    for (const auto &nv : flow.nodeVariants) {
        if (nv.variants.empty()) {
            continue;
        }
        std::vector<VariantSelection> next;
        for (const auto &partial : out) {
            for (const auto &v : nv.variants) {
                VariantSelection s = partial;
                s[nv.nodeName] = v.id;
                next.push_back(std::move(s));
            }
        }
        out = std::move(next);
    }
    return out;
}

WallTime RunEstimator::wallTime(std::int64_t calls, double tokens, double latencySeconds,
                                int concurrency, double requestsPerMinute, double tokensPerMinute)
{
    WallTime w;
    const double n = double(std::max<std::int64_t>(calls, 0));
    w.concurrencyS = n * std::max(latencySeconds, 0.0) / double(std::max(concurrency, 1));
    w.rpmS = requestsPerMinute > 0 ? n / requestsPerMinute * 60.0 : 0.0;
    w.tpmS = tokensPerMinute > 0 ? std::max(tokens, 0.0) / tokensPerMinute * 60.0 : 0.0;
    w.seconds = w.concurrencyS;
    w.bound = "concurrency";
    if (w.rpmS > w.seconds) {
        w.seconds = w.rpmS;
        w.bound = "rpm";
    }
    if (w.tpmS > w.seconds) {
        w.seconds = w.tpmS;
        w.bound = "tpm";
    }
    return w;
}

Result<RunEstimate> RunEstimator::estimate(const Flow &flow, const std::filesystem::path &data,
                                           const ColumnMapping &mapping,
                                           const std::vector<VariantSelection> &selections,
                                           const EstimateOptions &options) const
{
    if (options.pythonNodes == PythonNodeMode::Run && !options.python) {
        return fail(ErrorCode::InvalidArgument,
                    "estimate: running python nodes needs a PythonRunner");
    }
    const std::vector<VariantSelection> wanted
        = selections.empty() ? std::vector<VariantSelection>{VariantSelection{}} : selections;
    std::vector<std::shared_ptr<const PreparedFlow>> prepared;
    for (const auto &s : wanted) {
        auto p = PreparedFlow::prepare(flow, s);
        if (!p) {
            return std::move(p).error();
        }
        prepared.push_back(std::move(*p));
    }

    RunEstimate est;
    est.flow = flow.file.string();
    est.data = data.string();
    est.concurrency = std::max(options.concurrency, 1);
    est.requestsPerMinute = std::max(options.requestsPerMinute, 0.0);
    est.tokensPerMinute = std::max(options.tokensPerMinute, 0.0);
    est.pricingVersion = std::to_string(m_prices.version()) + " (" + m_prices.asOf() + ")";
    for (std::size_t i = 1; i < m_prices.origins().size(); ++i) {
        est.pricingVersion += " + " + m_prices.origins()[i];
    }
    std::set<std::string> notes;
    std::vector<std::string> orderedNotes;

    // Connections: the given ones, and a stand-in for any other name (nothing connects).
    ConnectionStore connections = m_connections ? *m_connections : ConnectionStore();
    for (const auto &p : prepared) {
        for (const auto &name : connectionNames(*p)) {
            if (!connections.find(name)) {
                Connection c;
                c.name = name;
                c.type = ConnectionType::OpenAi;
                c.configs["base_url"] = "http://estimate.invalid/v1";
                if (auto r = connections.add(std::move(c)); !r) {
                    return std::move(r).error();
                }
            }
        }
    }

    // The mapping against the data's columns, as a run checks it.
    DatasetReaderOptions readerOptions;
    readerOptions.onBadRow = options.onBadRow;
    auto preview = DatasetInfo::preview(data, 100, readerOptions);
    if (!preview) {
        return std::move(preview).error();
    }
    std::vector<std::string> columns;
    for (const auto &c : preview->columns) {
        columns.push_back(c.name);
    }
    auto warnings = mapping.check(flow, columns, false);
    if (!warnings) {
        return std::move(warnings).error();
    }
    for (const auto &w : *warnings) {
        orderedNotes.push_back("column mapping: " + w);
    }

    // One pass over the data: count the rows, keep a uniform sample (seeded reservoir).
    auto reader = DatasetReader::open(data, readerOptions);
    if (!reader) {
        return std::move(reader).error();
    }
    const std::size_t cap = std::max<std::size_t>(options.sampleRows, 1);
    std::vector<DataRow> sample;
    std::mt19937_64 rng(0x5eedf10bU);
    for (;;) {
        auto row = reader->next();
        if (!row) {
            return std::move(row).error();
        }
        if (!row->has_value()) {
            break;
        }
        const std::int64_t seen = est.totalRows++;
        if (sample.size() < cap) {
            sample.push_back(std::move(**row));
        } else {
            std::uniform_int_distribution<std::int64_t> pick(0, seen);
            if (const std::int64_t slot = pick(rng); slot < std::int64_t(cap)) {
                sample[std::size_t(slot)] = std::move(**row);
            }
        }
    }
    if (!reader->skipped().empty()) {
        orderedNotes.push_back(std::to_string(reader->skipped().size())
                               + " malformed rows skipped (not counted)");
    }
    std::sort(sample.begin(), sample.end(),
              [](const DataRow &a, const DataRow &b) { return a.index < b.index; });
    est.sampledRows = std::int64_t(sample.size());
    est.sampled = est.sampledRows < est.totalRows;
    const double scale = est.sampledRows > 0 ? double(est.totalRows) / double(est.sampledRows) : 0;
    if (est.sampled) {
        orderedNotes.push_back(
            "sampled " + std::to_string(est.sampledRows) + " of " + std::to_string(est.totalRows)
            + " rows (uniform, seeded); totals are extrapolated x" + formatDouble(scale));
    }

    // Latency per call.
    if (options.meanLatencySeconds) {
        est.latencySeconds = *options.meanLatencySeconds;
        est.latencySource = "past runs";
    } else {
        double sum = 0;
        std::int64_t n = 0;
        for (const auto &[key, stats] : options.pastByNode) {
            if (stats.meanLatencySeconds) {
                sum += *stats.meanLatencySeconds * double(std::max<std::int64_t>(stats.calls, 1));
                n += std::max<std::int64_t>(stats.calls, 1);
            }
        }
        if (n > 0) {
            est.latencySeconds = sum / double(n);
            est.latencySource = "past runs";
        } else {
            est.latencySeconds = options.defaultLatencySeconds;
            est.latencySource = "assumed";
        }
    }

    bool anyUnpriced = false;
    std::set<std::string> standInsUsed;
    bool anyActivate = false;
    bool anyAggregationLlm = false;
    for (std::size_t s = 0; s < prepared.size(); ++s) {
        const PreparedFlow &p = *prepared[s];
        for (const auto &n : p.nodes()) {
            anyActivate = anyActivate || n.activateWhen.has_value();
            anyAggregationLlm
                = anyAggregationLlm
                  || (n.node.aggregation
                      && (n.node.type == NodeType::Llm || n.node.type == NodeType::CustomLlm));
        }
        RowWalker walker(p, connections, m_prices, options);
        SelectionEstimate sel;
        for (const auto &[node, id] : p.variants()) {
            sel.variants[node] = id;
        }
        std::int64_t okRows = 0;
        for (const auto &row : sample) {
            const std::string where = row.file + ":" + std::to_string(row.line);
            Value given = Value::object();
            auto outcome = mapping.resolve(flow, row.row, nullptr, nullptr, where, given);
            Result<void> walked;
            if (!outcome) {
                walked = std::move(outcome).error();
            } else {
                auto inputs = p.prepareInputs(given);
                if (!inputs) {
                    walked = fail(inputs.error().code, where + ": " + inputs.error().message);
                } else {
                    walked = walker.walk(*inputs);
                    if (!walked) {
                        walked = fail(walked.error().code, where + ": " + walked.error().message);
                    }
                }
            }
            if (!walked) {
                if (sel.failedRows++ == 0) {
                    sel.firstFailure = walked.error().message;
                }
                continue;
            }
            ++okRows;
        }
        if (okRows == 0 && !walker.tallies().empty()) {
            return fail(ErrorCode::InvalidArgument,
                        "estimate: no row of the sample gives a request: " + sel.firstFailure);
        }
        standInsUsed.insert(walker.standInsUsed().begin(), walker.standInsUsed().end());

        for (const NodeTally &t : walker.tallies()) {
            const PreparedNode &pn = p.nodes()[std::size_t(t.index)];
            NodeEstimate ne;
            ne.node = pn.node.name;
            ne.variantId = pn.variantId;
            for (const auto &m : t.models) {
                ne.model += (ne.model.empty() ? "" : ", ") + m;
            }
            ne.pricedAs = t.pricedModel;
            ne.simulated = t.simulated;
            ne.encoding = t.unknownTokenizer ? std::string() : t.encoding;
            ne.counting = t.estimated ? TokenCounting::Estimated
                          : t.partial ? TokenCounting::Partial
                                      : TokenCounting::Exact;
            ne.calls = std::llround(double(t.rows) * scale);
            ne.promptTokens = t.prompt * scale;
            ne.meanPromptTokens = t.rows > 0 ? t.prompt / double(t.rows) : 0;
            ne.maxPromptTokens = t.maxPrompt;
            ne.maxTokens = t.firstMaxTokens;
            ne.completionTokensLow = t.low * scale;
            ne.completionTokensHigh = t.high * scale;
            ne.completionLowSource
                = t.usedPast ? CompletionSource::PastRuns : CompletionSource::MaxTokensFraction;
            ne.completionHighSource = t.usedAssumedCap ? CompletionSource::AssumedMaxTokens
                                                       : CompletionSource::MaxTokens;
            if (t.unpriced.empty() && !t.priced.empty()) {
                double low = 0;
                double high = 0;
                for (const auto &[key, priced] : t.priced) {
                    const auto prompt = std::llround(priced.prompt * scale);
                    low += CostCalculator::costAt(priced.price,
                                                  {prompt, std::llround(priced.low * scale), 0, 0})
                               .totalUsd;
                    high += CostCalculator::costAt(
                                priced.price, {prompt, std::llround(priced.high * scale), 0, 0})
                                .totalUsd;
                }
                ne.costLowUsd = low;
                ne.costHighUsd = high;
                sel.costLowUsd += low;
                sel.costHighUsd += high;
            } else {
                anyUnpriced = true;
                for (const auto &m : t.unpriced) {
                    sel.unpricedModels.push_back(m);
                }
            }
            est.simulated = est.simulated || t.simulated;
            sel.calls += ne.calls;
            sel.promptTokens += ne.promptTokens;
            sel.completionTokensLow += ne.completionTokensLow;
            sel.completionTokensHigh += ne.completionTokensHigh;

            const std::string label = "node '" + ne.node + "'"
                                      + (ne.variantId.empty() ? "" : " (" + ne.variantId + ")");
            if (ne.completionLowSource == CompletionSource::PastRuns) {
                notes.insert(label + ": low completion tokens = mean of past runs"
                             + (t.pastFromOtherVariant ? " of other variants of the node" : "")
                             + (options.pastSource.empty() ? "" : " (" + options.pastSource + ")"));
            } else {
                notes.insert(label + ": low completion tokens = "
                             + formatDouble(options.maxTokensFraction)
                             + " x max_tokens (no past runs given)");
            }
            if (ne.completionHighSource == CompletionSource::AssumedMaxTokens) {
                notes.insert(label + ": sets no max_tokens; high completion tokens assume "
                             + std::to_string(options.assumedMaxTokens) + " per call");
            }
            if (ne.counting == TokenCounting::Estimated && t.unknownTokenizer) {
                notes.insert(label + ": no known tokenizer for '" + ne.model
                             + "': prompt tokens are ESTIMATED");
            } else if (ne.counting == TokenCounting::Estimated) {
                notes.insert(label + ": prompt tokens are ESTIMATED: " + t.encoding
                             + " is the model's tokenizer, but no per-message counting rule is "
                               "published for '"
                             + ne.model + "' (or a message carries tool calls)");
            }
            if (t.models.size() > 1) {
                notes.insert(label + ": the model varies by row (" + ne.model + ")");
            }
            sel.nodes.push_back(std::move(ne));
        }
        std::sort(sel.unpricedModels.begin(), sel.unpricedModels.end());
        sel.unpricedModels.erase(std::unique(sel.unpricedModels.begin(), sel.unpricedModels.end()),
                                 sel.unpricedModels.end());
        sel.wallTimeLow
            = wallTime(sel.calls, sel.promptTokens + sel.completionTokensLow, est.latencySeconds,
                       est.concurrency, est.requestsPerMinute, est.tokensPerMinute);
        sel.wallTimeHigh
            = wallTime(sel.calls, sel.promptTokens + sel.completionTokensHigh, est.latencySeconds,
                       est.concurrency, est.requestsPerMinute, est.tokensPerMinute);
        if (sel.failedRows > 0) {
            notes.insert(std::to_string(sel.failedRows) + " sampled rows fail before any call"
                         + " (not counted); first: " + sel.firstFailure);
        }
        est.calls += sel.calls;
        est.promptTokens += sel.promptTokens;
        est.completionTokensLow += sel.completionTokensLow;
        est.completionTokensHigh += sel.completionTokensHigh;
        est.costLowUsd += sel.costLowUsd;
        est.costHighUsd += sel.costHighUsd;
        for (const auto &m : sel.unpricedModels) {
            notes.insert("no price for model '" + m
                         + "': its cost is left out (add it to flowbench.pricing.json)");
        }
        est.selections.push_back(std::move(sel));
    }
    est.costComplete = !anyUnpriced;
    est.wallTimeLow
        = wallTime(est.calls, est.promptTokens + est.completionTokensLow, est.latencySeconds,
                   est.concurrency, est.requestsPerMinute, est.tokensPerMinute);
    est.wallTimeHigh
        = wallTime(est.calls, est.promptTokens + est.completionTokensHigh, est.latencySeconds,
                   est.concurrency, est.requestsPerMinute, est.tokensPerMinute);

    for (const auto &what : standInsUsed) {
        if (what.rfind("python", 0) == 0) {
            orderedNotes.push_back(what
                                   + " was not run: its output is taken to be its text inputs "
                                     "(prompts it feeds are counted as partial; run python "
                                     "nodes for exact counts)");
        } else {
            orderedNotes.push_back(what
                                   + " feeds another llm node: its answer is counted there as "
                                     "its low completion tokens (partial)");
        }
    }
    orderedNotes.insert(orderedNotes.end(), notes.begin(), notes.end());
    orderedNotes.push_back("latency " + formatDouble(est.latencySeconds) + " s per call ("
                           + est.latencySource + ")");
    orderedNotes.push_back("cached-input discounts are not assumed (cache hits are known only "
                           "after the calls)");
    if (anyActivate) {
        orderedNotes.push_back("every node is assumed active (activate conditions are not "
                               "evaluated)");
    }
    if (anyAggregationLlm) {
        orderedNotes.push_back("llm aggregation nodes are not included");
    }
    if (est.simulated) {
        orderedNotes.push_back("flowbench-sim models are SIMULATED: priced like gpt-4o-mini, "
                               "no money is spent");
    }
    est.notes = std::move(orderedNotes);
    return est;
}

} // namespace fb
