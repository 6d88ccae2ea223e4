#pragma once

#include <core/common/result.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace fb {

/// A regular expression matched in time linear in the text, with no backtracking and no
/// recursion (RE2), so a hostile pattern or a huge text cannot overflow the stack or run for
/// ever. RE2 syntax is Perl's without backreferences and lookaround; a pattern that needs them
/// fails `compile`. Patterns and texts are UTF-8: `.` and classes match whole code points and
/// case-insensitive matching folds Unicode letters. `^` and `$` are the text's start and end
/// (unless the pattern sets (?m)); `.` does not match a newline (unless (?s)).
/// Immutable after `compile`; matching is thread-safe. Copies share the compiled program.
class LinearRegex
{
public:
    /// RE2's max_mem: the memory the compiled program and its matching caches may use. A
    /// pattern whose program does not fit fails `compile` ("pattern too large"); a text that
    /// outgrows the caches is still matched, more slowly, in linear time.
    static constexpr std::int64_t kDefaultMaxMemoryBytes = 8 << 20;

    struct Options
    {
        bool caseInsensitive = false;
        std::int64_t maxMemoryBytes = kDefaultMaxMemoryBytes;
    };

    /// Fails with InvalidArgument naming the pattern and RE2's reason.
    [[nodiscard]] static Result<LinearRegex> compile(const std::string &pattern,
                                                     const Options &options);
    [[nodiscard]] static Result<LinearRegex> compile(const std::string &pattern)
    {
        return compile(pattern, Options{});
    }

    /// True when the pattern matches somewhere in `text`.
    [[nodiscard]] bool search(std::string_view text) const;
    /// True when the pattern matches the whole of `text`.
    [[nodiscard]] bool fullMatch(std::string_view text) const;

    [[nodiscard]] const std::string &pattern() const;

private:
    explicit LinearRegex(std::shared_ptr<const re2::RE2> re);

    std::shared_ptr<const re2::RE2> m_re;
};

} // namespace fb
