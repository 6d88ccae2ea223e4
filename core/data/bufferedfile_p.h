#pragma once

#include <core/common/result.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace fb::data {

/// A read-only file seen through one sliding window of buffered bytes. Parsers look at
/// window(), consume() what they used and fill() when they need more; the buffer only grows
/// when a single row is larger than it. Not thread-safe; owns the FILE handle.
class BufferedFile final
{
public:
    BufferedFile() = default;
    BufferedFile(const BufferedFile &) = delete;
    BufferedFile &operator=(const BufferedFile &) = delete;
    ~BufferedFile();

    /// Opens `path` (named `displayName` in errors) and reads the first chunk; a leading
    /// UTF-8 byte-order mark is skipped.
    [[nodiscard]] Result<void> open(const std::filesystem::path &path,
                                    const std::string &displayName, std::size_t chunkBytes);

    /// The bytes read but not yet consumed.
    [[nodiscard]] std::string_view window() const
    {
        return std::string_view(m_buffer.get() + m_begin, m_end - m_begin);
    }
    void consume(std::size_t n) { m_begin += n; }
    /// Reads more bytes behind the window (moving or growing the buffer; pointers into the
    /// old window become invalid). Returns false at the end of the file.
    [[nodiscard]] Result<bool> fill();
    [[nodiscard]] bool atEnd() const { return m_eof; }
    /// Offset in the file of window()[i].
    [[nodiscard]] std::int64_t fileOffset(std::size_t i) const
    {
        return m_bufferOffset + static_cast<std::int64_t>(m_begin + i);
    }
    /// The largest the buffer has been, in bytes.
    [[nodiscard]] std::size_t capacity() const { return m_capacity; }

private:
    std::FILE *m_file = nullptr;
    std::string m_name;
    // Not zero-filled: only bytes read from the file are ever looked at, and a 1 MiB buffer
    // zeroed on every open cost a millisecond and 256 page faults per dataset pass.
    std::unique_ptr<char[]> m_buffer;
    std::size_t m_capacity = 0;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    std::int64_t m_bufferOffset = 0; // file offset of m_buffer[0]
    bool m_eof = false;
};

} // namespace fb::data
