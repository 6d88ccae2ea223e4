#include <core/report/linefigures.h>

#include <core/store/experimentstore.h>

#include <algorithm>
#include <functional>
#include <limits>

namespace fb {

void LineFigures::append(const LineRecord &line)
{
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    lineIndexes.push_back(line.lineIndex);
    statuses.push_back(line.status == kLineCompleted ? Completed
                       : line.status == kLineFailed  ? Failed
                                                     : Other);
    durationsMs.push_back(line.durationMs.value_or(kNaN));
    costsUsd.push_back(line.costUsd.value_or(kNaN));
    tokens.push_back(line.promptTokens + line.completionTokens);
    outputHashes.push_back(std::hash<std::string>{}(
        line.outputs.dump(-1, ' ', false, Value::error_handler_t::replace)));
}

Result<LineFigures> LineFigures::load(ExperimentStore &store, RunId run, std::int64_t pageSize)
{
    pageSize = std::max<std::int64_t>(pageSize, 1);
    LineFigures figures;
    for (std::int64_t after = -1;;) {
        auto page = store.linesAfter(run, after, pageSize);
        if (!page) {
            return page.error();
        }
        for (const auto &line : *page) {
            figures.append(line);
        }
        if (std::int64_t(page->size()) < pageSize) {
            break;
        }
        after = page->back().lineIndex;
    }
    return figures;
}

} // namespace fb
