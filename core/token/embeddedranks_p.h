#pragma once

#include <core/common/result.h>

#include <string>
#include <string_view>

namespace fb::token_detail {

/// The rank files of resources/tiktoken, compiled into the library (gzip bytes placed in
/// .rodata by the assembler's .incbin, so no file is looked up at run time).
class EmbeddedRanks
{
public:
    /// The uncompressed tiktoken rank file of "cl100k_base" or "o200k_base". Fails for other
    /// names or when the embedded data does not inflate.
    [[nodiscard]] static Result<std::string> load(std::string_view encoding);
};

} // namespace fb::token_detail
