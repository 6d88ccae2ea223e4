#pragma once

#include <core/common/result.h>
#include <core/common/value.h>
#include <core/flow/flow.h>

#include <map>
#include <string>
#include <vector>

namespace fb {

/// How a batch run fills a flow's inputs from a dataset row (and, for evaluation runs, from a
/// base run's line), with promptflow's rules. A mapping value is `${data.COL}`,
/// `${run.outputs.NAME}`, `${run.inputs.NAME}` (the base run's inputs) or a literal.
/// Precedence for each flow input: explicit mapping > the input's default > a same-named
/// column. promptflow never fills an input that has a default from a same-named column;
/// Flowbench keeps that rule (flows behave as they did) and warns, naming the input.
/// Immutable after construction; thread-safe.
class ColumnMapping
{
public:
    ColumnMapping() = default;

    /// Parses "input=${data.col}" pairs (CLI form).
    [[nodiscard]] static Result<ColumnMapping> parse(const std::vector<std::string> &pairs);
    /// Parses a JSON object {input: value}.
    [[nodiscard]] static Result<ColumnMapping> fromJson(const Value &object);

    /// What to do with one line.
    enum class LineOutcome {
        Run,  ///< inputs are ready
        Drop, ///< the base run has no such line (or it failed): the line drops out
    };

    /// Builds the flow inputs of one line. `baseOutputs`/`baseInputs` are the base run's line
    /// (null when there is no base run, or it lacks this line). Errors name the data file and
    /// line (`where`, e.g. "data.jsonl:12") and the missing column.
    [[nodiscard]] Result<LineOutcome> resolve(const Flow &flow, const Value &dataRow,
                                              const Value *baseOutputs, const Value *baseInputs,
                                              const std::string &where, Value &inputs) const;

    /// Checks the mapping against the flow and the dataset's columns once, before a run:
    /// errors for mappings of unknown inputs and for inputs nothing can fill; warnings for
    /// inputs whose default wins over a same-named column.
    [[nodiscard]] Result<std::vector<std::string>>
    check(const Flow &flow, const std::vector<std::string> &columns, bool hasBaseRun) const;

    [[nodiscard]] const std::map<std::string, Value> &entries() const { return m_entries; }
    [[nodiscard]] Value toJson() const;

private:
    std::map<std::string, Value> m_entries; ///< flow input -> mapping value
};

} // namespace fb
