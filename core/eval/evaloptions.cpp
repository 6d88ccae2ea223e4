#include <core/eval/evaloptions_p.h>

#include <cmath>

namespace fb {

namespace {

const Value &nullValue()
{
    static const Value s_null;
    return s_null;
}

} // namespace

EvalOptions::EvalOptions(const Value &options, std::string evaluatorType)
    : m_options(options)
    , m_type(std::move(evaluatorType))
{
}

Result<void> EvalOptions::checkKeys(std::initializer_list<std::string_view> known) const
{
    if (m_options.is_null()) {
        return {};
    }
    if (!m_options.is_object()) {
        return Error(ErrorCode::InvalidArgument,
                     "evaluator '" + m_type + "': options must be a JSON object");
    }
    for (auto it = m_options.begin(); it != m_options.end(); ++it) {
        const std::string &key = it.key();
        if (key == "type" || key == "name") {
            continue;
        }
        bool found = false;
        for (std::string_view k : known) {
            found = found || k == key;
        }
        if (!found) {
            std::string list;
            for (std::string_view k : known) {
                list += (list.empty() ? "" : ", ") + std::string(k);
            }
            return Error(ErrorCode::InvalidArgument,
                         "evaluator '" + m_type + "': unknown option '" + key
                             + "' (known: " + (list.empty() ? std::string("none") : list) + ")");
        }
    }
    return {};
}

bool EvalOptions::has(const std::string &key) const
{
    return m_options.is_object() && m_options.contains(key) && !m_options.at(key).is_null();
}

const Value &EvalOptions::raw(const std::string &key) const
{
    return has(key) ? m_options.at(key) : nullValue();
}

Error EvalOptions::error(const std::string &key, const std::string &what) const
{
    return Error(ErrorCode::InvalidArgument,
                 "evaluator '" + m_type + "': option '" + key + "' " + what);
}

Result<bool> EvalOptions::boolean(const std::string &key, bool fallback) const
{
    if (!has(key)) {
        return fallback;
    }
    const Value &v = m_options.at(key);
    if (!v.is_boolean()) {
        return error(key, "must be true or false");
    }
    return v.get<bool>();
}

Result<double> EvalOptions::number(const std::string &key, double fallback) const
{
    if (!has(key)) {
        return fallback;
    }
    const Value &v = m_options.at(key);
    if (!v.is_number() || !std::isfinite(v.get<double>())) {
        return error(key, "must be a finite number");
    }
    return v.get<double>();
}

Result<std::string> EvalOptions::string(const std::string &key, std::string fallback) const
{
    if (!has(key)) {
        return fallback;
    }
    const Value &v = m_options.at(key);
    if (!v.is_string()) {
        return error(key, "must be a string");
    }
    return v.get<std::string>();
}

Result<std::vector<std::string>> EvalOptions::stringList(const std::string &key) const
{
    std::vector<std::string> out;
    if (!has(key)) {
        return out;
    }
    const Value &v = m_options.at(key);
    if (v.is_string()) {
        out.push_back(v.get<std::string>());
        return out;
    }
    if (!v.is_array()) {
        return error(key, "must be a string or a list of strings");
    }
    for (const Value &item : v) {
        if (!item.is_string()) {
            return error(key, "must be a string or a list of strings");
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

} // namespace fb
