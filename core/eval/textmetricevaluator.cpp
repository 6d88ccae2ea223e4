#include <core/eval/textmetricevaluator.h>

#include <core/eval/evaloptions_p.h>
#include <core/eval/rougel.h>

#include <cstdio>

namespace fb {

namespace {

Result<double> readThreshold(const EvalOptions &o)
{
    const auto t = o.number("threshold", 0.5);
    if (!t) {
        return t.error();
    }
    if (*t < 0 || *t > 1) {
        return o.error("threshold", "must be between 0 and 1");
    }
    return *t;
}

} // namespace

TextMetricEvaluator::TextMetricEvaluator(Metric metric, double threshold, Bleu::Options bleuOptions)
    : m_metric(metric)
    , m_threshold(threshold)
    , m_bleu(bleuOptions)
{
}

Result<std::unique_ptr<Evaluator>> TextMetricEvaluator::createBleu(const Value &options)
{
    const EvalOptions o(options, "bleu");
    if (auto ok = o.checkKeys({"threshold", "lowercase", "tokenize"}); !ok) {
        return ok.error();
    }
    const auto threshold = readThreshold(o);
    if (!threshold) {
        return threshold.error();
    }
    Bleu::Options bleu;
    const auto lowercase = o.boolean("lowercase", false);
    if (!lowercase) {
        return lowercase.error();
    }
    bleu.lowercase = *lowercase;
    const auto tok = o.string("tokenize", "13a");
    if (!tok) {
        return tok.error();
    }
    if (*tok == "13a") {
        bleu.tokenizer = Bleu::Tokenizer::Mteval13a;
    } else if (*tok == "none") {
        bleu.tokenizer = Bleu::Tokenizer::None;
    } else {
        return o.error("tokenize", "must be \"13a\" or \"none\", not \"" + *tok + "\"");
    }
    return std::unique_ptr<Evaluator>(new TextMetricEvaluator(Metric::Bleu, *threshold, bleu));
}

Result<std::unique_ptr<Evaluator>> TextMetricEvaluator::createRougeL(const Value &options)
{
    const EvalOptions o(options, "rouge_l");
    if (auto ok = o.checkKeys({"threshold"}); !ok) {
        return ok.error();
    }
    const auto threshold = readThreshold(o);
    if (!threshold) {
        return threshold.error();
    }
    return std::unique_ptr<Evaluator>(new TextMetricEvaluator(Metric::RougeL, *threshold));
}

std::string TextMetricEvaluator::type() const
{
    return m_metric == Metric::Bleu ? "bleu" : "rouge_l";
}

Result<EvalScore> TextMetricEvaluator::evaluate(const EvalInput &input) const
{
    char buffer[160];
    double score = 0.0;
    if (m_metric == Metric::Bleu) {
        const BleuScore b = Bleu::sentence(input.output, {input.reference}, m_bleu);
        score = b.score / 100.0;
        std::snprintf(buffer, sizeof buffer, "BLEU %.2f %.1f/%.1f/%.1f/%.1f (BP %.3f)", b.score,
                      b.precisions[0], b.precisions[1], b.precisions[2], b.precisions[3],
                      b.brevityPenalty);
    } else {
        const RougeScore r = RougeL::score(input.reference, input.output);
        score = r.fmeasure;
        std::snprintf(buffer, sizeof buffer, "ROUGE-L F %.4f (P %.4f, R %.4f)", r.fmeasure,
                      r.precision, r.recall);
    }
    const bool passed = score >= m_threshold;
    std::string detail = buffer;
    char tail[64];
    std::snprintf(tail, sizeof tail, "; %s threshold %.4g", passed ? "meets" : "below",
                  m_threshold);
    return EvalScore{score, passed, detail + tail};
}

} // namespace fb
