#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace fb {

/// Why an operation failed. Codes are stable: the CLI maps them to exit codes.
enum class ErrorCode {
    InvalidArgument, ///< the caller passed something unusable (bad option, bad id)
    NotFound,        ///< a file, node, connection or run does not exist
    Io,              ///< reading or writing a file or pipe failed
    Parse,           ///< YAML, JSON, template or data syntax error
    Validation,      ///< the flow is well-formed but inconsistent
    Template,        ///< a template failed while rendering
    Http,            ///< transport failure or an HTTP error status
    Timeout,         ///< a connect, total or per-node timeout expired
    Cancelled,       ///< the user or the caller cancelled
    RateLimited,     ///< the provider answered 429 and retries ran out
    Provider,        ///< the provider answered, but with an error or nonsense
    Python,          ///< a python node raised, or python3 is unusable
    Unsupported,     ///< a feature of the format we do not implement
    Internal,        ///< anything else; a message says what
};

/// A printable name for an error code, e.g. "parse".
const char *errorCodeName(ErrorCode code);

/// A failure a user can act on: the message names the file, line and field where known.
struct Error
{
    ErrorCode code = ErrorCode::Internal;
    std::string message;

    Error() = default;
    Error(ErrorCode c, std::string m)
        : code(c)
        , message(std::move(m))
    {
    }
};

/// Tag type to construct a failed Result, as std::unexpected does.
class Unexpected
{
public:
    explicit Unexpected(Error e)
        : m_error(std::move(e))
    {
    }
    Unexpected(ErrorCode code, std::string message)
        : m_error(code, std::move(message))
    {
    }
    [[nodiscard]] Error &error() & { return m_error; }
    [[nodiscard]] Error &&error() && { return std::move(m_error); }

private:
    Error m_error;
};

/// A value or an Error, with the names of std::expected so C++23 can alias it.
/// Failures in core are values: no exception crosses a core API.
template <typename T> class [[nodiscard]] Result
{
public:
    Result(const T &value)
        : m_v(std::in_place_index<0>, value)
    {
    }
    Result(T &&value)
        : m_v(std::in_place_index<0>, std::move(value))
    {
    }
    template <
        typename U,
        typename = std::enable_if_t<
            std::is_constructible_v<
                T,
                U &&> && !std::is_same_v<std::decay_t<U>, Result> && !std::is_same_v<std::decay_t<U>, Unexpected> && !std::is_same_v<std::decay_t<U>, Error>>>
    Result(U &&value)
        : m_v(std::in_place_index<0>, T(std::forward<U>(value)))
    {
    }
    Result(Unexpected u)
        : m_v(std::in_place_index<1>, std::move(u).error())
    {
    }
    Result(Error e)
        : m_v(std::in_place_index<1>, std::move(e))
    {
    }

    [[nodiscard]] bool has_value() const { return m_v.index() == 0; }
    explicit operator bool() const { return has_value(); }

    [[nodiscard]] T &value() &
    {
        assert(has_value());
        return std::get<0>(m_v);
    }
    [[nodiscard]] const T &value() const &
    {
        assert(has_value());
        return std::get<0>(m_v);
    }
    [[nodiscard]] T &&value() &&
    {
        assert(has_value());
        return std::get<0>(std::move(m_v));
    }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T &&operator*() && { return std::move(*this).value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    [[nodiscard]] const Error &error() const &
    {
        assert(!has_value());
        return std::get<1>(m_v);
    }
    [[nodiscard]] Error &&error() &&
    {
        assert(!has_value());
        return std::get<1>(std::move(m_v));
    }

    template <typename U> [[nodiscard]] T value_or(U &&fallback) const &
    {
        return has_value() ? std::get<0>(m_v) : static_cast<T>(std::forward<U>(fallback));
    }

private:
    std::variant<T, Error> m_v;
};

/// Result of an operation that yields nothing but may fail.
template <> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Unexpected u)
        : m_error(std::move(u).error())
    {
    }
    Result(Error e)
        : m_error(std::move(e))
    {
    }

    [[nodiscard]] bool has_value() const { return !m_error.has_value(); }
    explicit operator bool() const { return has_value(); }
    void value() const { assert(has_value()); }
    [[nodiscard]] const Error &error() const &
    {
        assert(!has_value());
        return *m_error;
    }
    [[nodiscard]] Error &&error() &&
    {
        assert(!has_value());
        return std::move(*m_error);
    }

private:
    std::optional<Error> m_error;
};

/// Shorthand: `return fail(ErrorCode::Parse, "x.yaml:3:1: ...");`
inline Unexpected fail(ErrorCode code, std::string message)
{
    return Unexpected(code, std::move(message));
}

} // namespace fb
