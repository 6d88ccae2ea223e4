#include <core/exec/tracejson.h>

namespace fb {

namespace {

Value round3(double v)
{
    return Value(double(std::int64_t(v * 1000.0 + (v >= 0 ? 0.5 : -0.5))) / 1000.0);
}

} // namespace

Value TraceJson::node(const NodeTrace &t)
{
    Value v = Value::object();
    v["node"] = t.node;
    v["type"] = nodeTypeName(t.type);
    if (!t.variantId.empty()) {
        v["variant_id"] = t.variantId;
    }
    v["status"] = runStatusName(t.status);
    v["start_ms"] = round3(t.startMs);
    v["duration_ms"] = round3(t.durationMs());
    v["inputs"] = t.inputs;
    if (!t.renderedPrompt.empty()) {
        v["rendered_prompt"] = t.renderedPrompt;
    }
    if (!t.messages.empty()) {
        Value messages = Value::array();
        for (const auto &m : t.messages) {
            Value msg = {{"role", m.role}, {"content", m.content}};
            if (!m.name.empty()) {
                msg["name"] = m.name;
            }
            if (!m.toolCallId.empty()) {
                msg["tool_call_id"] = m.toolCallId;
            }
            if (!m.toolCalls.is_null()) {
                msg["tool_calls"] = m.toolCalls;
            }
            messages.push_back(std::move(msg));
        }
        v["messages"] = std::move(messages);
    }
    v["output"] = t.output;
    if (!t.error.empty()) {
        v["error"] = t.error;
    }
    if (t.llm) {
        const LlmResponse &r = *t.llm;
        Value llm = Value::object();
        llm["model"] = r.model;
        llm["finish_reason"] = r.finishReason;
        llm["prompt_tokens"] = r.usage.promptTokens;
        llm["completion_tokens"] = r.usage.completionTokens;
        llm["total_tokens"] = r.usage.promptTokens + r.usage.completionTokens;
        llm["cached_prompt_tokens"] = r.usage.cachedPromptTokens;
        llm["cache_write_prompt_tokens"] = r.usage.cacheWriteTokens;
        llm["usage_reported"] = r.usage.reported;
        llm["ttft_ms"] = r.timing.ttftMs >= 0 ? round3(r.timing.ttftMs) : Value();
        llm["tpot_ms"] = r.timing.tpotMs >= 0 ? round3(r.timing.tpotMs) : Value();
        llm["latency_ms"] = round3(r.timing.latencyMs);
        llm["total_ms"] = round3(r.timing.totalMs);
        llm["attempts"] = r.attempts;
        llm["http_status"] = r.httpStatus;
        v["llm"] = std::move(llm);
    }
    if (!t.log.empty()) {
        v["log"] = t.log;
    }
    if (!t.metrics.empty()) {
        v["metrics"] = Value::object();
        for (const auto &[k, m] : t.metrics) {
            v["metrics"][k] = m;
        }
    }
    return v;
}

Value TraceJson::line(const LineResult &line)
{
    Value v = Value::object();
    v["status"] = runStatusName(line.status);
    v["inputs"] = line.inputs;
    v["outputs"] = line.outputs;
    if (!line.error.empty()) {
        v["error"] = line.error;
    }
    v["duration_ms"] = round3(line.durationMs);
    v["nodes"] = Value::array();
    for (const auto &n : line.nodes) {
        v["nodes"].push_back(node(n));
    }
    return v;
}

Value TraceJson::aggregation(const AggregationResult &result)
{
    Value v = Value::object();
    v["status"] = runStatusName(result.status);
    if (!result.error.empty()) {
        v["error"] = result.error;
    }
    v["metrics"] = Value::object();
    for (const auto &[k, m] : result.metrics) {
        v["metrics"][k] = m;
    }
    v["nodes"] = Value::array();
    for (const auto &n : result.nodes) {
        v["nodes"].push_back(node(n));
    }
    return v;
}

} // namespace fb
