#include <core/token/bytepairencoder_p.h>

#include <queue>
#include <algorithm>
#include <cstring>
#include <tuple>

namespace fb::token_detail {

namespace {

/// Pieces up to this many bytes merge with the simple quadratic scan tiktoken uses (fastest
/// for the short pieces that dominate text); longer ones (a page of CJK text, a long run of
/// spaces or symbols) use a heap.
constexpr std::size_t kLinearMax = 96;

std::uint64_t hashBytes(std::string_view s)
{
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    std::size_t n = s.size();
    std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (std::uint64_t(n) * 0xFF51AFD7ED558CCDULL);
    while (n >= 8) {
        std::uint64_t v;
        std::memcpy(&v, p, 8);
        h = (h ^ v) * 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 31;
        p += 8;
        n -= 8;
    }
    std::uint64_t v = 0;
    std::memcpy(&v, p, n);
    h = (h ^ v) * 0x94D049BB133111EBULL;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 32;
    return h;
}

int base64Value(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

bool decodeBase64(std::string_view in, std::string &out)
{
    std::uint32_t acc = 0;
    int bits = 0;
    for (const char c : in) {
        if (c == '=') {
            break;
        }
        const int v = base64Value(c);
        if (v < 0) {
            return false;
        }
        acc = (acc << 6) | std::uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(char((acc >> bits) & 0xFF));
        }
    }
    return true;
}

} // namespace

Result<BytePairEncoder> BytePairEncoder::fromTiktoken(std::string_view text)
{
    BytePairEncoder e;
    std::vector<std::pair<std::uint32_t, std::string>> tokens;
    std::size_t lineNo = 0;
    std::uint32_t maxRank = 0;
    std::size_t total = 0;
    while (!text.empty()) {
        ++lineNo;
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (line.empty()) {
            continue;
        }
        const std::size_t space = line.find(' ');
        std::string bytes;
        if (space == std::string_view::npos || !decodeBase64(line.substr(0, space), bytes)
            || bytes.empty()) {
            return fail(ErrorCode::Parse,
                        "rank file line " + std::to_string(lineNo) + ": expected 'BASE64 RANK'");
        }
        std::uint32_t rank = 0;
        const std::string_view digits = line.substr(space + 1);
        if (digits.empty() || digits.size() > 9) {
            return fail(ErrorCode::Parse, "rank file line " + std::to_string(lineNo)
                                              + ": bad rank '" + std::string(digits) + "'");
        }
        for (const char c : digits) {
            if (c < '0' || c > '9') {
                return fail(ErrorCode::Parse, "rank file line " + std::to_string(lineNo)
                                                  + ": bad rank '" + std::string(digits) + "'");
            }
            rank = rank * 10 + std::uint32_t(c - '0');
        }
        maxRank = std::max(maxRank, rank);
        total += bytes.size();
        tokens.emplace_back(rank, std::move(bytes));
    }
    if (tokens.empty()) {
        return fail(ErrorCode::Parse, "rank file is empty");
    }
    std::sort(tokens.begin(), tokens.end());
    e.m_bytes.reserve(total);
    e.m_offsets.assign(std::size_t(maxRank) + 2, 0);
    std::size_t next = 0;
    for (std::uint32_t r = 0; r <= maxRank; ++r) {
        e.m_offsets[r] = std::uint32_t(e.m_bytes.size());
        if (next < tokens.size() && tokens[next].first == r) {
            e.m_bytes += tokens[next].second;
            ++next;
            if (next < tokens.size() && tokens[next].first == r) {
                return fail(ErrorCode::Parse, "rank file: rank " + std::to_string(r) + " twice");
            }
        }
    }
    e.m_offsets[std::size_t(maxRank) + 1] = std::uint32_t(e.m_bytes.size());
    e.m_size = tokens.size();

    std::size_t capacity = 1;
    while (capacity < tokens.size() * 2) {
        capacity <<= 1;
    }
    e.m_slots.assign(capacity, Slot{});
    e.m_mask = capacity - 1;
    for (const auto &[rank, bytes] : tokens) {
        if (e.rankOf(bytes) != kNoRank) {
            return fail(ErrorCode::Parse,
                        "rank file: token of rank " + std::to_string(rank) + " listed twice");
        }
        e.insert(rank);
    }
    for (int b = 0; b < 256; ++b) {
        const char c = char(b);
        e.m_byteRank[std::size_t(b)] = e.rankOf(std::string_view(&c, 1));
        if (e.m_byteRank[std::size_t(b)] == kNoRank) {
            return fail(ErrorCode::Parse, "rank file: byte " + std::to_string(b) + " has no rank");
        }
    }
    return e;
}

void BytePairEncoder::insert(std::uint32_t rank)
{
    const std::uint64_t h = hashBytes(bytesOf(rank));
    std::size_t i = h & m_mask;
    while (m_slots[i].rank != kNoRank) {
        i = (i + 1) & m_mask;
    }
    m_slots[i] = Slot{std::uint32_t(h >> 32), rank};
}

std::uint32_t BytePairEncoder::rankOf(std::string_view bytes) const
{
    const std::uint64_t h = hashBytes(bytes);
    const auto tag = std::uint32_t(h >> 32);
    for (std::size_t i = h & m_mask;; i = (i + 1) & m_mask) {
        const Slot &s = m_slots[i];
        if (s.rank == kNoRank) {
            return kNoRank;
        }
        if (s.tag == tag) {
            const std::uint32_t begin = m_offsets[s.rank];
            const std::uint32_t end = m_offsets[s.rank + 1];
            if (end - begin == bytes.size()
                && std::memcmp(m_bytes.data() + begin, bytes.data(), bytes.size()) == 0) {
                return s.rank;
            }
        }
    }
}

std::string_view BytePairEncoder::bytesOf(std::uint32_t rank) const
{
    if (std::size_t(rank) + 1 >= m_offsets.size()) {
        return {};
    }
    return std::string_view(m_bytes).substr(m_offsets[rank], m_offsets[rank + 1] - m_offsets[rank]);
}

template <typename Emit> void BytePairEncoder::merge(std::string_view piece, Emit &&emit) const
{
    if (piece.size() == 1) {
        emit(m_byteRank[static_cast<unsigned char>(piece[0])]);
        return;
    }
    if (const std::uint32_t r = rankOf(piece); r != kNoRank) {
        emit(r);
        return;
    }
    if (piece.size() <= kLinearMax) {
        mergeLinear(piece, emit);
    } else {
        mergeHeap(piece, emit);
    }
}

template <typename Emit>
void BytePairEncoder::mergeLinear(std::string_view piece, Emit &&emit) const
{
    struct Part
    {
        std::uint32_t start;
        std::uint32_t pairRank; ///< rank of this part merged with the next, or kNoRank
    };
    const std::size_t n = piece.size();
    Part parts[kLinearMax + 1];
    // parts[0..count-1] are the current parts; parts[count - 1] is an end sentinel.
    std::size_t count = n + 1;
    for (std::size_t i = 0; i < n; ++i) {
        parts[i] = {std::uint32_t(i), i + 1 < n ? rankOf(piece.substr(i, 2)) : kNoRank};
    }
    parts[n] = {std::uint32_t(n), kNoRank};
    const auto spanRank = [&](std::size_t first, std::size_t endPart) {
        if (endPart >= count) {
            return kNoRank;
        }
        return rankOf(piece.substr(parts[first].start, parts[endPart].start - parts[first].start));
    };
    while (count > 2) {
        std::uint32_t best = kNoRank;
        std::size_t at = 0;
        for (std::size_t i = 0; i + 1 < count; ++i) {
            if (parts[i].pairRank < best) {
                best = parts[i].pairRank;
                at = i;
            }
        }
        if (best == kNoRank) {
            break;
        }
        // Merge parts[at] and parts[at + 1]; the ranks around the new part change.
        parts[at].pairRank = spanRank(at, at + 3);
        if (at > 0) {
            parts[at - 1].pairRank = spanRank(at - 1, at + 2);
        }
        std::memmove(parts + at + 1, parts + at + 2, (count - at - 2) * sizeof(Part));
        --count;
    }
    for (std::size_t i = 0; i + 1 < count; ++i) {
        const std::uint32_t len = parts[i + 1].start - parts[i].start;
        emit(len == 1 ? m_byteRank[static_cast<unsigned char>(piece[parts[i].start])]
                      : rankOf(piece.substr(parts[i].start, len)));
    }
}

template <typename Emit> void BytePairEncoder::mergeHeap(std::string_view piece, Emit &&emit) const
{
    // Parts as a linked list indexed by their first byte; a pair entry in the heap is valid
    // while neither of its parts changed since (generation counters).
    const std::size_t n = piece.size();
    std::vector<std::uint32_t> next(n), prev(n), gen(n, 0);
    std::vector<std::uint32_t> rank(n);
    std::vector<bool> alive(n, true);
    for (std::size_t i = 0; i < n; ++i) {
        next[i] = std::uint32_t(i + 1);
        prev[i] = std::uint32_t(i == 0 ? n : i - 1);
        rank[i] = m_byteRank[static_cast<unsigned char>(piece[i])];
    }
    const auto end = [&](std::uint32_t part) { return next[part]; }; // == n after the last
    using Entry = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
    const auto push = [&](std::uint32_t left) {
        const std::uint32_t right = next[left];
        if (right >= n) {
            return;
        }
        const std::uint32_t r = rankOf(piece.substr(left, end(right) - left));
        if (r != kNoRank) {
            heap.emplace(r, left, gen[left], gen[right]);
        }
    };
    for (std::uint32_t i = 0; i + 1 < n; ++i) {
        push(i);
    }
    while (!heap.empty()) {
        const auto [r, left, genLeft, genRight] = heap.top();
        heap.pop();
        const std::uint32_t right = next[left];
        if (!alive[left] || right >= n || gen[left] != genLeft || gen[right] != genRight) {
            continue;
        }
        rank[left] = r;
        alive[right] = false;
        next[left] = next[right];
        if (next[right] < n) {
            prev[next[right]] = left;
        }
        ++gen[left];
        if (prev[left] < n) {
            push(prev[left]);
        }
        push(left);
    }
    for (std::uint32_t i = 0; i < n; i = next[i]) {
        emit(rank[i]);
    }
}

void BytePairEncoder::encode(std::string_view piece, std::vector<std::uint32_t> &out) const
{
    merge(piece, [&out](std::uint32_t r) { out.push_back(r); });
}

std::size_t BytePairEncoder::count(std::string_view piece) const
{
    std::size_t n = 0;
    merge(piece, [&n](std::uint32_t) { ++n; });
    return n;
}

} // namespace fb::token_detail
