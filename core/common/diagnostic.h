#pragma once

#include <string>
#include <vector>

namespace fb {

/// One problem found in a file, with its position (1-based; 0 = unknown).
struct Diagnostic
{
    enum class Severity { Error, Warning };

    std::string file;
    int line = 0;
    int column = 0;
    Severity severity = Severity::Error;
    std::string message;

    /// "file:line:column: message" (warnings say "warning: " before the message).
    [[nodiscard]] std::string toString() const;
};

/// True when any diagnostic is an error.
[[nodiscard]] bool hasErrors(const std::vector<Diagnostic> &diagnostics);

} // namespace fb
