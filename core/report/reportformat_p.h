#pragma once

#include <core/common/value.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fb {

/// Text helpers shared by the report writers: HTML escaping and number formatting.
/// Stateless; thread-safe.
class ReportFormat
{
public:
    /// Escapes & < > " ' for HTML text and attribute values, and the slashes of "://" (so a
    /// URL in the data is shown but is no literal URL in the page); invalid UTF-8 bytes and
    /// control characters other than tab, CR and LF become U+FFFD.
    [[nodiscard]] static std::string escape(std::string_view text);
    /// Fixed-point with `decimals` digits; "–" for NaN or infinity.
    [[nodiscard]] static std::string number(double value, int decimals);
    /// Compact form with about three significant digits ("1.23", "45.6", "1234").
    [[nodiscard]] static std::string compact(double value);
    /// A fraction as a percentage ("87.5 %").
    [[nodiscard]] static std::string percent(double fraction, int decimals = 1);
    /// Milliseconds ("845 ms", "1.24 s").
    [[nodiscard]] static std::string duration(double ms);
    /// US dollars with precision that suits the size ("$0.000123", "$1.25").
    [[nodiscard]] static std::string usd(double value);
    /// A p-value ("0.032", "< 0.001").
    [[nodiscard]] static std::string pValue(double p);
    /// A signed number ("+0.12", "−0.05").
    [[nodiscard]] static std::string signedNumber(double value, int decimals);
    /// Integer with thousands separators ("1 234 567", thin spaces).
    [[nodiscard]] static std::string count(std::int64_t value);
    /// UTC date and time of ms since the epoch ("2024-06-01 14:03 UTC").
    [[nodiscard]] static std::string dateUtc(std::int64_t ms);
    /// How a value reads in a table: strings as they are, null as "", others as compact JSON.
    [[nodiscard]] static std::string valueText(const Value &value);
    /// "node=variant, node2=variant" for a run's variant selection ("default" when empty).
    [[nodiscard]] static std::string variants(const Value &selection);
    /// Cuts `text` to at most `maxBytes` bytes at a UTF-8 boundary; sets `cut` when it did.
    [[nodiscard]] static std::string truncate(std::string_view text, std::size_t maxBytes,
                                              bool *cut = nullptr);
};

} // namespace fb
