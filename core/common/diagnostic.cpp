#include <core/common/diagnostic.h>

namespace fb {

std::string Diagnostic::toString() const
{
    std::string out = file;
    if (line > 0) {
        out += ':' + std::to_string(line);
        if (column > 0) {
            out += ':' + std::to_string(column);
        }
    }
    out += ": ";
    if (severity == Severity::Warning) {
        out += "warning: ";
    }
    out += message;
    return out;
}

bool hasErrors(const std::vector<Diagnostic> &diagnostics)
{
    for (const auto &d : diagnostics) {
        if (d.severity == Diagnostic::Severity::Error) {
            return true;
        }
    }
    return false;
}

} // namespace fb
