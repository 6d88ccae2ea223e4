#include <core/eval/llmjudgeevaluator.h>

#include <core/common/fileio.h>
#include <core/eval/evaloptions_p.h>
#include <core/eval/judgescoreparser.h>
#include <core/eval/modelcall_p.h>
#include <core/template/chatparser.h>
#include <core/template/roleescaper.h>
#include <core/template/template.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

namespace fb {

namespace {

constexpr std::size_t kReasoningBytes = 1000;
constexpr double kEpsilon = 1e-9;

constexpr std::string_view kDefaultRubric = R"(system:
You are an impartial grader. You grade one answer for correctness, relevance to the question,
completeness and clarity{% if reference %}, judging correctness against the reference answer{% endif %}.
Use a scale from {{ scale_min }} to {{ scale_max }}: {{ scale_max }} = correct, complete and clear;
{{ scale_min }} = wrong, empty or irrelevant; the values between for partly correct answers.
Reply with two or three sentences of reasoning, then a last line of the form "Score: N".

user:
{% if question %}
# Question
{{ question }}

{% endif %}
{% if context %}
# Context
{{ context }}

{% endif %}
{% if reference %}
# Reference answer
{{ reference }}

{% endif %}
# Answer to grade
{{ output }}

Give your reasoning, then end with the line "Score: N" (N from {{ scale_min }} to {{ scale_max }}).
)";

constexpr std::string_view kGroundednessRubric = R"(system:
You check whether an answer is grounded in a context: every claim the answer makes must be
supported by the context. Judge only support by the context, not whether the answer is true
in general or well written. Use a scale from 1 to 5:
5 = every claim is supported by the context;
4 = nearly every claim is supported, one minor detail is not;
3 = some claims are supported and some are not;
2 = most claims are unsupported;
1 = the answer is not supported by the context, or contradicts it.
Reply with two or three sentences of reasoning, then a last line of the form "Score: N".

user:
# Context
{{ context }}

{% if question %}
# Question
{{ question }}

{% endif %}
# Answer to check
{{ output }}

Reason about which claims the context supports, then end with the line "Score: N".
)";

std::string formatNumber(double x)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof(buf), x);
    return std::string(buf, r.ptr);
}

/// A scale bound as a template value: 1 rather than 1.0 when integral.
Value scaleValue(double x)
{
    if (std::abs(x) < 1e15 && x == std::floor(x)) {
        return Value(static_cast<std::int64_t>(x));
    }
    return Value(x);
}

bool isBlank(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    });
}

/// True when some line of `source` is a role line ("system:", "# user:", ...).
bool hasRoleLine(std::string_view source)
{
    std::size_t begin = 0;
    while (begin <= source.size()) {
        std::size_t end = source.find('\n', begin);
        if (end == std::string_view::npos) {
            end = source.size();
        }
        std::string line;
        for (std::size_t k = begin; k < end; ++k) {
            const char c = source[k];
            if (c != ' ' && c != '\t' && c != '\r' && c != '#') {
                line.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c);
            }
        }
        for (std::string_view role : {"system:", "user:", "assistant:"}) {
            if (line == role) {
                return true;
            }
        }
        begin = end + 1;
    }
    return false;
}

} // namespace

struct LlmJudgeEvaluator::Settings
{
    std::string type;
    ModelTarget target;
    std::optional<Template> rubric;
    double scaleMin = 1;
    double scaleMax = 5;
    double threshold = 4;
    double temperature = 0;
    int maxTokens = 256;
    bool needsContext = false;

    [[nodiscard]] std::string prefix() const { return "evaluator '" + type + "': "; }

    [[nodiscard]] Result<ChatMessages> messages(const EvalInput &input) const
    {
        RoleEscaper escaper;
        Value variables = Value::object();
        variables["output"] = escaper.escape(Value(input.output));
        variables["reference"] = escaper.escape(Value(input.reference));
        variables["question"] = escaper.escape(Value(input.question));
        variables["context"] = escaper.escape(Value(input.context));
        variables["scale_min"] = scaleValue(scaleMin);
        variables["scale_max"] = scaleValue(scaleMax);
        auto rendered = rubric->render(variables);
        if (!rendered) {
            return Error(rendered.error().code, prefix() + rendered.error().message);
        }
        auto parsed = ChatParser::parse(*rendered, rubric->fileName());
        if (!parsed) {
            return Error(parsed.error().code, prefix() + parsed.error().message);
        }
        escaper.restore(*parsed);
        if (parsed->empty()) {
            return Error(ErrorCode::Template, prefix() + "the rubric renders no message");
        }
        return std::move(*parsed);
    }

