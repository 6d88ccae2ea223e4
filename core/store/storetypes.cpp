#include <core/store/storetypes.h>

#include <array>
#include <utility>

namespace fb {

namespace {

constexpr std::array<std::pair<RunState, const char *>, 5> kStateNames = {{
    {RunState::NotStarted, "NotStarted"},
    {RunState::Running, "Running"},
    {RunState::Completed, "Completed"},
    {RunState::Failed, "Failed"},
    {RunState::Cancelled, "Cancelled"},
}};

} // namespace

const char *runStateName(RunState state)
{
    for (const auto &[value, name] : kStateNames) {
        if (value == state) {
            return name;
        }
    }
    return "NotStarted";
}

RunState runStateFromName(std::string_view name)
{
    for (const auto &[value, stateName] : kStateNames) {
        if (name == stateName) {
            return value;
        }
    }
    return RunState::NotStarted;
}

} // namespace fb
