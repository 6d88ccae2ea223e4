#include <core/sim/openaiwriter.h>

#include <core/sim/simfaults.h>
#include <core/sim/simjson.h>
#include <core/sim/simresponseplan.h>
#include <core/sim/simturn.h>

#include <cstring>

namespace fb {

namespace {

using Micros = std::chrono::microseconds;
using Flavor = SimConfig::Flavor;

constexpr std::string_view Fingerprint = "fp_flowbench_sim";

double toMs(Micros us) { return static_cast<double>(us.count()) / 1000.0; }

/// Writes the pieces of one response; the chat and completion shapes differ only in the
/// object names and where the text goes.
class Composer
{
public:
    Composer(const SimTurn &turn, const SimFaults &faults, const OpenAiWriter::Options &options,
             SimResponsePlan &plan)
        : m_turn(turn)
        , m_faults(faults)
        , m_options(options)
        , m_plan(plan)
        , m_out(plan.body)
        , m_model(turn.responseModel())
        , m_chat(options.endpoint == OpenAiWriter::Endpoint::Chat)
        , m_llama(options.flavor == Flavor::LlamaCpp)
        , m_choices(options.choices < 1 ? 1 : options.choices)
    {
    }

    void writeBody()
    {
        m_plan.status = 200;
        m_plan.contentType.assign("application/json");
        m_out.push_back('{');
        writeEnvelope(m_chat ? "chat.completion" : "text_completion");
        SimJson::appendKey(m_out, "choices");
        m_out.push_back('[');
        for (int c = 0; c < m_choices; ++c) {
            if (c > 0) {
                m_out.push_back(',');
            }
            m_out.append("{\"index\":");
            SimJson::appendInt(m_out, c);
            if (m_chat) {
                m_out.append(",\"message\":{\"role\":\"assistant\",\"content\":");
                SimJson::appendString(m_out, m_turn.text);
                m_out.append(m_llama ? "}" : ",\"refusal\":null}");
            } else {
                m_out.append(",\"text\":");
                SimJson::appendString(m_out, m_turn.text);
            }
            m_out.append(",\"logprobs\":null,\"finish_reason\":\"");
            m_out.append(finishReason());
            m_out.append("\"}");
        }
        m_out.push_back(']');
        writeUsage();
        if (m_llama) {
            writeTimings();
        }
        m_out.push_back('}');

        if (m_faults.malformed) {
            // Cut the document in half: a 200 whose body is not JSON.
            m_out.resize(m_out.size() / 2);
        }
        m_plan.steps.clear();
        m_plan.addStep(m_faults.stall + m_turn.total);
        if (m_faults.truncate) {
            m_plan.steps.back().end = m_out.size() / 2;
            m_plan.truncated = true;
        }
    }

    void writeStream()
    {
        m_plan.status = 200;
        m_plan.streaming = true;
        m_plan.contentType.assign("text/event-stream; charset=utf-8");
        m_plan.addHeader("cache-control", "no-cache");
        m_plan.steps.clear();

        const std::size_t count = m_turn.chunkEnds.size();
        const std::size_t keep = m_faults.truncate ? (count + 1) / 2 : count;
        const std::size_t malformedAt = m_faults.malformed ? count / 2 : count + 1;

        if (m_chat && !m_llama) {
            for (int c = 0; c < m_choices; ++c) {
                writeChunk(c, ChunkKind::Role, {}, false);
            }
        }
        for (std::size_t i = 0; i < keep; ++i) {
            for (int c = 0; c < m_choices; ++c) {
                writeChunk(c, ChunkKind::Content, m_turn.chunk(i), i == malformedAt && c == 0);
            }
            m_plan.addStep(i == 0 ? m_faults.stall + m_turn.delays[0] : m_turn.delays[i]);
        }
        if (m_faults.truncate) {
            if (m_plan.steps.empty()) {
                m_plan.addStep(m_faults.stall + m_turn.delays[0]);
            }
            m_plan.truncated = true;
            return;
        }
        for (int c = 0; c < m_choices; ++c) {
            writeChunk(c, ChunkKind::Finish, {}, count == 0 && m_faults.malformed && c == 0);
        }
        if (m_options.includeUsage && !m_llama) {
            writeChunk(0, ChunkKind::Usage, {}, false);
        }
        m_out.append("data: [DONE]\n\n");
        m_plan.addStep(count == 0 ? m_faults.stall + m_turn.delays[0] : Micros(0));
    }

private:
    enum class ChunkKind { Role, Content, Finish, Usage };

