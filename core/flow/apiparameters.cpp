#include <core/flow/apiparameters.h>

#include <algorithm>
#include <array>

namespace fb {

namespace {

enum class Scope { Common, Chat, Completion };

struct Entry
{
    std::string_view name;
    ApiParameterType type;
    Scope scope;
};

constexpr std::array<Entry, 19> kParameters = {{
    {"deployment_name", ApiParameterType::String, Scope::Common},
    {"model", ApiParameterType::String, Scope::Common},
    {"temperature", ApiParameterType::Double, Scope::Common},
    {"top_p", ApiParameterType::Double, Scope::Common},
    {"max_tokens", ApiParameterType::Int, Scope::Common},
    {"stop", ApiParameterType::StringOrList, Scope::Common},
    {"presence_penalty", ApiParameterType::Double, Scope::Common},
    {"frequency_penalty", ApiParameterType::Double, Scope::Common},
    {"logit_bias", ApiParameterType::Object, Scope::Common},
    {"response_format", ApiParameterType::Any, Scope::Chat},
    {"seed", ApiParameterType::Int, Scope::Chat},
    {"tools", ApiParameterType::List, Scope::Chat},
    {"tool_choice", ApiParameterType::Any, Scope::Chat},
    {"functions", ApiParameterType::List, Scope::Chat},
    {"function_call", ApiParameterType::Any, Scope::Chat},
    {"suffix", ApiParameterType::String, Scope::Completion},
    {"logprobs", ApiParameterType::Int, Scope::Completion},
    {"echo", ApiParameterType::Bool, Scope::Completion},
    {"best_of", ApiParameterType::Int, Scope::Completion},
}};

const Entry *find(std::string_view name)
{
    const auto it = std::find_if(kParameters.begin(), kParameters.end(),
                                 [name](const Entry &e) { return e.name == name; });
    return it == kParameters.end() ? nullptr : &*it;
}

} // namespace

bool ApiParameters::isApiParameter(std::string_view name, std::string_view api)
{
    const Entry *e = find(name);
    if (!e) {
        return false;
    }
    switch (e->scope) {
    case Scope::Common:
        return true;
    case Scope::Chat:
        return api != "completion";
    case Scope::Completion:
        return api != "chat";
    }
    return false;
}

std::optional<ApiParameterType> ApiParameters::type(std::string_view name)
{
    const Entry *e = find(name);
    if (!e) {
        return std::nullopt;
    }
    return e->type;
}

} // namespace fb
