#include <core/data/datasetfingerprint.h>

#include <core/common/fileio.h>
#include <core/common/sha256.h>
#include <core/data/datasetreader.h>

#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace fb {

namespace {

/// Feeds the bytes of `path` to `hash`; returns the number of bytes.
Result<std::uint64_t> hashFile(const std::filesystem::path &path, Sha256 *hash)
{
    auto fd = openRegularFile(path); // never a FIFO or a device: they may never end
    if (!fd) {
        return std::move(fd).error();
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE *)> file(::fdopen(*fd, "rb"), &std::fclose);
    if (!file) {
        const int err = errno;
        ::close(*fd);
        return fail(ErrorCode::Io, path.string() + ": cannot open: " + std::strerror(err));
    }
    std::vector<char> buffer(1 << 20);
    std::uint64_t total = 0;
    for (;;) {
        const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get());
        if (got > 0) {
            if (hash) {
                hash->update(std::string_view(buffer.data(), got));
            }
            total += got;
        }
        if (got < buffer.size()) {
            if (std::ferror(file.get())) {
                return fail(ErrorCode::Io, path.string() + ": read error: " + std::strerror(errno));
            }
            return total;
        }
    }
}

} // namespace

Result<std::string> DatasetFingerprint::compute(const std::filesystem::path &path)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) {
        Sha256 hash;
        auto size = hashFile(path, &hash);
        if (!size) {
            return std::move(size).error();
        }
        return hash.hexDigest();
    }
    auto files = DatasetReader::listFolder(path);
    if (!files) {
        return std::move(files).error();
    }
    Sha256 hash;
    for (const auto &file : *files) {
        // The length goes before the bytes, so it comes from the size on disk; a file that
        // changes while it is hashed is caught by comparing with the bytes actually read.
        const auto expected = std::filesystem::file_size(file, ec);
        if (ec) {
            return fail(ErrorCode::Io, file.string() + ": cannot stat: " + ec.message());
        }
        const std::string name = file.filename().string();
        hash.update(name);
        hash.update(std::string_view("\0", 1));
        hash.update(std::to_string(expected));
        hash.update(std::string_view("\0", 1));
        auto size = hashFile(file, &hash);
        if (!size) {
            return std::move(size).error();
        }
        if (*size != expected) {
            return fail(ErrorCode::Io, file.string() + ": the file changed while it was hashed");
        }
    }
    return hash.hexDigest();
}

} // namespace fb