    void writeEnvelope(std::string_view object)
    {
        m_out.append("\"id\":");
        SimJson::appendString(m_out, m_options.id);
        m_out.append(",\"object\":\"");
        m_out.append(object);
        m_out.append("\",\"created\":");
        SimJson::appendInt(m_out, m_options.created);
        m_out.append(",\"model\":");
        SimJson::appendString(m_out, m_model);
        m_out.append(",\"system_fingerprint\":\"");
        m_out.append(Fingerprint);
        m_out.push_back('"');
    }

    void writeChunk(int choice, ChunkKind kind, std::string_view content, bool malformed)
    {
        m_out.append("data: ");
        const std::size_t start = m_out.size();
        m_out.push_back('{');
        writeEnvelope(m_chat ? "chat.completion.chunk" : "text_completion");
        if (kind == ChunkKind::Usage) {
            m_out.append(",\"choices\":[]");
            writeUsage();
        } else {
            m_out.append(",\"choices\":[{\"index\":");
            SimJson::appendInt(m_out, choice);
            if (m_chat) {
                m_out.append(",\"delta\":");
                if (kind == ChunkKind::Role) {
                    m_out.append("{\"role\":\"assistant\",\"content\":\"\"}");
                } else if (kind == ChunkKind::Content) {
                    m_out.append("{\"content\":");
                    SimJson::appendString(m_out, content);
                    m_out.push_back('}');
                } else {
                    m_out.append("{}");
                }
            } else {
                m_out.append(",\"text\":");
                SimJson::appendString(m_out, content);
            }
            m_out.append(",\"logprobs\":null,\"finish_reason\":");
            if (kind == ChunkKind::Finish) {
                m_out.push_back('"');
                m_out.append(finishReason());
                m_out.push_back('"');
            } else {
                m_out.append("null");
            }
            m_out.append("}]");
            if (kind == ChunkKind::Finish && m_llama) {
                writeUsage();
                writeTimings();
            } else if (m_options.includeUsage && !m_llama) {
                m_out.append(",\"usage\":null");
            }
        }
        m_out.push_back('}');
        if (malformed) {
            m_out.resize(start + (m_out.size() - start) / 2);
        }
        m_out.append("\n\n");
    }

    void writeUsage()
    {
        const int prompt = m_turn.promptTokens;
        const int completion = m_turn.completionTokens() * m_choices;
        m_out.append(",\"usage\":{\"prompt_tokens\":");
        SimJson::appendInt(m_out, prompt);
        m_out.append(",\"completion_tokens\":");
        SimJson::appendInt(m_out, completion);
        m_out.append(",\"total_tokens\":");
        SimJson::appendInt(m_out, prompt + completion);
        m_out.push_back('}');
    }

    void writeTimings()
    {
        const double promptMs = toMs(m_turn.delays[0]);
        Micros predicted{0};
        for (std::size_t i = 1; i < m_turn.delays.size(); ++i) {
            predicted += m_turn.delays[i];
        }
        const double predictedMs = toMs(predicted);
        const int n = m_turn.completionTokens();
        m_out.append(",\"timings\":{\"prompt_n\":");
        SimJson::appendInt(m_out, m_turn.promptTokens);
        m_out.append(",\"prompt_ms\":");
        SimJson::appendDouble(m_out, promptMs);
        m_out.append(",\"predicted_n\":");
        SimJson::appendInt(m_out, n);
        m_out.append(",\"predicted_ms\":");
        SimJson::appendDouble(m_out, predictedMs);
        m_out.append(",\"predicted_per_second\":");
        SimJson::appendDouble(m_out, predictedMs > 0.0 ? n * 1000.0 / predictedMs : 0.0);
        m_out.push_back('}');
    }

    [[nodiscard]] std::string_view finishReason() const
    {
        return m_turn.cutByMaxTokens ? "length" : "stop";
    }

