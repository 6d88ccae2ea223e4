#include <core/sim/anthropicwriter.h>

#include <core/sim/simfaults.h>
#include <core/sim/simjson.h>
#include <core/sim/simresponseplan.h>
#include <core/sim/simturn.h>

#include <chrono>
#include <string>

namespace fb {

namespace {

using Micros = std::chrono::microseconds;

std::string_view stopReason(const SimTurn &turn)
{
    return turn.cutByMaxTokens ? "max_tokens" : "end_turn";
}

/// Appends `event: NAME\ndata: ` ... `\n\n` around what `write` appends; a malformed event
/// keeps only the first half of its JSON.
template <typename Write>
void appendEvent(std::string &out, std::string_view name, bool malformed, Write write)
{
    out.append("event: ");
    out.append(name);
    out.append("\ndata: ");
    const std::size_t start = out.size();
    write();
    if (malformed) {
        out.resize(start + (out.size() - start) / 2);
    }
    out.append("\n\n");
}

void appendMessageHead(std::string &out, const SimTurn &turn, std::string_view id)
{
    out.append("{\"id\":");
    SimJson::appendString(out, id);
    out.append(",\"type\":\"message\",\"role\":\"assistant\",\"model\":");
    SimJson::appendString(out, turn.responseModel());
}

} // namespace

void AnthropicWriter::writeTurn(const SimTurn &turn, const SimFaults &faults, bool stream,
                                std::string_view id, SimResponsePlan &plan)
{
    std::string &out = plan.body;
    out.clear();
    plan.status = 200;
    plan.steps.clear();
    if (!stream) {
        plan.streaming = false;
        plan.contentType.assign("application/json");
        appendMessageHead(out, turn, id);
        out.append(",\"content\":[{\"type\":\"text\",\"text\":");
        SimJson::appendString(out, turn.text);
        out.append("}],\"stop_reason\":\"");
        out.append(stopReason(turn));
        out.append("\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":");
        SimJson::appendInt(out, turn.promptTokens);
        out.append(",\"output_tokens\":");
        SimJson::appendInt(out, turn.completionTokens());
        out.append("}}");
        if (faults.malformed) {
            out.resize(out.size() / 2);
        }
        plan.addStep(faults.stall + turn.total);
        if (faults.truncate) {
            plan.steps.back().end = out.size() / 2;
            plan.truncated = true;
        }
        return;
    }

    plan.streaming = true;
    plan.contentType.assign("text/event-stream; charset=utf-8");
    plan.addHeader("cache-control", "no-cache");
    const std::size_t count = turn.chunkEnds.size();
    const std::size_t keep = faults.truncate ? (count + 1) / 2 : count;
    const std::size_t malformedAt = faults.malformed ? count / 2 : count + 1;

    appendEvent(out, "message_start", false, [&] {
        out.append("{\"type\":\"message_start\",\"message\":");
        appendMessageHead(out, turn, id);
        out.append(",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                   "\"usage\":{\"input_tokens\":");
        SimJson::appendInt(out, turn.promptTokens);
        out.append(",\"output_tokens\":1}}}");
    });
    appendEvent(out, "content_block_start", false, [&] {
        out.append("{\"type\":\"content_block_start\",\"index\":0,"
                   "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    });
    appendEvent(out, "ping", false, [&] { out.append("{\"type\":\"ping\"}"); });
    for (std::size_t i = 0; i < keep; ++i) {
        appendEvent(out, "content_block_delta", i == malformedAt, [&] {
            out.append("{\"type\":\"content_block_delta\",\"index\":0,"
                       "\"delta\":{\"type\":\"text_delta\",\"text\":");
            SimJson::appendString(out, turn.chunk(i));
            out.append("}}");
        });
        plan.addStep(i == 0 ? faults.stall + turn.delays[0] : turn.delays[i]);
    }
    if (faults.truncate) {
        if (plan.steps.empty()) {
            plan.addStep(faults.stall + turn.delays[0]);
        }
        plan.truncated = true;
        return;
    }
    appendEvent(out, "content_block_stop", false,
                [&] { out.append("{\"type\":\"content_block_stop\",\"index\":0}"); });
    appendEvent(out, "message_delta", count == 0 && faults.malformed, [&] {
        out.append("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"");
        out.append(stopReason(turn));
        out.append("\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":");
        SimJson::appendInt(out, turn.completionTokens());
        out.append("}}");
    });
    appendEvent(out, "message_stop", false, [&] { out.append("{\"type\":\"message_stop\"}"); });
    plan.addStep(count == 0 ? faults.stall + turn.delays[0] : Micros(0));
}

void AnthropicWriter::writeError(SimResponsePlan &plan, int status, std::string_view type,
                                 std::string_view message)
{
    std::string &out = plan.body;
    out.clear();
    out.append("{\"type\":\"error\",\"error\":{\"type\":");
    SimJson::appendString(out, type);
    out.append(",\"message\":");
    SimJson::appendString(out, message);
    out.append("}}");
    plan.status = status;
    plan.streaming = false;
    plan.contentType.assign("application/json");
    plan.steps.clear();
    plan.addStep(Micros(0));
}

void AnthropicWriter::writeFaultError(SimResponsePlan &plan, int status)
{
    if (status == 429) {
        writeError(plan, status, "rate_limit_error",
                   "Number of requests has exceeded your rate limit (simulated by flowbench-sim).");
    } else if (status == 503 || status == 529) {
        writeError(plan, status, "overloaded_error", "Overloaded (simulated by flowbench-sim).");
    } else if (status >= 500) {
        writeError(plan, status, "api_error",
                   "Internal server error (simulated by flowbench-sim).");
    } else {
        writeError(plan, status, "invalid_request_error",
                   "Simulated client error " + std::to_string(status)
                       + " (injected by flowbench-sim).");
    }
}

} // namespace fb
