#include <core/store/storeutil_p.h>

#include <chrono>

namespace fb::storeutil {

std::string toJson(const Value &value)
{
    return value.dump(-1, ' ', false, Value::error_handler_t::replace);
}

Value fromJson(std::string_view text)
{
    if (text.empty()) {
        return Value();
    }
    Value parsed = Value::parse(text.begin(), text.end(), nullptr, false);
    return parsed.is_discarded() ? Value() : parsed;
}

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace fb::storeutil