    const SimTurn &m_turn;
    const SimFaults &m_faults;
    const OpenAiWriter::Options &m_options;
    SimResponsePlan &m_plan;
    std::string &m_out;
    std::string m_model;
    bool m_chat;
    bool m_llama;
    int m_choices;
};

void appendBase64(std::string &out, const unsigned char *data, std::size_t size)
{
    static constexpr char Alphabet[]
        = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::size_t i = 0;
    for (; i + 2 < size; i += 3) {
        const unsigned v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        out.push_back(Alphabet[(v >> 18) & 63]);
        out.push_back(Alphabet[(v >> 12) & 63]);
        out.push_back(Alphabet[(v >> 6) & 63]);
        out.push_back(Alphabet[v & 63]);
    }
    if (i < size) {
        unsigned v = data[i] << 16;
        if (i + 1 < size) {
            v |= data[i + 1] << 8;
        }
        out.push_back(Alphabet[(v >> 18) & 63]);
        out.push_back(Alphabet[(v >> 12) & 63]);
        out.push_back(i + 1 < size ? Alphabet[(v >> 6) & 63] : '=');
        out.push_back('=');
    }
}

} // namespace

void OpenAiWriter::writeTurn(const SimTurn &turn, const SimFaults &faults, const Options &options,
                             SimResponsePlan &plan)
{
    plan.body.clear();
    Composer composer(turn, faults, options, plan);
    if (options.stream) {
        composer.writeStream();
    } else {
        composer.writeBody();
    }
}

void OpenAiWriter::writeError(SimResponsePlan &plan, int status, std::string_view message,
                              std::string_view type, std::string_view code, Flavor flavor)
{
    std::string &out = plan.body;
    out.clear();
    if (flavor == Flavor::LlamaCpp) {
        out.append("{\"error\":{\"code\":");
        SimJson::appendInt(out, status);
        out.append(",\"message\":");
        SimJson::appendString(out, message);
        out.append(",\"type\":");
        SimJson::appendString(out, type);
        out.append("}}");
    } else {
        out.append("{\"error\":{\"message\":");
        SimJson::appendString(out, message);
        out.append(",\"type\":");
        SimJson::appendString(out, type);
        out.append(",\"param\":null,\"code\":");
        if (code.empty()) {
            out.append("null");
        } else {
            SimJson::appendString(out, code);
        }
        out.append("}}");
    }
    plan.status = status;
    plan.streaming = false;
    plan.contentType.assign("application/json");
    plan.steps.clear();
    plan.addStep(Micros(0));
}

void OpenAiWriter::writeFaultError(SimResponsePlan &plan, int status, std::string_view model,
                                   Flavor flavor)
{
    std::string message;
    if (status == 429) {
        message = "Rate limit reached for flowbench-sim:" + std::string(model)
                  + " (simulated by flowbench-sim). Please try again later.";
        writeError(plan, status, message, "requests", "rate_limit_exceeded", flavor);
    } else if (status == 503) {
        writeError(plan, status,
                   "The server is overloaded or not ready yet (simulated by flowbench-sim).",
                   "server_error", "", flavor);
    } else if (status >= 500) {
        writeError(plan, status,
                   "The server had an error while processing your request (simulated by "
                   "flowbench-sim).",
                   "server_error", "", flavor);
    } else {
        writeError(plan, status,
                   "Simulated client error " + std::to_string(status)
                       + " (injected by flowbench-sim).",
                   "invalid_request_error", "", flavor);
    }
}

void OpenAiWriter::writeEmbeddings(SimResponsePlan &plan,
                                   const std::vector<std::vector<float>> &vectors,
                                   std::string_view model, int promptTokens, bool base64,
                                   Micros delay)
{
    std::string &out = plan.body;
    out.clear();
    out.append("{\"object\":\"list\",\"data\":[");
    std::string bytes;
    for (std::size_t i = 0; i < vectors.size(); ++i) {
        if (i > 0) {
            out.push_back(',');
        }
        out.append("{\"object\":\"embedding\",\"index\":");
        SimJson::appendInt(out, static_cast<std::int64_t>(i));
        out.append(",\"embedding\":");
        if (base64) {
            bytes.resize(vectors[i].size() * sizeof(float));
            // x86-64 and aarch64 Linux are little-endian, the byte order OpenAI uses.
            std::memcpy(bytes.data(), vectors[i].data(), bytes.size());
            out.push_back('"');
            appendBase64(out, reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size());
            out.push_back('"');
        } else {
            out.push_back('[');
            for (std::size_t k = 0; k < vectors[i].size(); ++k) {
                if (k > 0) {
                    out.push_back(',');
                }
                SimJson::appendFloat(out, vectors[i][k]);
            }
            out.push_back(']');
        }
        out.push_back('}');
    }
    out.append("],\"model\":");
    SimJson::appendString(out, model);
    out.append(",\"usage\":{\"prompt_tokens\":");
    SimJson::appendInt(out, promptTokens);
    out.append(",\"total_tokens\":");
    SimJson::appendInt(out, promptTokens);
    out.append("}}");
    plan.status = 200;
    plan.streaming = false;
    plan.contentType.assign("application/json");
    plan.steps.clear();
    plan.addStep(delay);
}

} // namespace fb
