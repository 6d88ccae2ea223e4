#include <core/cli/commandline.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace fb {

CommandLine::CommandLine(std::string usage, std::string description,
                         std::vector<OptionSpec> options)
    : m_usage(std::move(usage))
    , m_description(std::move(description))
    , m_options(std::move(options))
{
    m_options.push_back({"help", {}, "show this help and exit", false});
}

Result<void> CommandLine::parse(const std::vector<std::string> &args)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg.rfind("--", 0) != 0 || arg == "--") {
            m_positionals.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::string inlineValue;
        bool hasInline = false;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
            hasInline = true;
        }
        const auto spec = std::find_if(m_options.begin(), m_options.end(),
                                       [&](const OptionSpec &o) { return o.name == name; });
        if (spec == m_options.end()) {
            return fail(ErrorCode::InvalidArgument, "unknown option '--" + name + "' (see --help)");
        }
        auto &slot = m_values[name];
        if (spec->valueName.empty()) {
            if (hasInline) {
                return fail(ErrorCode::InvalidArgument, "option '--" + name + "' takes no value");
            }
            continue;
        }
        if (hasInline) {
            slot.push_back(inlineValue);
            continue;
        }
        std::size_t taken = 0;
        while (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) {
            slot.push_back(args[++i]);
            ++taken;
            if (!spec->multi) {
                break;
            }
        }
        if (taken == 0) {
            return fail(ErrorCode::InvalidArgument,
                        "option '--" + name + "' needs a value (" + spec->valueName + ")");
        }
    }
    return {};
}

bool CommandLine::has(const std::string &name) const { return m_values.count(name) > 0; }

std::string CommandLine::value(const std::string &name, const std::string &fallback) const
{
    const auto it = m_values.find(name);
    if (it == m_values.end() || it->second.empty()) {
        return fallback;
    }
    return it->second.back();
}

Result<double> CommandLine::number(const std::string &name, double fallback, double minimum,
                                   double maximum, bool whole) const
{
    if (!has(name)) {
        return fallback;
    }
    const std::string text = value(name);
    const auto describe = [&] {
        std::ostringstream range;
        range << (whole ? "a whole number from " : "a number from ") << minimum << " to "
              << maximum;
        return range.str();
    };
    // Decimal only: strtod would also take "nan", "inf" and hexadecimal floats.
    const bool decimal
        = !text.empty()
          && text.find_first_not_of("0123456789+-.eE") == std::string::npos;
    char *end = nullptr;
    const double v = decimal ? std::strtod(text.c_str(), &end) : 0.0;
    if (!decimal || *end != '\0' || !std::isfinite(v)) {
        return fail(ErrorCode::InvalidArgument,
                    "--" + name + ": '" + text + "' is not a number; expected " + describe());
    }
    if (v < minimum || v > maximum || (whole && v != std::floor(v))) {
        return fail(ErrorCode::InvalidArgument,
                    "--" + name + ": " + text + " is out of range; expected " + describe());
    }
    return v;
}

std::vector<std::string> CommandLine::values(const std::string &name) const
{
    const auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

std::string CommandLine::help() const
{
    std::string out = "usage: " + m_usage + "\n\n" + m_description + "\n\noptions:\n";
    for (const auto &o : m_options) {
        std::string left = "  --" + o.name;
        if (!o.valueName.empty()) {
            left += " " + o.valueName + (o.multi ? " ..." : "");
        }
        if (left.size() < 30) {
            left.resize(30, ' ');
        } else {
            left += "\n" + std::string(30, ' ');
        }
        out += left + o.help + "\n";
    }
    return out;
}

} // namespace fb
