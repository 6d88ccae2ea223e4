#include <core/eval/linearregex.h>

#include <re2/re2.h>

namespace fb {

namespace {

std::string mebibytes(std::int64_t bytes)
{
    if (bytes % (1 << 20) == 0) {
        return std::to_string(bytes >> 20) + " MiB";
    }
    return std::to_string(bytes) + " bytes";
}

} // namespace

LinearRegex::LinearRegex(std::shared_ptr<const re2::RE2> re)
    : m_re(std::move(re))
{
}

Result<LinearRegex> LinearRegex::compile(const std::string &pattern, const Options &options)
{
    RE2::Options o;
    o.set_encoding(RE2::Options::EncodingUTF8);
    o.set_case_sensitive(!options.caseInsensitive);
    o.set_max_mem(options.maxMemoryBytes);
    o.set_log_errors(false); // the error goes into the Result, not to stderr
    auto re = std::make_shared<const RE2>(pattern, o);
    if (re->ok()) {
        return LinearRegex(std::move(re));
    }
    std::string reason = re->error();
    switch (re->error_code()) {
    case RE2::ErrorBadEscape:
    case RE2::ErrorBadPerlOp:
        reason += " (RE2 syntax: no backreferences, lookahead or lookbehind)";
        break;
    case RE2::ErrorPatternTooLarge:
        reason += " (the compiled pattern needs more than the regex memory limit of "
                  + mebibytes(options.maxMemoryBytes) + ")";
        break;
    default:
        break;
    }
    return Error(ErrorCode::InvalidArgument,
                 "invalid regular expression \"" + pattern + "\": " + reason);
}

bool LinearRegex::search(std::string_view text) const
{
    return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *m_re);
}

bool LinearRegex::fullMatch(std::string_view text) const
{
    return RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *m_re);
}

const std::string &LinearRegex::pattern() const { return m_re->pattern(); }

} // namespace fb
