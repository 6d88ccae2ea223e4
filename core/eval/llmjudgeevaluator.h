#pragma once

#include <core/common/chatmessage.h>
#include <core/common/value.h>
#include <core/eval/evaluator.h>

#include <memory>
#include <string>
#include <string_view>

namespace fb {

/// "llm_judge" and "groundedness": a model grades the output with a rubric and replies with
/// its reasoning and a score, which JudgeScoreParser reads.
///
/// The rubric is a chat template (promptflow's `system:`/`user:` role lines; a rubric without
/// role lines is sent as one user message) rendered with the variables `output`, `reference`,
/// `question`, `context` (role markers inside them are escaped, so an output cannot forge a
/// message) and `scale_min`, `scale_max`. It must use `output`.
///
/// llm_judge JSON options: connection (required), model or deployment_name (required),
/// rubric (inline template) or rubric_file (a path; relative paths are read from the current
/// directory, so callers resolve them against the flow or config folder first) — default: a
/// built-in rubric asking for correctness against the reference and a final "Score: N" line;
/// scale ([1, 5], two numbers min < max); threshold (on the judge's scale, not normalised:
/// default min + 0.75 x (max - min), i.e. 4 on 1-5); temperature (0, in [0, 2]); max_tokens
/// (256, 1..100000).
/// groundedness takes the same options but no rubric, rubric_file or scale: its built-in
/// rubric asks whether every claim of the output is supported by the row's `context`, on 1-5.
/// A row without context fails ("groundedness needs a context").
///
/// Score = (n - min) / (max - min) in [0, 1]; passed = n >= threshold; detail = the score and
/// the judge's reasoning (truncated). A reply without a score, or with one out of the scale,
/// is an error quoting the reply. Every error names the evaluator.
///
/// Threads: immutable after create; evaluateAsync may be called concurrently from any thread
/// and never blocks (gate -> LlmClient::start); its `done` runs once, on the caller's thread
/// for errors found before the call, else on the gate's or the LLM client's I/O thread.
/// Pending calls keep what they need alive, so the evaluator may be destroyed before they
/// finish; the services' LLM client and gate may not.
/// The synchronous evaluate() does not call a model: it fails with InvalidArgument
/// ("needs model services") — callers without a scheduler use evaluateAsync and wait.
class LlmJudgeEvaluator final : public Evaluator
{
public:
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> createJudge(const Value &options);
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>>
    createGroundedness(const Value &options);

    /// The built-in rubrics (chat templates).
    [[nodiscard]] static std::string_view defaultRubric();
    [[nodiscard]] static std::string_view groundednessRubric();

    [[nodiscard]] std::string type() const override;
    [[nodiscard]] Result<EvalScore> evaluate(const EvalInput &input) const override;
    [[nodiscard]] bool usesModel() const override;
    void evaluateAsync(const EvalInput &input, const EvalServices &services,
                       std::function<void(Result<EvalScore>)> done) const override;

    /// The messages the judge is sent for `input`. Thread-safe.
    [[nodiscard]] Result<ChatMessages> messages(const EvalInput &input) const;
    /// The verdict for one reply of the judge. Thread-safe.
    [[nodiscard]] Result<EvalScore> scoreReply(std::string_view reply) const;

    struct Settings; ///< opaque: the checked options and the parsed rubric (defined in the .cpp)

private:
    explicit LlmJudgeEvaluator(std::shared_ptr<const Settings> settings);

    std::shared_ptr<const Settings> m_settings;
};

} // namespace fb
