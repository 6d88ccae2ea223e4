#include <core/report/compareset.h>

#include <core/store/experimentstore.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace fb {

Result<CompareSet> CompareSet::load(ExperimentStore &store, const std::vector<RunId> &runs,
                                    const StatsOptions &options, const std::atomic<bool> *cancel)
{
    if (runs.size() < 2 || runs.size() > kMaxRuns) {
        return fail(ErrorCode::InvalidArgument,
                    "a comparison needs 2 to " + std::to_string(kMaxRuns) + " runs, not "
                        + std::to_string(runs.size()));
    }
    std::vector<CompareSetRun> loaded;
    loaded.reserve(runs.size());
    for (const RunId id : runs) {
        if (cancel && cancel->load()) {
            return fail(ErrorCode::Cancelled, "the comparison was cancelled");
        }
        CompareSetRun r;
        auto summary = store.run(id);
        if (!summary) {
            return summary.error();
        }
        r.summary = std::move(*summary);
        auto lines = LineFigures::load(store, id, options.pageSize);
        if (!lines) {
            return lines.error();
        }
        r.lines = std::move(*lines);
        auto scores = RunScores::load(store, id, options.pageSize);
        if (!scores) {
            return scores.error();
        }
        r.scores = std::move(*scores);
        loaded.push_back(std::move(r));
    }
    return build(std::move(loaded), options);
}

Result<CompareSet> CompareSet::build(std::vector<CompareSetRun> runs, const StatsOptions &options)
{
    if (runs.size() < 2 || runs.size() > kMaxRuns) {
        return fail(ErrorCode::InvalidArgument,
                    "a comparison needs 2 to " + std::to_string(kMaxRuns) + " runs, not "
                        + std::to_string(runs.size()));
    }
    std::set<std::int64_t> ids;
    for (const auto &r : runs) {
        if (!ids.insert(r.summary.id.value).second) {
            return fail(ErrorCode::InvalidArgument,
                        "run '" + r.summary.name + "' is in the comparison twice");
        }
    }
    CompareSet set;
    set.m_runs = std::move(runs);
    set.m_options = options;
    const CompareSetRun &base = set.m_runs.front();
    std::vector<RunSummary> summaries;
    summaries.push_back(base.summary);
    for (std::size_t i = 1; i < set.m_runs.size(); ++i) {
        const CompareSetRun &cand = set.m_runs[i];
        auto c = RunComparison::compare(base.summary, base.lines, base.scores, cand.summary,
                                        cand.lines, cand.scores, options);
        if (!c) {
            return c.error();
        }
        set.m_comparisons.push_back(std::move(*c));
        summaries.push_back(cand.summary);
    }
    auto verdict = CompareVerdict::judge(set.m_comparisons);
    if (!verdict) {
        return verdict.error();
    }
    set.m_verdict = std::move(*verdict);
    set.m_warnings = CompareVerdict::comparability(summaries);
    for (const auto &column : base.scores.columns()) {
        const bool everywhere = std::all_of(set.m_runs.begin() + 1, set.m_runs.end(),
                                            [&](const CompareSetRun &r) {
                                                return r.scores.column(column.name) != nullptr;
                                            });
        if (everywhere) {
            set.m_shared.push_back(column.name);
        }
    }
    set.align();
    set.setFocusEvaluator(set.m_shared.empty() ? std::string() : set.m_shared.front());
    return set;
}

Result<CompareSet> CompareSet::withBaseline(std::size_t index) const
{
    if (index >= m_runs.size()) {
        return fail(ErrorCode::InvalidArgument, "no run " + std::to_string(index) + " to compare");
    }
    std::vector<CompareSetRun> runs;
    runs.push_back(m_runs[index]);
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        if (i != index) {
            runs.push_back(m_runs[i]);
        }
    }
    auto set = build(std::move(runs), m_options);
    if (set && !m_focus.empty()) {
        set->setFocusEvaluator(m_focus);
    }
    return set;
}

void CompareSet::align()
{
    // The union of every run's (ascending) line indexes, by a k-way merge of cursors.
    const std::size_t n = m_runs.size();
    std::vector<std::size_t> cursor(n, 0);
    std::size_t most = 0;
    for (const auto &r : m_runs) {
        most = std::max(most, r.lines.size());
    }
    m_rowLines.clear();
    m_rowLines.reserve(most);
    m_positions.assign(n, {});
    for (auto &p : m_positions) {
        p.reserve(most);
    }
    for (;;) {
        std::int64_t next = std::numeric_limits<std::int64_t>::max();
        for (std::size_t i = 0; i < n; ++i) {
            if (cursor[i] < m_runs[i].lines.size()) {
                next = std::min(next, m_runs[i].lines.lineIndexes[cursor[i]]);
            }
        }
        if (next == std::numeric_limits<std::int64_t>::max()) {
            break;
        }
        m_rowLines.push_back(next);
        for (std::size_t i = 0; i < n; ++i) {
            const auto &lines = m_runs[i].lines.lineIndexes;
            if (cursor[i] < lines.size() && lines[cursor[i]] == next) {
                m_positions[i].push_back(std::uint32_t(cursor[i]++));
            } else {
                m_positions[i].push_back(npos);
            }
        }
    }
}

