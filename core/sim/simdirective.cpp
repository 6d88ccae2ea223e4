#include <core/sim/simdirective.h>

#include <charconv>
#include <cmath>

namespace fb {

namespace {

constexpr std::string_view Open = "[[sim:";
constexpr std::string_view Close = "]]";

template <typename T> bool parseNumber(std::string_view text, T &out)
{
    const auto *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end && !text.empty();
}

bool parseMs(std::string_view text, std::optional<double> &out)
{
    double v = 0.0;
    if (!parseNumber(text, v) || v < 0.0 || !std::isfinite(v)) {
        return false;
    }
    out = v;
    return true;
}

int base64Value(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+' || c == '-') {
        return 62;
    }
    if (c == '/' || c == '_') {
        return 63;
    }
    return -1;
}

/// Standard or URL-safe base64, padding optional.
std::optional<std::string> decodeBase64(std::string_view text)
{
    std::string out;
    unsigned int buffer = 0;
    int bits = 0;
    for (const char c : text) {
        if (c == '=') {
            break;
        }
        const int v = base64Value(c);
        if (v < 0) {
            return std::nullopt;
        }
        buffer = (buffer << 6) | static_cast<unsigned int>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xff));
        }
    }
    return out;
}

/// Replaces invalid UTF-8 with U+FFFD so the answer can be put into JSON as is.
std::string sanitizeUtf8(std::string_view in)
{
    std::string out;
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        const auto c = static_cast<unsigned char>(in[i]);
        std::size_t len = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
        bool ok = len > 0 && i + len <= in.size();
        for (std::size_t k = 1; ok && k < len; ++k) {
            ok = (static_cast<unsigned char>(in[i + k]) >> 6) == 2;
        }
        if (ok) {
            out.append(in.substr(i, len));
            i += len;
        } else {
            out.append("\xEF\xBF\xBD");
            ++i;
        }
    }
    return out;
}

} // namespace

Result<std::optional<SimDirective>> SimDirective::find(std::string_view text)
{
    const auto start = text.find(Open);
    if (start == std::string_view::npos) {
        return std::optional<SimDirective>();
    }
    const auto end = text.find(Close, start + Open.size());
    if (end == std::string_view::npos) {
        return fail(ErrorCode::InvalidArgument, "flowbench-sim directive without closing ']]'");
    }
    SimDirective d;
    d.text = std::string(text.substr(start, end + Close.size() - start));
    std::string_view body = text.substr(start + Open.size(), end - start - Open.size());
    while (!body.empty()) {
        const auto comma = body.find(',');
        const auto item = body.substr(0, comma);
        body = comma == std::string_view::npos ? std::string_view() : body.substr(comma + 1);
        if (item.empty()) {
            continue;
        }
        const auto eq = item.find('=');
        const auto key = item.substr(0, eq);
        const auto value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
        const auto bad = [&] {
            return fail(ErrorCode::InvalidArgument, "flowbench-sim directive " + d.text
                                                        + ": bad value for '" + std::string(key)
                                                        + "'");
        };
        bool ok = true;
        if (key == "fail") {
            int status = 0;
            ok = parseNumber(value, status) && status >= 400 && status <= 599;
            d.failStatus = status;
        } else if (key == "times") {
            long long n = 0;
            ok = parseNumber(value, n) && n >= 0;
            d.times = n;
        } else if (key == "retry_after" || key == "retry_after_ms") {
            double v = 0.0;
            ok = parseNumber(value, v) && v >= 0.0;
            (key == "retry_after" ? d.retryAfter : d.retryAfterMs) = std::string(value);
        } else if (key == "stall_ms") {
            ok = parseMs(value, d.stallMs);
        } else if (key == "ttft_ms") {
            ok = parseMs(value, d.ttftMs);
        } else if (key == "token_ms") {
            ok = parseMs(value, d.tokenMs);
        } else if (key == "truncate" || key == "malformed") {
            ok = value == "1" || value == "0" || value == "true" || value == "false";
            (key == "truncate" ? d.truncate : d.malformed) = value == "1" || value == "true";
        } else if (key == "reply") {
            d.reply = std::string(value);
        } else if (key == "reply_b64") {
            auto decoded = decodeBase64(value);
            ok = decoded.has_value();
            if (ok) {
                d.reply = sanitizeUtf8(*decoded);
            }
        } else if (key == "tokens") {
            int n = 0;
            ok = parseNumber(value, n) && n >= 0 && n <= 1000000;
            d.tokens = n;
        } else {
            return fail(ErrorCode::InvalidArgument, "flowbench-sim directive " + d.text
                                                        + ": unknown key '" + std::string(key)
                                                        + "'");
        }
        if (!ok) {
            return bad();
        }
    }
    return std::optional<SimDirective>(std::move(d));
}

bool SimDirective::hasFault() const
{
    return failStatus.has_value() || stallMs.has_value() || truncate || malformed;
}

} // namespace fb
