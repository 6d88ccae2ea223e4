#include <core/sim/simrequesthandler.h>

#include <core/common/jsonvaluereader.h>
#include <core/common/utf8.h>
#include <core/common/value.h>
#include <core/sim/anthropicwriter.h>
#include <core/sim/embeddinggenerator.h>
#include <core/sim/openaiwriter.h>
#include <core/sim/simdirective.h>
#include <core/sim/simhttprequest.h>
#include <core/sim/simrandom.h>
#include <core/sim/simresponseplan.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>
#include <exception>
#include <optional>

namespace fb {

namespace {

using Json = Value;
using Micros = std::chrono::microseconds;
using Flavor = SimConfig::Flavor;

constexpr std::string_view DeploymentsPrefix = "/openai/deployments/";
constexpr std::string_view DefaultModel = "flowbench-sim";

std::size_t countChars(std::string_view text)
{
    std::size_t n = 0;
    for (const char c : text) {
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    return n;
}

/// The text of a message content: a string, or the "text" of every part of an array of
/// content parts joined by newlines. Views into `content` or into `scratch`.
std::string_view contentText(const Json &content, std::string &scratch)
{
    if (content.is_string()) {
        return content.get_ref<const std::string &>();
    }
    scratch.clear();
    if (content.is_array()) {
        bool first = true;
        for (const auto &part : content) {
            if (!part.is_object()) {
                continue;
            }
            const auto text = part.find("text");
            if (text != part.end() && text->is_string()) {
                if (!first) {
                    scratch.push_back('\n');
                }
                scratch.append(text->get_ref<const std::string &>());
                first = false;
            }
        }
    }
    return scratch;
}

bool boolField(const Json &json, const char *key)
{
    const auto it = json.find(key);
    return it != json.end() && it->is_boolean() && it->get<bool>();
}

std::optional<long long> intField(const Json &json, const char *key)
{
    const auto it = json.find(key);
    if (it == json.end() || !it->is_number()) {
        return std::nullopt;
    }
    if (it->is_number_integer()) {
        return it->get<long long>();
    }
    const double v = it->get<double>();
    if (v != std::floor(v) || std::abs(v) > 1e15) {
        return std::nullopt;
    }
    return static_cast<long long>(v);
}

std::string stringField(const Json &json, const char *key, std::string_view fallback)
{
    const auto it = json.find(key);
    if (it != json.end() && it->is_string() && !it->get_ref<const std::string &>().empty()) {
        return it->get<std::string>();
    }
    return std::string(fallback);
}

/// A request body as JSON, discarded when it is not JSON: JsonReader's scanner for the valid
/// UTF-8 bodies clients send (a third of the simulator's work per request was nlohmann's
/// parser), nlohmann's parser for everything else, which also rejects invalid UTF-8.
Json parseBody(std::string_view body)
{
    Json json;
    if (firstInvalidUtf8(body) == std::string_view::npos && JsonValueReader::read(body, json)) {
        return json;
    }
    return Json::parse(body, nullptr, false);
}

std::int64_t unixNow() { return static_cast<std::int64_t>(std::time(nullptr)); }

Micros toMicros(double ms) { return Micros(static_cast<std::int64_t>(std::llround(ms * 1000.0))); }

void setJson(SimResponsePlan &plan, int status, std::string_view body)
{
    plan.setBody(status, body);
    plan.contentType.assign("application/json");
}

void addRetryHeaders(SimResponsePlan &plan, const SimFaults &faults)
{
    if (!faults.retryAfter.empty()) {
        plan.addHeader("retry-after", faults.retryAfter);
    }
    if (!faults.retryAfterMs.empty()) {
        plan.addHeader("retry-after-ms", faults.retryAfterMs);
    }
}

std::string buildModelsJson()
{
    nlohmann::ordered_json list;
    list["object"] = "list";
    list["data"] = nlohmann::ordered_json::array();
    for (const char *id :
         {"flowbench-sim", "flowbench-sim:gpt-4o-mini", "flowbench-sim:gpt-4o",
          "flowbench-sim:text-embedding-3-small", "flowbench-sim:claude-3-5-haiku"}) {
        list["data"].push_back({{"id", id},
                                {"object", "model"},
                                {"created", 1700000000},
                                {"owned_by", "flowbench-simulator"}});
    }
    return list.dump();
}

} // namespace

SimRequestHandler::SimRequestHandler(SimConfig config, AnswerBook answers)
    : m_config(std::move(config))
    , m_answers(std::move(answers))
    , m_planner(m_config, m_answers)
    , m_modelsJson(buildModelsJson())
{
}

void SimRequestHandler::handle(const SimHttpRequest &request, SimResponsePlan &plan)
{
    plan.clear();
    const std::string_view path = request.target.substr(0, request.target.find('?'));
    if (path == "/stats" || path == "/stats/reset") {
        plan.counted = false;
        if (path == "/stats" && request.method == "GET") {
            setJson(plan, 200, m_stats.toJson());
        } else if (path == "/stats/reset" && request.method == "POST") {
            m_stats.reset();
            m_planner.reset();
            setJson(plan, 200, "{\"reset\":true,\"simulator\":true}");
        } else {
            OpenAiWriter::writeError(plan, 405, "Method not allowed (flowbench-sim).",
                                     "invalid_request_error", "");
        }
        return;
    }
    m_stats.requestStarted(path);
    try {
        route(request, path, plan);
    } catch (const std::exception &e) {
        plan.clear();
        OpenAiWriter::writeError(plan, 500,
                                 std::string("flowbench-sim internal error: ") + e.what(),
                                 "server_error", "");
    } catch (...) {
        plan.clear();
        OpenAiWriter::writeError(plan, 500, "flowbench-sim internal error", "server_error", "");
    }
    m_stats.statusSent(plan.status);
}

void SimRequestHandler::route(const SimHttpRequest &request, std::string_view path,
                              SimResponsePlan &plan)
{
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    const auto wrongMethod = [&] {
        OpenAiWriter::writeError(plan, 405,
                                 "Method " + std::string(request.method) + " is not allowed on "
                                     + std::string(path) + " (flowbench-sim).",
                                 "invalid_request_error", "method_not_allowed");
    };
    if (path == "/health") {
        if (!get) {
            return wrongMethod();
        }
        setJson(plan, 200, "{\"status\":\"ok\",\"simulator\":true}");
        return;
    }
    if (path == "/v1/models") {
        if (!get) {
            return wrongMethod();
        }
        setJson(plan, 200, m_modelsJson);
        return;
    }
    if (path == "/v1/chat/completions" || path == "/v1/completions") {
        if (!post) {
            return wrongMethod();
        }
        return handleChat(request, Api::OpenAi, {}, path == "/v1/chat/completions", plan);
    }
    if (path == "/v1/embeddings") {
        if (!post) {
            return wrongMethod();
        }
        return handleEmbeddings(request, {}, plan);
    }
    if (path == "/v1/messages") {
        if (!post) {
            return wrongMethod();
        }
        return handleMessages(request, plan);
    }
    if (path.substr(0, DeploymentsPrefix.size()) == DeploymentsPrefix) {
        const auto rest = path.substr(DeploymentsPrefix.size());
        const auto slash = rest.find('/');
        const auto deployment = rest.substr(0, slash);
        const auto operation
            = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
        if (!deployment.empty()
            && (operation == "chat/completions" || operation == "completions"
                || operation == "embeddings")) {
            if (!post) {
                return wrongMethod();
            }
            if (operation == "embeddings") {
                return handleEmbeddings(request, deployment, plan);
            }
            return handleChat(request, Api::Azure, deployment, operation == "chat/completions",
                              plan);
        }
    }
    OpenAiWriter::writeError(plan, 404,
                             "Unknown path " + std::string(path)
                                 + " (flowbench-sim, an LLM simulator: see its --help for the "
                                   "endpoints it serves).",
                             "invalid_request_error", "unknown_url");
}

bool SimRequestHandler::checkOpenAiKey(const SimHttpRequest &request, SimResponsePlan &plan) const
{
    if (m_config.requireKey.empty()) {
        return true;
    }
    constexpr std::string_view Bearer = "Bearer ";
    const auto &key = m_config.requireKey;
    if (request.apiKey == key) {
        return true;
    }
    if (request.authorization.size() > Bearer.size()
        && request.authorization.substr(0, Bearer.size()) == Bearer
        && request.authorization.substr(Bearer.size()) == key) {
        return true;
    }
    OpenAiWriter::writeError(plan, 401,
                             request.apiKey.empty() && request.authorization.empty()
                                 ? "You didn't provide an API key (flowbench-sim was started with "
                                   "--require-key)."
                                 : "Incorrect API key provided (flowbench-sim).",
                             "invalid_request_error", "invalid_api_key");
    return false;
}

std::string SimRequestHandler::nextId(std::string_view prefix)
{
    const auto n = m_nextId.fetch_add(1, std::memory_order_relaxed);
    std::string id(prefix);
    char buffer[20];
    const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, n, 16);
    id.append(buffer, ptr);
    return id;
}

void SimRequestHandler::handleChat(const SimHttpRequest &request, Api api,
                                   std::string_view deployment, bool chat, SimResponsePlan &plan)
{
    if (!checkOpenAiKey(request, plan)) {
        return;
    }
    const Flavor flavor = api == Api::Azure ? Flavor::OpenAi : m_config.flavor;
    const bool llama = flavor == Flavor::LlamaCpp;
    const int badRequest = llama ? 500 : 400;
    const auto reject = [&](std::string_view message, std::string_view code) {
        OpenAiWriter::writeError(plan, badRequest, message, "invalid_request_error", code, flavor);
    };

    const Json json = parseBody(request.body);
    if (json.is_discarded() || !json.is_object()) {
        return reject("We could not parse the JSON body of your request (flowbench-sim expects "
                      "an OpenAI request object).",
                      "");
    }

    TurnPlanner::Input input;
    input.model
        = api == Api::Azure ? std::string(deployment) : stringField(json, "model", DefaultModel);
    std::string lastScratch;
    std::string scratch;
    std::string promptJoined;
    std::uint64_t conversation = 0;
    if (chat) {
        const auto messages = json.find("messages");
        if (messages == json.end() || !messages->is_array()) {
            return reject("Missing required parameter: 'messages'.", "missing_required_parameter");
        }
        const Json *lastUser = nullptr;
        for (const auto &message : *messages) {
            if (!message.is_object()) {
                return reject("Each of 'messages' must be an object.", "invalid_type");
            }
            const auto role = message.find("role");
            const auto content = message.find("content");
            const std::string_view roleText
                = role != message.end() && role->is_string()
                      ? std::string_view(role->get_ref<const std::string &>())
                      : std::string_view();
            const std::string_view text
                = content != message.end() ? contentText(*content, scratch) : std::string_view();
            input.promptChars += countChars(text);
            conversation = SimRandom::combine(conversation, SimRandom::hash(roleText));
            conversation = SimRandom::combine(conversation, SimRandom::hash(text));
            if (roleText == "user" && content != message.end()) {
                lastUser = &*content;
            }
        }
        if (lastUser != nullptr) {
            input.lastUserText = contentText(*lastUser, lastScratch);
        }
    } else {
        const auto prompt = json.find("prompt");
        if (prompt == json.end()) {
            return reject("Missing required parameter: 'prompt'.", "missing_required_parameter");
        }
        if (prompt->is_string()) {
            input.lastUserText = prompt->get_ref<const std::string &>();
        } else if (prompt->is_array()) {
            for (const auto &item : *prompt) {
                if (!promptJoined.empty()) {
                    promptJoined.push_back('\n');
                }
                promptJoined.append(item.is_string() ? item.get<std::string>() : item.dump());
            }
            input.lastUserText = promptJoined;
        } else {
            return reject("'prompt' must be a string or an array.", "invalid_type");
        }
        input.promptChars = countChars(input.lastUserText);
        conversation = SimRandom::hash(input.lastUserText);
    }
    input.conversationHash = conversation;

    const long long n = intField(json, "n").value_or(1);
    if (n < 1 || n > 128) {
        return reject("'n' must be between 1 and 128.", "invalid_value");
    }
    if (llama && n > 1) {
        return OpenAiWriter::writeError(plan, 500, "Only one completion choice is allowed",
                                        "server_error", "", flavor);
    }
    input.maxTokens = intField(json, "max_completion_tokens");
    if (!input.maxTokens) {
        input.maxTokens = intField(json, "max_tokens");
    }

    auto directive = SimDirective::find(input.lastUserText);
    if (!directive) {
        return reject(directive.error().message, "invalid_directive");
    }
    const SimDirective *d = directive->has_value() ? &**directive : nullptr;
    SimRandom random(0);
    const SimFaults faults = m_planner.decideFaults(request.body, d, random);
    if (faults.failStatus != 0) {
        OpenAiWriter::writeFaultError(plan, faults.failStatus, input.model, flavor);
        addRetryHeaders(plan, faults);
        plan.delayStart(faults.stall);
        return;
    }
    const SimTurn turn = m_planner.plan(input, d, random);

    OpenAiWriter::Options options;
    options.endpoint = chat ? OpenAiWriter::Endpoint::Chat : OpenAiWriter::Endpoint::Completion;
    options.flavor = flavor;
    options.stream = boolField(json, "stream");
    if (const auto so = json.find("stream_options"); so != json.end() && so->is_object()) {
        options.includeUsage = boolField(*so, "include_usage");
    }
    options.choices = static_cast<int>(n);
    const std::string id = nextId(chat ? "chatcmpl-sim-" : "cmpl-sim-");
    options.id = id;
    options.created = unixNow();
    OpenAiWriter::writeTurn(turn, faults, options, plan);
    if (faults.malformed) {
        m_stats.chunkMalformed();
    }
}

void SimRequestHandler::handleEmbeddings(const SimHttpRequest &request, std::string_view deployment,
                                         SimResponsePlan &plan)
{
    if (!checkOpenAiKey(request, plan)) {
        return;
    }
    const auto reject = [&](std::string_view message, std::string_view code) {
        OpenAiWriter::writeError(plan, 400, message, "invalid_request_error", code);
    };
    const Json json = parseBody(request.body);
    if (json.is_discarded() || !json.is_object()) {
        return reject("We could not parse the JSON body of your request (flowbench-sim).", "");
    }
    const std::string model
        = deployment.empty() ? stringField(json, "model", DefaultModel) : std::string(deployment);
    const auto input = json.find("input");
    if (input == json.end()) {
        return reject("Missing required parameter: 'input'.", "missing_required_parameter");
    }
    std::vector<std::string> texts;
    if (input->is_string()) {
        texts.push_back(input->get<std::string>());
    } else if (input->is_array() && !input->empty()) {
        const bool tokenList = std::all_of(input->begin(), input->end(),
                                           [](const Json &v) { return v.is_number_integer(); });
        if (tokenList) {
            texts.push_back(input->dump());
        } else {
            for (const auto &item : *input) {
                texts.push_back(item.is_string() ? item.get<std::string>() : item.dump());
            }
        }
    } else {
        return reject("'input' must be a non-empty string or array.", "invalid_type");
    }
    int dimensions = EmbeddingGenerator::DefaultDimensions;
    if (json.contains("dimensions")) {
        const auto dims = intField(json, "dimensions");
        if (!dims || *dims < 1 || *dims > EmbeddingGenerator::MaxDimensions) {
            return reject("'dimensions' must be an integer between 1 and 8192.", "invalid_value");
        }
        dimensions = static_cast<int>(*dims);
    }
    const std::string format = stringField(json, "encoding_format", "float");
    if (format != "float" && format != "base64") {
        return reject("'encoding_format' must be 'float' or 'base64'.", "invalid_value");
    }

    auto directive = SimDirective::find(texts.front());
    if (!directive) {
        return reject(directive.error().message, "invalid_directive");
    }
    SimRandom random(0);
    const SimFaults faults = m_planner.decideFaults(
        request.body, directive->has_value() ? &**directive : nullptr, random);
    if (faults.failStatus != 0) {
        OpenAiWriter::writeFaultError(plan, faults.failStatus, model);
        addRetryHeaders(plan, faults);
        plan.delayStart(faults.stall);
        return;
    }
    std::vector<std::vector<float>> vectors;
    vectors.reserve(texts.size());
    std::size_t chars = 0;
    for (const auto &text : texts) {
        vectors.push_back(EmbeddingGenerator::embed(text, dimensions));
        chars += countChars(text);
    }
    const double latencyMs
        = m_config.latency ? m_config.latency->sampleMs(random) : m_config.ttft.sampleMs(random);
    SimTurn named;
    named.model = model;
    OpenAiWriter::writeEmbeddings(plan, vectors, named.responseModel(),
                                  static_cast<int>((chars + 3) / 4), format == "base64",
                                  faults.stall + toMicros(latencyMs));
}

void SimRequestHandler::handleMessages(const SimHttpRequest &request, SimResponsePlan &plan)
{
    if (request.xApiKey.empty()) {
        return AnthropicWriter::writeError(plan, 401, "authentication_error",
                                           "x-api-key header is required");
    }
    if (!m_config.requireKey.empty() && request.xApiKey != m_config.requireKey) {
        return AnthropicWriter::writeError(plan, 401, "authentication_error",
                                           "invalid x-api-key (flowbench-sim)");
    }
    if (request.anthropicVersion.empty()) {
        return AnthropicWriter::writeError(plan, 400, "invalid_request_error",
                                           "anthropic-version: header is required");
    }
    const auto reject = [&](std::string_view message) {
        AnthropicWriter::writeError(plan, 400, "invalid_request_error", message);
    };
    const Json json = parseBody(request.body);
    if (json.is_discarded() || !json.is_object()) {
        return reject("There was an issue with the request body: it is not a JSON object "
                      "(flowbench-sim).");
    }
    const auto messages = json.find("messages");
    if (messages == json.end() || !messages->is_array()) {
        return reject("messages: Field required");
    }
    const auto maxTokens = intField(json, "max_tokens");
    if (!json.contains("max_tokens")) {
        return reject("max_tokens: Field required");
    }
    if (!maxTokens || *maxTokens < 1) {
        return reject("max_tokens: Input should be a valid positive integer");
    }

    TurnPlanner::Input input;
    input.model = stringField(json, "model", DefaultModel);
    input.maxTokens = maxTokens;
    std::string scratch;
    std::string lastScratch;
    std::uint64_t conversation = 0;
    if (const auto system = json.find("system"); system != json.end()) {
        if (!system->is_string() && !system->is_array()) {
            return reject("system: Input should be a valid string or list of text blocks");
        }
        const auto text = contentText(*system, scratch);
        input.promptChars += countChars(text);
        conversation = SimRandom::combine(conversation, SimRandom::hash(text));
    }
    const Json *lastUser = nullptr;
    for (const auto &message : *messages) {
        if (!message.is_object()) {
            return reject("messages: each message must be an object");
        }
        const auto role = message.find("role");
        const auto content = message.find("content");
        if (role == message.end() || !role->is_string() || content == message.end()) {
            return reject("messages: each message needs a role and a content");
        }
        const auto &roleText = role->get_ref<const std::string &>();
        const auto text = contentText(*content, scratch);
        input.promptChars += countChars(text);
        conversation = SimRandom::combine(conversation, SimRandom::hash(roleText));
        conversation = SimRandom::combine(conversation, SimRandom::hash(text));
        if (roleText == "user") {
            lastUser = &*content;
        }
    }
    if (lastUser != nullptr) {
        input.lastUserText = contentText(*lastUser, lastScratch);
    }
    input.conversationHash = conversation;

    auto directive = SimDirective::find(input.lastUserText);
    if (!directive) {
        return reject(directive.error().message);
    }
    const SimDirective *d = directive->has_value() ? &**directive : nullptr;
    SimRandom random(0);
    const SimFaults faults = m_planner.decideFaults(request.body, d, random);
    if (faults.failStatus != 0) {
        AnthropicWriter::writeFaultError(plan, faults.failStatus);
        addRetryHeaders(plan, faults);
        plan.delayStart(faults.stall);
        return;
    }
    const SimTurn turn = m_planner.plan(input, d, random);
    const std::string id = nextId("msg_sim_");
    AnthropicWriter::writeTurn(turn, faults, boolField(json, "stream"), id, plan);
    if (faults.malformed) {
        m_stats.chunkMalformed();
    }
}

} // namespace fb
