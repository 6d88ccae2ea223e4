#include <core/common/fileio.h>

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace fb {

Result<std::string> readFile(const std::filesystem::path &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        return fail(err == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                    path.string() + ": cannot open: " + std::strerror(err));
    }
    std::string out;
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
