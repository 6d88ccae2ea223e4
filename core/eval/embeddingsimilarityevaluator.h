#pragma once

#include <core/common/value.h>
#include <core/eval/evaluator.h>

#include <memory>
#include <string>
#include <vector>

namespace fb {

/// "embedding_similarity": cosine similarity of the output's and the reference's embeddings,
/// fetched in one call (both texts as the inputs) from the connection's embeddings endpoint
/// (OpenAI/compatible, Azure OpenAI, serverless; an Anthropic connection fails).
/// JSON options: connection (required), model or deployment_name (required), threshold
/// (0.8, in [0, 1]). Score = max(0, cosine); passed = score >= threshold.
/// A row without a reference fails; an empty output scores 0 without a call.
///
/// Threads and lifetime as LlmJudgeEvaluator: immutable, evaluateAsync never blocks and calls
/// `done` exactly once; evaluate() fails with InvalidArgument ("needs model services").
class EmbeddingSimilarityEvaluator final : public Evaluator
{
public:
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> create(const Value &options);

    /// Cosine similarity of two vectors of the same, non-zero length; fails (Provider) when
    /// the lengths differ or a vector is all zeros.
    [[nodiscard]] static Result<double> cosine(const std::vector<double> &a,
                                               const std::vector<double> &b);

    [[nodiscard]] std::string type() const override;
    [[nodiscard]] Result<EvalScore> evaluate(const EvalInput &input) const override;
    [[nodiscard]] bool usesModel() const override;
    void evaluateAsync(const EvalInput &input, const EvalServices &services,
                       std::function<void(Result<EvalScore>)> done) const override;

private:
    EmbeddingSimilarityEvaluator(std::string connection, std::string model, double threshold);

    std::string m_connection;
    std::string m_model;
    double m_threshold;
};

} // namespace fb
