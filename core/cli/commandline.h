#pragma once

#include <core/common/result.h>

#include <map>
#include <string>
#include <vector>

namespace fb {

/// One option of a command: `--name VALUE`, a flag `--name`, or a multi-valued
/// `--name V1 V2 ...` (values run until the next argument that starts with "--").
struct OptionSpec
{
    std::string name;      ///< without the dashes
    std::string valueName; ///< empty for flags
    std::string help;
    bool multi = false; ///< may take several values and repeat
};

/// Parses the arguments of one CLI command against its option specs and renders its --help.
/// Errors name the offending argument. Not thread-safe.
class CommandLine
{
public:
    CommandLine(std::string usage, std::string description, std::vector<OptionSpec> options);

    [[nodiscard]] Result<void> parse(const std::vector<std::string> &args);

    [[nodiscard]] bool has(const std::string &name) const;
    [[nodiscard]] std::string value(const std::string &name,
                                    const std::string &fallback = {}) const;
    [[nodiscard]] std::vector<std::string> values(const std::string &name) const;
    /// A number option, strictly: absent gives `fallback`; given, the whole value must be a
    /// finite decimal number in [minimum, maximum] (a whole one when `whole`), else the error
    /// names the option, what was given and what is allowed ("nan", "inf", "1e10" for a
    /// bounded count and "0" where 1 is the least are refused, not turned into something else).
    [[nodiscard]] Result<double> number(const std::string &name, double fallback, double minimum,
                                        double maximum, bool whole = false) const;
    [[nodiscard]] const std::vector<std::string> &positionals() const { return m_positionals; }
    [[nodiscard]] std::string help() const;

private:
    std::string m_usage;
    std::string m_description;
    std::vector<OptionSpec> m_options;
    std::map<std::string, std::vector<std::string>> m_values;
    std::vector<std::string> m_positionals;
};

} // namespace fb
