#include <core/cli/traceprinter.h>

#include <cstdio>

namespace fb {

namespace {

std::string shown(const Value &v, std::size_t max = 300)
{
    std::string s = v.is_string() ? v.get<std::string>()
                                  : v.dump(-1, ' ', false, Value::error_handler_t::replace);
    if (s.size() > max) {
        s = s.substr(0, max) + "...";
    }
    return s;
}

std::string ms(double v)
{
    if (v < 0) {
        return "-";
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string pad(std::string s, std::size_t width)
{
    if (s.size() < width) {
        s.resize(width, ' ');
    }
    return s;
}

} // namespace

std::string TracePrinter::summary(const PreparedFlow &flow, const LineResult &line, bool simulated)
{
    std::string out;
    if (!flow.variants().empty()) {
        out += "variants:";
        for (const auto &[node, id] : flow.variants()) {
            out += " " + node + "=" + id;
        }
        out += "\n";
    }
    out += "outputs:\n";
    for (const auto &[name, value] : line.outputs.items()) {
        out += "  " + name + ": " + shown(value) + "\n";
    }
    out += "trace" + std::string(simulated ? " (SIMULATED model answers)" : "") + ":\n";
    out += "  " + pad("node", 22) + pad("type", 8) + pad("status", 11) + pad("ms", 9)
           + pad("ttft", 8) + pad("tpot", 7) + pad("tokens", 11) + pad("tries", 6) + "model\n";
    for (const auto &n : line.nodes) {
        std::string name = n.node + (n.variantId.empty() ? "" : "[" + n.variantId + "]");
        std::string row = "  " + pad(name, 22) + pad(nodeTypeName(n.type), 8)
                          + pad(runStatusName(n.status), 11)
                          + pad(n.status == RunStatus::NotStarted ? "-" : ms(n.durationMs()), 9);
        if (n.llm) {
            const auto &r = *n.llm;
            row += pad(ms(r.timing.ttftMs), 8) + pad(ms(r.timing.tpotMs), 7)
                   + pad(std::to_string(r.usage.promptTokens) + "/"
                             + std::to_string(r.usage.completionTokens)
                             + (r.usage.reported ? "" : "~"),
                         11)
                   + pad(std::to_string(r.attempts), 6) + r.model;
        }
        out += row + "\n";
        if (!n.error.empty()) {
            out += "      error: " + n.error + "\n";
        }
    }
    char total[64];
    std::snprintf(total, sizeof total, "line: %s in %.1f ms\n", runStatusName(line.status),
                  line.durationMs);
    out += total;
    return out;
}

std::string TracePrinter::aggregation(const AggregationResult &result)
{
    std::string out = "aggregation: " + std::string(runStatusName(result.status)) + "\n";
    for (const auto &n : result.nodes) {
        out += "  " + pad(n.node, 22) + pad(runStatusName(n.status), 11) + ms(n.durationMs())
               + " ms\n";
        if (!n.error.empty()) {
            out += "      error: " + n.error + "\n";
        }
    }
    if (!result.metrics.empty()) {
        out += "metrics:\n";
        for (const auto &[k, v] : result.metrics) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%g", v);
            out += "  " + k + ": " + buf + "\n";
        }
    }
    return out;
}

} // namespace fb
