#pragma once

#include <core/llm/connection.h>

#include <memory>
#include <string>
#include <vector>

namespace fb {
class ConnectionStore;
class FlowExecutor;
class LlmClient;
class PythonRunner;
} // namespace fb

namespace fb::ui {

/// Core's run services for the workbench, created on first use (the LLM client starts its I/O
/// thread, python workers start lazily): LlmClient, PythonRunner, ConnectionStore and the
/// FlowExecutor over them. Each run sets its whole set of connections, only while no line is
/// in flight (ConnectionStore is built on one thread, then read). GUI thread owns it.
class ExecutionServices
{
public:
    ExecutionServices();
    ~ExecutionServices();
    ExecutionServices(const ExecutionServices &) = delete;
    ExecutionServices &operator=(const ExecutionServices &) = delete;

    /// Replaces the connections: afterwards exactly these are known (a connection of an earlier
    /// run never answers for this one). The error names the first one that was refused.
    [[nodiscard]] bool setConnections(const std::vector<fb::Connection> &connections,
                                      std::string *error);
    [[nodiscard]] fb::FlowExecutor &executor();

private:
    std::unique_ptr<fb::LlmClient> m_llm;
    std::unique_ptr<fb::PythonRunner> m_python;
    std::unique_ptr<fb::ConnectionStore> m_connections;
    std::unique_ptr<fb::FlowExecutor> m_executor; // last: destroyed first
};

} // namespace fb::ui