    [[nodiscard]] Result<EvalScore> score(std::string_view reply) const
    {
        auto verdict = JudgeScoreParser::parse(reply, scaleMin, scaleMax);
        if (!verdict) {
            return Error(verdict.error().code, prefix() + verdict.error().message);
        }
        EvalScore s;
        s.score = std::clamp((verdict->score - scaleMin) / (scaleMax - scaleMin), 0.0, 1.0);
        s.passed = verdict->score >= threshold - kEpsilon;
        s.detail = "score " + formatNumber(verdict->score) + " on " + formatNumber(scaleMin) + "-"
                   + formatNumber(scaleMax) + (s.passed ? " >= " : " < ") + formatNumber(threshold);
        if (!verdict->reasoning.empty()) {
            s.detail += ": " + JudgeScoreParser::truncate(verdict->reasoning, kReasoningBytes);
        }
        return s;
    }
};

namespace {

using Settings = LlmJudgeEvaluator::Settings;

/// Reads the options both evaluators share; `withRubric` adds rubric, rubric_file and scale.
Result<void> readSettings(const EvalOptions &o, bool withRubric, Settings &s)
{
    auto target = ModelCall::readTarget(o);
    if (!target) {
        return target.error();
    }
    s.target = std::move(*target);

    if (withRubric && o.has("scale")) {
        const Value &scale = o.raw("scale");
        if (!scale.is_array() || scale.size() != 2 || !scale[0].is_number() || !scale[1].is_number()
            || !std::isfinite(scale[0].get<double>()) || !std::isfinite(scale[1].get<double>())) {
            return o.error("scale", "must be two numbers [min, max], e.g. [1, 5]");
        }
        s.scaleMin = scale[0].get<double>();
        s.scaleMax = scale[1].get<double>();
        if (!(s.scaleMin < s.scaleMax)) {
            return o.error("scale", "must have min < max");
        }
    }
    const auto threshold = o.number("threshold", s.scaleMin + 0.75 * (s.scaleMax - s.scaleMin));
    if (!threshold) {
        return threshold.error();
    }
    if (*threshold < s.scaleMin || *threshold > s.scaleMax) {
        return o.error("threshold", "must be within the scale [" + formatNumber(s.scaleMin) + ", "
                                        + formatNumber(s.scaleMax)
                                        + "] (it is on the judge's scale, not normalised)");
    }
    s.threshold = *threshold;
    const auto temperature = o.number("temperature", 0.0);
    if (!temperature) {
        return temperature.error();
    }
    if (*temperature < 0 || *temperature > 2) {
        return o.error("temperature", "must be in [0, 2]");
    }
    s.temperature = *temperature;
    const auto maxTokens = o.number("max_tokens", 256);
    if (!maxTokens) {
        return maxTokens.error();
    }
    if (*maxTokens != std::floor(*maxTokens) || *maxTokens < 1 || *maxTokens > 100000) {
        return o.error("max_tokens", "must be a whole number from 1 to 100000");
    }
    s.maxTokens = int(*maxTokens);

    std::string source;
    std::string fileName;
    if (!withRubric) {
        source = kGroundednessRubric;
        fileName = "groundedness rubric";
    } else if (o.has("rubric") && o.has("rubric_file")) {
        return o.error("rubric_file", "and 'rubric' both give the rubric: give only one of them");
    } else if (o.has("rubric_file")) {
        const auto path = o.string("rubric_file", {});
        if (!path) {
            return path.error();
        }
        auto text = readFile(*path);
        if (!text) {
            return o.error("rubric_file", "cannot be read: " + text.error().message);
        }
        source = std::move(*text);
        fileName = *path;
    } else if (o.has("rubric")) {
        auto text = o.string("rubric", {});
        if (!text) {
            return text.error();
        }
        source = std::move(*text);
        fileName = s.type + " rubric";
    } else {
        source = kDefaultRubric;
        fileName = "llm_judge default rubric";
    }
    const std::string key = o.has("rubric_file") ? "rubric_file" : "rubric";
    if (isBlank(source)) {
        return o.error(key, "is empty");
    }
    if (!hasRoleLine(source)) {
        source = "user:\n" + source;
    }
    auto parsed = Template::parse(source, fileName);
    if (!parsed) {
        return o.error(key, "is not a valid template: " + parsed.error().message);
    }
    const auto variables = parsed->variables();
    if (std::find(variables.begin(), variables.end(), "output") == variables.end()) {
        return o.error(key, "never uses {{ output }}, the text to grade");
    }
    s.rubric = std::move(*parsed);
    // Render once now so a broken rubric fails at creation, not on every row.
    EvalInput sample;
    sample.output = "output";
    sample.reference = "reference";
    sample.question = "question";
    sample.context = "context";
    if (auto m = s.messages(sample); !m) {
        return o.error(key, "does not render to chat messages: " + m.error().message);
    }
    return {};
}

Result<std::shared_ptr<const Settings>> settingsFrom(const Value &options, bool groundedness)
{
    auto settings = std::make_shared<Settings>();
    settings->type = groundedness ? "groundedness" : "llm_judge";
    settings->needsContext = groundedness;
    const EvalOptions o(options, settings->type);
    const auto keys
        = groundedness
              ? o.checkKeys({"connection", "model", "deployment_name", "threshold", "temperature",
                             "max_tokens"})
              : o.checkKeys({"connection", "model", "deployment_name", "rubric", "rubric_file",
                             "scale", "threshold", "temperature", "max_tokens"});
    if (!keys) {
        return keys.error();
    }
    if (auto ok = readSettings(o, !groundedness, *settings); !ok) {
        return ok.error();
    }
    return std::shared_ptr<const Settings>(std::move(settings));
}

} // namespace

