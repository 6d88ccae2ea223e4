#pragma once

#include <core/sim/answerbook.h>
#include <core/sim/simconfig.h>
#include <core/sim/simstats.h>
#include <core/sim/turnplanner.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace fb {

struct SimHttpRequest;
struct SimResponsePlan;

/// The simulator's request logic, free of sockets: routes a request (OpenAI, Azure, Anthropic,
/// /health, /v1/models, /stats), validates it like the real service would, decides faults and
/// the answer, and fills a SimResponsePlan that a connection then plays out.
/// Thread-safe: handle() may run on several I/O threads at once. Never throws.
class SimRequestHandler
{
public:
    SimRequestHandler(SimConfig config, AnswerBook answers);
    SimRequestHandler(const SimRequestHandler &) = delete;
    SimRequestHandler &operator=(const SimRequestHandler &) = delete;

    /// Fills `plan` (cleared first) for `request`. When plan.counted is true the request was
    /// counted as active in stats() and the caller must call stats().requestFinished() once
    /// the response is complete or abandoned.
    void handle(const SimHttpRequest &request, SimResponsePlan &plan);

    [[nodiscard]] SimStats &stats() { return m_stats; }
    [[nodiscard]] const SimConfig &config() const { return m_config; }

private:
    enum class Api { OpenAi, Azure };

    void route(const SimHttpRequest &request, std::string_view path, SimResponsePlan &plan);
    void handleChat(const SimHttpRequest &request, Api api, std::string_view deployment, bool chat,
                    SimResponsePlan &plan);
    void handleEmbeddings(const SimHttpRequest &request, std::string_view deployment,
                          SimResponsePlan &plan);
    void handleMessages(const SimHttpRequest &request, SimResponsePlan &plan);
    [[nodiscard]] bool checkOpenAiKey(const SimHttpRequest &request, SimResponsePlan &plan) const;
    [[nodiscard]] std::string nextId(std::string_view prefix);

    SimConfig m_config;
    AnswerBook m_answers;
    SimStats m_stats;
    TurnPlanner m_planner; // borrows m_config and m_answers: declared after them
    std::atomic<std::uint64_t> m_nextId{1};
    std::string m_modelsJson;
};

} // namespace fb
