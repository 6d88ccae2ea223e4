#pragma once

#include <core/common/result.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fb {

/// The simulator's canned answers: JSON lines {"input": "...", "answer": "..."}.
/// find() returns the FIRST entry (in file order) whose input occurs in a text; it scans the
/// text once with an Aho-Corasick automaton, so large books stay cheap per request.
/// Immutable after loading; const methods are safe from any thread.
class AnswerBook
{
public:
    AnswerBook() = default;

    /// Loads a .jsonl file; blank lines are skipped. Errors name the file and line.
    [[nodiscard]] static Result<AnswerBook> load(const std::filesystem::path &path);
    /// Parses JSON-lines text; `source` names it in errors.
    [[nodiscard]] static Result<AnswerBook> fromJsonLines(std::string_view text,
                                                          std::string_view source);

    [[nodiscard]] bool isEmpty() const { return m_inputs.empty(); }
    [[nodiscard]] std::size_t size() const { return m_inputs.size(); }

    /// Index of the first entry whose input is a substring of `text`.
    [[nodiscard]] std::optional<std::size_t> find(std::string_view text) const;
    [[nodiscard]] const std::string &input(std::size_t entry) const { return m_inputs[entry]; }
    [[nodiscard]] const std::string &answer(std::size_t entry) const;
    /// An answer value of the book different from entry's answer, chosen by `pick`;
    /// nullptr when the book holds a single distinct answer.
    [[nodiscard]] const std::string *wrongAnswer(std::size_t entry, std::uint64_t pick) const;

private:
    void buildAutomaton();
    [[nodiscard]] int child(int node, unsigned char byte) const;

    std::vector<std::string> m_inputs;
    std::vector<std::size_t> m_answerOf; ///< entry -> index in m_answers
    std::vector<std::string> m_answers;  ///< distinct answer values, in order of appearance
    // Aho-Corasick: node 0 is the root; edges keyed by node * 256 + byte.
    std::unordered_map<std::uint64_t, int> m_edges;
    std::vector<int> m_fail;
    std::vector<std::size_t> m_best; ///< smallest entry index ending at the node or its suffixes
};

} // namespace fb
