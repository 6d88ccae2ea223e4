#include <core/exec/linetypes.h>

namespace fb {

const char *runStatusName(RunStatus status)
{
    switch (status) {
    case RunStatus::NotStarted:
        return "NotStarted";
    case RunStatus::Running:
        return "Running";
    case RunStatus::Completed:
        return "Completed";
    case RunStatus::Failed:
        return "Failed";
    case RunStatus::Bypassed:
        return "Bypassed";
    case RunStatus::Cancelled:
        return "Canceled";
    }
    return "NotStarted";
}

} // namespace fb