void CompareSet::setFocusEvaluator(const std::string &name)
{
    m_focus = std::find(m_shared.begin(), m_shared.end(), name) != m_shared.end() ? name
                                                                                   : std::string();
    m_focusPositions.assign(m_runs.size(), {});
    if (!m_focus.empty()) {
        for (std::size_t i = 0; i < m_runs.size(); ++i) {
            const EvaluatorColumn &column = *m_runs[i].scores.column(m_focus);
            auto &positions = m_focusPositions[i];
            positions.assign(m_rowLines.size(), npos);
            std::size_t k = 0;
            for (std::size_t row = 0; row < m_rowLines.size(); ++row) {
                while (k < column.lineIndexes.size() && column.lineIndexes[k] < m_rowLines[row]) {
                    ++k;
                }
                if (k < column.lineIndexes.size() && column.lineIndexes[k] == m_rowLines[row]) {
                    positions[row] = std::uint32_t(k);
                }
            }
        }
    }
    computeFlags();
}

double CompareSet::score(std::size_t row, std::size_t i) const
{
    if (m_focus.empty() || m_focusPositions[i][row] == npos) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    return m_runs[i].scores.column(m_focus)->scores[m_focusPositions[i][row]];
}

signed char CompareSet::passed(std::size_t row, std::size_t i) const
{
    if (m_focus.empty() || m_focusPositions[i][row] == npos) {
        return -1;
    }
    return m_runs[i].scores.column(m_focus)->verdicts[m_focusPositions[i][row]];
}

std::uint8_t CompareSet::cellFlags(std::size_t row, std::size_t i) const
{
    const std::uint32_t p = m_positions[i][row];
    if (p == npos) {
        return 0;
    }
    const LineFigures &cl = m_runs[i].lines;
    const signed char cs = cl.statuses[p];
    std::uint8_t f = cs == LineFigures::Failed ? FailedInAny : 0;
    const std::uint32_t bp = m_positions[0][row];
    if (i == 0 || bp == npos) {
        return f; // nothing to differ from, regress or improve on
    }
    const LineFigures &bl = m_runs[0].lines;
    const signed char bs = bl.statuses[bp];
    if (cs != bs || (cs == LineFigures::Completed && cl.outputHashes[p] != bl.outputHashes[bp])) {
        f |= Differs;
    }
    if (bs == LineFigures::Completed && cs == LineFigures::Failed) {
        return f | Regression;
    }
    if (bs == LineFigures::Failed && cs == LineFigures::Completed) {
        return f | Improvement;
    }
    if (m_focus.empty() || m_focusPositions[0][row] == npos || m_focusPositions[i][row] == npos) {
        return f;
    }
    // Verdicts decide when both sides have one, else scores.
    const EvaluatorColumn &bc = m_runs[0].scores.columns()[m_focusColumns[0]];
    const EvaluatorColumn &cc = m_runs[i].scores.columns()[m_focusColumns[i]];
    const std::uint32_t bk = m_focusPositions[0][row];
    const std::uint32_t ck = m_focusPositions[i][row];
    const signed char bv = bc.verdicts[bk];
    const signed char cv = cc.verdicts[ck];
    if (bv >= 0 && cv >= 0) {
        return f | (bv > cv ? Regression : cv > bv ? Improvement : 0);
    }
    const double bsc = bc.scores[bk];
    const double csc = cc.scores[ck];
    if (std::isnan(bsc) || std::isnan(csc) || csc == bsc) {
        return f;
    }
    const bool better = (csc > bsc) == m_higherIsBetter[i];
    return f | (better ? Improvement : Regression);
}

void CompareSet::computeFlags()
{
    const std::size_t n = m_runs.size();
    m_focusColumns.assign(n, 0);
    m_higherIsBetter.assign(n, true);
    if (!m_focus.empty()) {
        for (std::size_t i = 0; i < n; ++i) {
            const auto &columns = m_runs[i].scores.columns();
            m_focusColumns[i] = std::size_t(
                std::find_if(columns.begin(), columns.end(),
                             [&](const EvaluatorColumn &c) { return c.name == m_focus; })
                - columns.begin());
            if (const MetricVerdict *v = m_verdict.verdict(m_runs[i].summary.name, m_focus)) {
                m_higherIsBetter[i] = v->higherIsBetter;
            }
        }
    }
    m_flags.assign(m_rowLines.size(), 0);
    for (std::size_t row = 0; row < m_rowLines.size(); ++row) {
        std::uint8_t f = 0;
        for (std::size_t i = 0; i < n; ++i) {
            f |= cellFlags(row, i);
        }
        m_flags[row] = f;
    }
}

std::vector<std::uint32_t> CompareSet::rows(std::uint8_t mask) const
{
    std::vector<std::uint32_t> out;
    out.reserve(mask == 0 ? m_flags.size() : m_flags.size() / 4);
    for (std::size_t row = 0; row < m_flags.size(); ++row) {
        if (mask == 0 || (m_flags[row] & mask) != 0) {
            out.push_back(std::uint32_t(row));
        }
    }
    return out;
}

std::array<std::size_t, 4> CompareSet::flagCounts() const
{
    std::array<std::size_t, 4> counts{};
    for (const std::uint8_t f : m_flags) {
        counts[0] += (f & Differs) ? 1 : 0;
        counts[1] += (f & Regression) ? 1 : 0;
        counts[2] += (f & Improvement) ? 1 : 0;
        counts[3] += (f & FailedInAny) ? 1 : 0;
    }
    return counts;
}

} // namespace fb
