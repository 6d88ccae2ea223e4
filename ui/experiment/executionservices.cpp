#include <ui/experiment/executionservices.h>

#include <core/exec/flowexecutor.h>
#include <core/exec/pythonrunner.h>
#include <core/llm/connectionstore.h>
#include <core/llm/llmclient.h>

namespace fb::ui {

ExecutionServices::ExecutionServices()
    : m_llm(std::make_unique<fb::LlmClient>())
    , m_python(std::make_unique<fb::PythonRunner>())
    , m_connections(std::make_unique<fb::ConnectionStore>())
    , m_executor(std::make_unique<fb::FlowExecutor>(*m_llm, *m_python, *m_connections))
{
}

ExecutionServices::~ExecutionServices() { m_executor.reset(); }

bool ExecutionServices::setConnections(const std::vector<fb::Connection> &connections,
                                       std::string *error)
{
    m_connections->clear();
    for (const auto &c : connections) {
        if (auto r = m_connections->add(c); !r) {
            if (error) {
                *error = r.error().message;
            }
            return false;
        }
    }
    return true;
}

fb::FlowExecutor &ExecutionServices::executor() { return *m_executor; }

} // namespace fb::ui