LlmJudgeEvaluator::LlmJudgeEvaluator(std::shared_ptr<const Settings> settings)
    : m_settings(std::move(settings))
{
}

Result<std::unique_ptr<Evaluator>> LlmJudgeEvaluator::createJudge(const Value &options)
{
    auto settings = settingsFrom(options, false);
    if (!settings) {
        return std::move(settings).error();
    }
    return std::unique_ptr<Evaluator>(new LlmJudgeEvaluator(std::move(*settings)));
}

Result<std::unique_ptr<Evaluator>> LlmJudgeEvaluator::createGroundedness(const Value &options)
{
    auto settings = settingsFrom(options, true);
    if (!settings) {
        return std::move(settings).error();
    }
    return std::unique_ptr<Evaluator>(new LlmJudgeEvaluator(std::move(*settings)));
}

std::string_view LlmJudgeEvaluator::defaultRubric() { return kDefaultRubric; }

std::string_view LlmJudgeEvaluator::groundednessRubric() { return kGroundednessRubric; }

std::string LlmJudgeEvaluator::type() const { return m_settings->type; }

bool LlmJudgeEvaluator::usesModel() const { return true; }

Result<EvalScore> LlmJudgeEvaluator::evaluate(const EvalInput &) const
{
    return Error(ErrorCode::InvalidArgument,
                 m_settings->prefix()
                     + "needs model services (an LLM client and the connections): it scores "
                       "through evaluateAsync only");
}

Result<ChatMessages> LlmJudgeEvaluator::messages(const EvalInput &input) const
{
    if (m_settings->needsContext && isBlank(input.context)) {
        return Error(ErrorCode::InvalidArgument,
                     m_settings->prefix()
                         + "groundedness needs a context (map a context column of the data to "
                           "the evaluator's context)");
    }
    return m_settings->messages(input);
}

Result<EvalScore> LlmJudgeEvaluator::scoreReply(std::string_view reply) const
{
    return m_settings->score(reply);
}

void LlmJudgeEvaluator::evaluateAsync(const EvalInput &input, const EvalServices &services,
                                      std::function<void(Result<EvalScore>)> done) const
{
    auto messages = this->messages(input);
    if (!messages) {
        done(std::move(messages).error());
        return;
    }
    LlmRequest request;
    request.api = LlmApi::Chat;
    request.model = m_settings->target.model;
    request.parameters = Value::object();
    request.parameters["temperature"] = m_settings->temperature;
    request.parameters["max_tokens"] = m_settings->maxTokens;
    std::size_t promptChars = 0;
    for (const ChatMessage &m : *messages) {
        promptChars += m.content.size();
    }
    request.messages = std::move(*messages);
    // About four characters per token, plus the whole completion budget.
    const auto estimate = std::int64_t((promptChars + 3) / 4) + m_settings->maxTokens;
    ModelCall::start(services, m_settings->type, m_settings->target.connection, std::move(request),
                     estimate,
                     [settings = m_settings, done = std::move(done)](Result<LlmResponse> r) {
                         if (!r) {
                             done(std::move(r).error());
                             return;
                         }
                         done(settings->score(r->text));
                     });
}

} // namespace fb
