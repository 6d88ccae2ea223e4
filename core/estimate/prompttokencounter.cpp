#include <core/estimate/prompttokencounter_p.h>

#ifdef FB_HAVE_TOKENIZER
#include <core/token/chattokencounter.h>
#endif

namespace fb {

namespace {

#ifndef FB_HAVE_TOKENIZER
/// Without the tokenizer module: about four bytes of UTF-8 per token (English prose).
std::int64_t roughTokens(const std::string &text) { return std::int64_t((text.size() + 3) / 4); }
#endif

} // namespace

PromptCount PromptTokenCounter::count(const LlmRequest &request, const std::string &pricedModel)
{
    PromptCount c;
#ifdef FB_HAVE_TOKENIZER
    // An Azure deployment name means nothing to the tokenizer; the model it is priced as may.
    ChatTokenCounter counter(request.model);
    if (!counter.knowsTokenizer() && !pricedModel.empty()) {
        ChatTokenCounter priced(pricedModel);
        if (priced.knowsTokenizer()) {
            counter = priced;
        }
    }
    const ChatTokenCount n = request.api == LlmApi::Completion ? counter.countText(request.prompt)
                                                               : counter.count(request.messages);
    c.tokens = n.tokens;
    c.exact = n.exact;
    c.knowsTokenizer = counter.knowsTokenizer();
    c.encoding = counter.encoding();
#else
    (void)pricedModel;
    if (request.api == LlmApi::Completion) {
        c.tokens = roughTokens(request.prompt);
    } else {
        c.tokens = 3; // the reply's priming
        for (const auto &m : request.messages) {
            c.tokens += 4 + roughTokens(m.content) + roughTokens(m.name);
        }
    }
#endif
    return c;
}

} // namespace fb
