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

LineStatus lineStatusFromName(std::string_view name)
{
    if (name == kLineCompleted) {
        return LineStatus::Completed;
    }
    if (name == kLineFailed) {
        return LineStatus::Failed;
    }
    if (name == runStateName(RunState::Cancelled)) {
        return LineStatus::Cancelled;
    }
    return LineStatus::Other;
}

const char *Rating::kindName(RatingKind kind)
{
    switch (kind) {
    case RatingKind::PassFail:
        return "pass_fail";
    case RatingKind::Stars:
        return "stars";
    case RatingKind::Comment:
        return "comment";
    case RatingKind::Score:
        break;
    }
    return "score";
}

std::optional<RatingKind> Rating::kindFromName(std::string_view name)
{
    for (const RatingKind kind :
         {RatingKind::Score, RatingKind::PassFail, RatingKind::Stars, RatingKind::Comment}) {
        if (name == kindName(kind)) {
            return kind;
        }
    }
    if (name.empty()) {
        return RatingKind::Score;
    }
    return std::nullopt;
}

} // namespace fb
