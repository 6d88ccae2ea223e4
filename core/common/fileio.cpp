#include <core/common/fileio.h>

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>

namespace fb {

namespace {

std::string kindOf(mode_t mode)
{
    if (S_ISDIR(mode)) {
        return "a directory";
    }
    if (S_ISFIFO(mode)) {
        return "a FIFO (named pipe)";
    }
    if (S_ISCHR(mode)) {
        return "a character device";
    }
    if (S_ISBLK(mode)) {
        return "a block device";
    }
    if (S_ISSOCK(mode)) {
        return "a socket";
    }
    return "not a regular file";
}

/// The verdict on one stat result: its size, or why it is refused.
Result<std::uint64_t> judge(const std::filesystem::path &path, const struct stat &st,
                            std::uint64_t maxBytes)
{
    if (!S_ISREG(st.st_mode)) {
        return fail(ErrorCode::InvalidArgument,
                    path.string() + ": is " + kindOf(st.st_mode) + ", not a regular file");
    }
    const auto size = std::uint64_t(st.st_size);
    if (size > maxBytes) {
        return fail(ErrorCode::InvalidArgument,
                    path.string() + ": the file is " + describeSizeOverLimit(size, maxBytes));
    }
    return size;
}

Error tooLarge(const std::filesystem::path &path, std::uint64_t maxBytes)
{
    return Error(ErrorCode::InvalidArgument, path.string()
                                                 + ": the file is larger than the limit of "
                                                 + describeByteSize(maxBytes));
}

} // namespace

std::string describeByteSize(std::uint64_t bytes)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 10240 && bytes % 1024 != 0) {
        return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    }
    double value = double(bytes) / 1024;
    int unit = 0;
    while (value >= 1024 && unit < 3) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    if (value == double(std::uint64_t(value))) {
        std::snprintf(text, sizeof text, "%.0f %s", value, units[unit]);
    } else {
        std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    }
    return text;
}

std::string describeSizeOverLimit(std::uint64_t size, std::uint64_t limit)
{
    std::string sizeText = describeByteSize(size);
    std::string limitText = describeByteSize(limit);
    std::string rounded = sizeText;
    if (const auto dot = rounded.find(".0 "); dot != std::string::npos) {
        rounded.erase(dot, 2);
    }
    if (rounded == limitText) { // not "16.0 MiB, larger than the limit of 16 MiB"
        sizeText = std::to_string(size) + " bytes";
        limitText = std::to_string(limit) + " bytes";
    }
    return sizeText + ", larger than the limit of " + limitText;
}

Result<std::uint64_t> checkRegularFile(const std::filesystem::path &path, std::uint64_t maxBytes)
{
    struct stat st
    {
    };
    if (::stat(path.c_str(), &st) != 0) {
        const int err = errno;
        return fail(err == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                    path.string() + ": cannot open: " + std::strerror(err));
    }
    return judge(path, st, maxBytes);
}

Result<int> openRegularFile(const std::filesystem::path &path, std::uint64_t maxBytes)
{
    if (auto ok = checkRegularFile(path, maxBytes); !ok) {
        return ok.error();
    }
    // O_NONBLOCK: should a FIFO have taken the file's place since the check, open returns at
    // once instead of waiting for a writer; the fstat below then refuses it.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        const int err = errno;
        return fail(err == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                    path.string() + ": cannot open: " + std::strerror(err));
    }
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return fail(ErrorCode::Io, path.string() + ": cannot open: " + std::strerror(err));
    }
    if (auto ok = judge(path, st, maxBytes); !ok) {
        ::close(fd);
        return ok.error();
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

Result<std::string> readFile(const std::filesystem::path &path, const ReadFileLimits &limits)
{
    int fd = -1;
    std::uint64_t expected = 0;
    if (limits.regularOnly) {
        auto opened = openRegularFile(path, limits.maxBytes);
        if (!opened) {
            return opened.error();
        }
        fd = *opened;
        struct stat st
        {
        };
        if (::fstat(fd, &st) == 0) {
            expected = std::uint64_t(st.st_size);
        }
    } else {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
            const int err = errno;
            return fail(err == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                        path.string() + ": cannot open: " + std::strerror(err));
        }
    }
    std::string out;
    out.reserve(std::size_t(expected));
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const int err = errno;
            ::close(fd);
            return fail(ErrorCode::Io, path.string() + ": read failed: " + std::strerror(err));
        }
        if (n == 0) {
            break;
        }
        if (std::uint64_t(n) > limits.maxBytes - out.size()) {
            ::close(fd);
            return tooLarge(path, limits.maxBytes);
        }
        out.append(buf, std::size_t(n));
    }
    ::close(fd);
    return out;
}

std::filesystem::path temporarySibling(const std::filesystem::path &path)
{
    std::filesystem::path tmp = path;
    tmp += ".tmp-" + std::to_string(::getpid());
    return tmp;
}

Result<void> commitFile(const std::filesystem::path &temporary, const std::filesystem::path &path)
{
    const int fd = ::open(temporary.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        const int err = errno;
        if (fd >= 0) {
            ::close(fd);
        }
        ::unlink(temporary.c_str());
        return fail(ErrorCode::Io, path.string() + ": cannot flush: " + std::strerror(err));
    }
    ::close(fd);
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(temporary.c_str());
        return fail(ErrorCode::Io, path.string() + ": cannot replace: " + std::strerror(err));
    }
    return {};
}

Result<void> writeFileAtomically(const std::filesystem::path &path, std::string_view content)
{
    const std::filesystem::path tmp = temporarySibling(path);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return fail(ErrorCode::Io, tmp.string() + ": cannot create: " + std::strerror(errno));
    }
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            return fail(ErrorCode::Io, tmp.string() + ": write failed: " + std::strerror(err));
        }
        done += std::size_t(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return fail(ErrorCode::Io, path.string() + ": cannot flush: " + std::strerror(err));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return fail(ErrorCode::Io, path.string() + ": cannot replace: " + std::strerror(err));
    }
    return {};
}

} // namespace fb
