#include <core/sim/simresponseplan.h>

namespace fb {

void SimResponsePlan::clear()
{
    status = 200;
    contentType.assign("application/json");
    headers.clear();
    streaming = false;
    body.clear();
    steps.clear();
    truncated = false;
    counted = true;
}

void SimResponsePlan::addHeader(std::string_view name, std::string_view value)
{
    headers.append(name);
    headers.append(": ");
    headers.append(value);
    headers.append("\r\n");
}

void SimResponsePlan::addStep(std::chrono::microseconds delay)
{
    if (!steps.empty() && delay.count() <= 0) {
        steps.back().end = body.size();
        return;
    }
    steps.push_back(Step{body.size(), delay});
}

void SimResponsePlan::setBody(int statusCode, std::string_view text,
                              std::chrono::microseconds delay)
{
    status = statusCode;
    streaming = false;
    body.assign(text);
    steps.clear();
    steps.push_back(Step{body.size(), delay});
}

void SimResponsePlan::delayStart(std::chrono::microseconds delay)
{
    if (steps.empty()) {
        steps.push_back(Step{0, delay});
    } else {
        steps.front().delay += delay;
    }
}

} // namespace fb
