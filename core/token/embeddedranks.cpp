#include <core/token/embeddedranks_p.h>

#include <zlib.h>

#include <cstdint>

// FB_TIKTOKEN_DIR is the source tree's resources/tiktoken (set by core/token/CMakeLists.txt,
// which also makes this file rebuild when a rank file changes). The symbols are hidden so the
// references stay PC-relative in position-independent code.
#define FB_EMBED_FILE(symbol, file)                                                                \
    __asm__(".section .rodata\n"                                                                   \
            ".balign 16\n"                                                                         \
            ".globl " #symbol "\n"                                                                 \
            ".hidden " #symbol "\n" #symbol ":\n"                                                  \
            ".incbin \"" FB_TIKTOKEN_DIR "/" file "\"\n"                                           \
            ".globl " #symbol "_end\n"                                                             \
            ".hidden " #symbol "_end\n" #symbol "_end:\n"                                          \
            ".previous\n")

FB_EMBED_FILE(fb_tiktoken_cl100k_gz, "cl100k_base.tiktoken.gz");
FB_EMBED_FILE(fb_tiktoken_o200k_gz, "o200k_base.tiktoken.gz");

extern "C" {
extern const unsigned char fb_tiktoken_cl100k_gz[];
extern const unsigned char fb_tiktoken_cl100k_gz_end[];
extern const unsigned char fb_tiktoken_o200k_gz[];
extern const unsigned char fb_tiktoken_o200k_gz_end[];
}

namespace fb::token_detail {

namespace {

Result<std::string> gunzip(const unsigned char *begin, const unsigned char *end)
{
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) { // 16: expect a gzip header
        return fail(ErrorCode::Internal, "zlib: inflateInit2 failed");
    }
    z.next_in = const_cast<unsigned char *>(begin);
    z.avail_in = static_cast<uInt>(end - begin);
    std::string out;
    out.resize(std::size_t(end - begin) * 3);
    int rc = Z_OK;
    while (rc == Z_OK) {
        if (z.total_out == out.size()) {
            out.resize(out.size() * 2);
        }
        z.next_out = reinterpret_cast<unsigned char *>(out.data() + z.total_out);
        z.avail_out = static_cast<uInt>(out.size() - z.total_out);
        rc = inflate(&z, Z_NO_FLUSH);
    }
    out.resize(z.total_out);
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        return fail(ErrorCode::Internal, "embedded tiktoken ranks do not inflate (zlib error "
                                             + std::to_string(rc) + ")");
    }
    return out;
}

} // namespace

Result<std::string> EmbeddedRanks::load(std::string_view encoding)
{
    if (encoding == "cl100k_base") {
        return gunzip(fb_tiktoken_cl100k_gz, fb_tiktoken_cl100k_gz_end);
    }
    if (encoding == "o200k_base") {
        return gunzip(fb_tiktoken_o200k_gz, fb_tiktoken_o200k_gz_end);
    }
    return fail(ErrorCode::NotFound,
                "no embedded ranks for encoding '" + std::string(encoding) + "'");
}

} // namespace fb::token_detail
