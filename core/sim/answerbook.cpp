#include <core/sim/answerbook.h>

#include <core/common/fileio.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <deque>
#include <limits>
#include <unordered_map>

namespace fb {

namespace {

constexpr std::size_t NoEntry = std::numeric_limits<std::size_t>::max();
/// Below this many entries a plain substring scan beats the automaton.
constexpr std::size_t LinearScanLimit = 16;

std::string textOf(const nlohmann::json &value)
{
    return value.is_string() ? value.get<std::string>() : value.dump();
}

} // namespace

Result<AnswerBook> AnswerBook::load(const std::filesystem::path &path)
{
    auto text = readFile(path);
    if (!text) {
        return std::move(text).error();
    }
    return fromJsonLines(*text, path.string());
}

Result<AnswerBook> AnswerBook::fromJsonLines(std::string_view text, std::string_view source)
{
    AnswerBook book;
    std::unordered_map<std::string, std::size_t> answerIndex;
    std::size_t lineNo = 0;
    while (!text.empty()) {
        ++lineNo;
        const auto eol = text.find('\n');
        auto line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
            continue;
        }
        const auto where = std::string(source) + ":" + std::to_string(lineNo) + ": ";
        const auto json = nlohmann::json::parse(line, nullptr, false);
        if (json.is_discarded() || !json.is_object()) {
            return fail(ErrorCode::Parse, where + "not a JSON object");
        }
        const auto input = json.find("input");
        const auto answer = json.find("answer");
        if (input == json.end() || answer == json.end()) {
            return fail(ErrorCode::Parse, where + "needs both \"input\" and \"answer\"");
        }
        book.m_inputs.push_back(textOf(*input));
        auto value = textOf(*answer);
        const auto [it, inserted] = answerIndex.emplace(value, book.m_answers.size());
        if (inserted) {
            book.m_answers.push_back(std::move(value));
        }
        book.m_answerOf.push_back(it->second);
    }
    book.buildAutomaton();
    return book;
}

void AnswerBook::buildAutomaton()
{
    m_edges.clear();
    m_fail.assign(1, 0);
    m_best.assign(1, NoEntry);
    if (m_inputs.size() <= LinearScanLimit) {
        return;
    }
    for (std::size_t entry = 0; entry < m_inputs.size(); ++entry) {
        int node = 0;
        for (const char c : m_inputs[entry]) {
            const auto key = static_cast<std::uint64_t>(node) * 256 + static_cast<unsigned char>(c);
            const auto it = m_edges.find(key);
            if (it != m_edges.end()) {
                node = it->second;
            } else {
                const int next = static_cast<int>(m_fail.size());
                m_edges.emplace(key, next);
                m_fail.push_back(0);
                m_best.push_back(NoEntry);
                node = next;
            }
        }
        m_best[node] = std::min(m_best[node], entry);
    }
    // Children per node, so the breadth-first pass can walk the trie.
    std::vector<std::vector<std::pair<unsigned char, int>>> children(m_fail.size());
    for (const auto &[key, node] : m_edges) {
        children[key / 256].emplace_back(static_cast<unsigned char>(key % 256), node);
    }
    std::deque<int> queue;
    for (const auto &[byte, node] : children[0]) {
        m_fail[node] = 0;
        queue.push_back(node);
    }
    while (!queue.empty()) {
        const int node = queue.front();
        queue.pop_front();
        m_best[node] = std::min(m_best[node], m_best[m_fail[node]]);
        for (const auto &[byte, next] : children[node]) {
            int f = m_fail[node];
            while (f != 0 && child(f, byte) < 0) {
                f = m_fail[f];
            }
            const int target = child(f, byte);
            m_fail[next] = (target >= 0 && target != next) ? target : 0;
            queue.push_back(next);
        }
    }
}

int AnswerBook::child(int node, unsigned char byte) const
{
    const auto it = m_edges.find(static_cast<std::uint64_t>(node) * 256 + byte);
    return it == m_edges.end() ? -1 : it->second;
}

std::optional<std::size_t> AnswerBook::find(std::string_view text) const
{
    if (m_inputs.size() <= LinearScanLimit) {
        for (std::size_t entry = 0; entry < m_inputs.size(); ++entry) {
            if (text.find(m_inputs[entry]) != std::string_view::npos) {
                return entry;
            }
        }
        return std::nullopt;
    }
    std::size_t best = m_best[0];
    int node = 0;
    for (const char c : text) {
        if (best == 0) {
            break;
        }
        const auto byte = static_cast<unsigned char>(c);
        int next = child(node, byte);
        while (next < 0 && node != 0) {
            node = m_fail[node];
            next = child(node, byte);
        }
        node = next < 0 ? 0 : next;
        best = std::min(best, m_best[node]);
    }
    if (best == NoEntry) {
        return std::nullopt;
    }
    return best;
}

const std::string &AnswerBook::answer(std::size_t entry) const
{
    return m_answers[m_answerOf[entry]];
}

const std::string *AnswerBook::wrongAnswer(std::size_t entry, std::uint64_t pick) const
{
    if (m_answers.size() < 2) {
        return nullptr;
    }
    const std::size_t right = m_answerOf[entry];
    std::size_t k = static_cast<std::size_t>(pick % (m_answers.size() - 1));
    if (k >= right) {
        ++k;
    }
    return &m_answers[k];
}

} // namespace fb
