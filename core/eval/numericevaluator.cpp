#include <core/eval/numericevaluator.h>

#include <core/eval/evaloptions_p.h>

#include <charconv>
#include <cmath>
#include <sstream>

namespace fb {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool isWordChar(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

std::string formatNumber(double x)
{
    std::ostringstream s;
    s.precision(15);
    s << x;
    return s.str();
}

} // namespace

NumericEvaluator::NumericEvaluator(Options options)
    : m_options(options)
{
}

Result<std::unique_ptr<Evaluator>> NumericEvaluator::create(const Value &options)
{
    const EvalOptions o(options, "numeric");
    if (auto ok = o.checkKeys({"expected", "abs_tol", "rel_tol"}); !ok) {
        return ok.error();
    }
    Options opts;
    if (o.has("expected")) {
        const auto e = o.number("expected", 0.0);
        if (!e) {
            return e.error();
        }
        opts.expected = *e;
    }
    const auto absTol = o.number("abs_tol", 0.0);
    const auto relTol = o.number("rel_tol", 0.0);
    if (!absTol) {
        return absTol.error();
    }
    if (!relTol) {
        return relTol.error();
    }
    if (*absTol < 0) {
        return o.error("abs_tol", "must not be negative");
    }
    if (*relTol < 0) {
        return o.error("rel_tol", "must not be negative");
    }
    opts.absTol = *absTol;
    opts.relTol = *relTol;
    return std::unique_ptr<Evaluator>(new NumericEvaluator(opts));
}

std::optional<double> NumericEvaluator::firstNumber(std::string_view text)
{
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n; ++i) {
        const bool startsDigit = isDigit(text[i]);
        const bool startsDot = text[i] == '.' && i + 1 < n && isDigit(text[i + 1]);
        if (!startsDigit && !startsDot) {
            continue;
        }
        std::string number;
        if (i > 0 && (text[i - 1] == '-' || text[i - 1] == '+')
            && (i < 2 || !isWordChar(text[i - 2]))) {
            if (text[i - 1] == '-') {
                number += '-';
            }
        }
        std::size_t j = i;
        std::size_t groupStart = j;
        while (j < n && isDigit(text[j])) {
            number += text[j++];
        }
        // Thousands separators: only when the leading group has 1-3 digits and every group 3.
        if (j - groupStart <= 3) {
            while (j + 3 < n + 0 && text[j] == ',' && isDigit(text[j + 1]) && isDigit(text[j + 2])
                   && isDigit(text[j + 3]) && (j + 4 >= n || !isDigit(text[j + 4]))) {
                number.append(text.substr(j + 1, 3));
                j += 4;
            }
        }
        if (j < n && text[j] == '.' && j + 1 < n && isDigit(text[j + 1])) {
            number += text[j++];
            while (j < n && isDigit(text[j])) {
                number += text[j++];
            }
        }
        if (j < n && (text[j] == 'e' || text[j] == 'E')) {
            std::size_t k = j + 1;
            if (k < n && (text[k] == '+' || text[k] == '-')) {
                ++k;
            }
            if (k < n && isDigit(text[k])) {
                number.append(text.substr(j, k - j));
                j = k;
                while (j < n && isDigit(text[j])) {
                    number += text[j++];
                }
            }
        }
        double value = 0.0;
        const char *begin = number.data();
        const auto parsed = std::from_chars(begin, begin + number.size(), value);
        if (parsed.ec == std::errc()) {
            return value;
        }
        return std::nullopt; // out of range: "1e999"
    }
    return std::nullopt;
}

Result<EvalScore> NumericEvaluator::evaluate(const EvalInput &input) const
{
    std::optional<double> expected = m_options.expected;
    if (!expected) {
        expected = firstNumber(input.reference);
        if (!expected) {
            return Error(ErrorCode::InvalidArgument, "evaluator 'numeric': the reference \""
                                                         + input.reference
                                                         + "\" contains no number");
        }
    }
    const auto actual = firstNumber(input.output);
    if (!actual) {
        return EvalScore{0.0, false, "no number in the output"};
    }
    const double diff = std::fabs(*actual - *expected);
    const double allowed = std::max(m_options.absTol, m_options.relTol * std::fabs(*expected));
    const bool passed = diff <= allowed;
    return EvalScore{passed ? 1.0 : 0.0, passed,
                     formatNumber(*actual) + (passed ? " is within " : " is not within ")
                         + formatNumber(allowed) + " of " + formatNumber(*expected)};
}

} // namespace fb
