#include <core/eval/embeddingsimilarityevaluator.h>

#include <core/eval/evaloptions_p.h>
#include <core/eval/modelcall_p.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace fb {

namespace {

constexpr const char *kType = "embedding_similarity";

std::string prefix() { return std::string("evaluator '") + kType + "': "; }

std::string formatScore(double x)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof(buf), x, std::chars_format::fixed, 4);
    return std::string(buf, r.ptr);
}

bool isBlank(const std::string &s)
{
    return std::all_of(s.begin(), s.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    });
}

} // namespace

EmbeddingSimilarityEvaluator::EmbeddingSimilarityEvaluator(std::string connection,
                                                           std::string model, double threshold)
    : m_connection(std::move(connection))
    , m_model(std::move(model))
    , m_threshold(threshold)
{
}

Result<std::unique_ptr<Evaluator>> EmbeddingSimilarityEvaluator::create(const Value &options)
{
    const EvalOptions o(options, kType);
    if (auto ok = o.checkKeys({"connection", "model", "deployment_name", "threshold"}); !ok) {
        return ok.error();
    }
    auto target = ModelCall::readTarget(o);
    if (!target) {
        return target.error();
    }
    const auto threshold = o.number("threshold", 0.8);
    if (!threshold) {
        return threshold.error();
    }
    if (*threshold < 0 || *threshold > 1) {
        return o.error("threshold", "must be in [0, 1]");
    }
    return std::unique_ptr<Evaluator>(new EmbeddingSimilarityEvaluator(
        std::move(target->connection), std::move(target->model), *threshold));
}

Result<double> EmbeddingSimilarityEvaluator::cosine(const std::vector<double> &a,
                                                    const std::vector<double> &b)
{
    if (a.size() != b.size() || a.empty()) {
        return Error(ErrorCode::Provider, "the embeddings have different lengths ("
                                              + std::to_string(a.size()) + " and "
                                              + std::to_string(b.size()) + ")");
    }
    double dot = 0;
    double normA = 0;
    double normB = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        dot += a[i] * b[i];
        normA += a[i] * a[i];
        normB += b[i] * b[i];
    }
    if (!(normA > 0) || !(normB > 0) || !std::isfinite(dot)) {
        return Error(ErrorCode::Provider, "an embedding is all zeros (or not finite)");
    }
    return std::clamp(dot / (std::sqrt(normA) * std::sqrt(normB)), -1.0, 1.0);
}

std::string EmbeddingSimilarityEvaluator::type() const { return kType; }

bool EmbeddingSimilarityEvaluator::usesModel() const { return true; }

Result<EvalScore> EmbeddingSimilarityEvaluator::evaluate(const EvalInput &) const
{
    return Error(ErrorCode::InvalidArgument,
                 prefix()
                     + "needs model services (an LLM client and the connections): it scores "
                       "through evaluateAsync only");
}

void EmbeddingSimilarityEvaluator::evaluateAsync(const EvalInput &input,
                                                 const EvalServices &services,
                                                 std::function<void(Result<EvalScore>)> done) const
{
    if (isBlank(input.reference)) {
        done(Error(ErrorCode::InvalidArgument,
                   prefix() + "the row has no reference to compare the output with"));
        return;
    }
    if (isBlank(input.output)) {
        done(EvalScore{0.0, false, "the output is empty"});
        return;
    }
    LlmRequest request;
    request.api = LlmApi::Embedding;
    request.model = m_model;
    request.input = {input.output, input.reference};
    const auto estimate = std::int64_t((input.output.size() + input.reference.size() + 3) / 4);
    ModelCall::start(
        services, kType, m_connection, std::move(request), estimate,
        [threshold = m_threshold, done = std::move(done)](Result<LlmResponse> r) {
            if (!r) {
                done(std::move(r).error());
                return;
            }
            if (r->embeddings.size() != 2) {
                done(Error(ErrorCode::Provider, prefix() + "the server returned "
                                                    + std::to_string(r->embeddings.size())
                                                    + " embeddings for 2 texts"));
                return;
            }
            const auto c = cosine(r->embeddings[0], r->embeddings[1]);
            if (!c) {
                done(Error(c.error().code, prefix() + c.error().message));
                return;
            }
            EvalScore s;
            s.score = std::max(0.0, *c);
            s.passed = s.score >= threshold - 1e-9;
            s.detail = "cosine similarity " + formatScore(*c) + (s.passed ? " >= " : " < ")
                       + formatScore(threshold);
            done(std::move(s));
        });
}

} // namespace fb
