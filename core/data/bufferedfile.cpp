#include <core/data/bufferedfile_p.h>

#include <core/common/fileio.h>

#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace fb::data {

BufferedFile::~BufferedFile()
{
    if (m_file) {
        std::fclose(m_file);
    }
}

Result<void> BufferedFile::open(const std::filesystem::path &path, const std::string &displayName,
                                std::size_t chunkBytes)
{
    m_name = displayName;
    // Regular files only, refused before opening: a FIFO would wait for a writer (and could
    // be read only once, while a run reads its data twice), a device never ends.
    auto fd = openRegularFile(path);
    if (!fd) {
        return std::move(fd).error();
    }
    m_file = ::fdopen(*fd, "rb");
    if (!m_file) {
        const int err = errno;
        ::close(*fd);
        return fail(ErrorCode::Io, m_name + ": cannot open: " + std::strerror(err));
    }
    m_capacity = chunkBytes == 0 ? 1 : chunkBytes;
    m_buffer.reset(new char[m_capacity]);
    while (window().size() < 3 && !m_eof) {
        auto more = fill();
        if (!more) {
            return std::move(more).error();
        }
    }
    if (window().substr(0, 3) == "\xEF\xBB\xBF") {
        consume(3);
    }
    return {};
}

Result<bool> BufferedFile::fill()
{
    if (m_eof) {
        return false;
    }
    if (m_begin > 0) {
        // Slide the unconsumed bytes to the front so the buffer stays the same size.
        std::memmove(m_buffer.get(), m_buffer.get() + m_begin, m_end - m_begin);
        m_bufferOffset += static_cast<std::int64_t>(m_begin);
        m_end -= m_begin;
        m_begin = 0;
    }
    if (m_end == m_capacity) {
        std::unique_ptr<char[]> larger(new char[m_capacity * 2]);
        std::memcpy(larger.get(), m_buffer.get(), m_end);
        m_buffer = std::move(larger);
        m_capacity *= 2;
    }
    const std::size_t got = std::fread(m_buffer.get() + m_end, 1, m_capacity - m_end, m_file);
    if (got == 0) {
        if (std::ferror(m_file)) {
            return fail(ErrorCode::Io, m_name + ": read error: " + std::strerror(errno));
        }
        m_eof = true;
        return false;
    }
    m_end += got;
    return true;
}

} // namespace fb::data
