#include <core/exec/valuepath_p.h>

#include <charconv>

namespace fb {

Result<Value> ValuePath::extract(const Value &value, const std::string &path,
                                 const std::string &what)
{
    if (path.empty()) {
        return value;
    }
    const Value *current = &value;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        const std::size_t dot = path.find('.', pos);
        const std::string key
            = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
        if (current->is_object()) {
            const auto it = current->find(key);
            if (it == current->end()) {
                return fail(
                    ErrorCode::InvalidArgument, what + " has no key '" + key + "' (it has: " + [&] {
                        std::string keys;
                        for (const auto &[k, v] : current->items()) {
                            keys += (keys.empty() ? "" : ", ") + k;
                        }
                        return keys.empty() ? std::string("no keys") : keys;
                    }() + ")");
            }
            current = &*it;
        } else if (current->is_array()) {
            std::size_t index = 0;
            const auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
            if (ec != std::errc() || p != key.data() + key.size() || index >= current->size()) {
                return fail(ErrorCode::InvalidArgument,
                            what + " is a list; '" + key + "' is not a valid index");
            }
            current = &(*current)[index];
        } else {
            return fail(ErrorCode::InvalidArgument,
                        what + " is not an object, so it has no key '" + key + "'");
        }
        if (dot == std::string::npos) {
            break;
        }
        pos = dot + 1;
    }
    return *current;
}

const Value *ValuePath::find(const Value &value, std::string_view path)
{
    const Value *current = &value;
    if (path.empty()) {
        return current;
    }
    std::size_t pos = 0;
    for (;;) {
        const std::size_t dot = path.find('.', pos);
        const std::string_view key
            = path.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
        if (current->is_object()) {
            // Value::find needs a std::string; the first match is the one it would return.
            const Value *next = nullptr;
            for (const auto &member : current->get_ref<const Value::object_t &>()) {
                if (member.first == key) {
                    next = &member.second;
                    break;
                }
            }
            if (!next) {
                return nullptr;
            }
            current = next;
        } else if (current->is_array()) {
            std::size_t index = 0;
            const auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
            if (ec != std::errc() || p != key.data() + key.size() || index >= current->size()) {
                return nullptr;
            }
            current = &(*current)[index];
        } else {
            return nullptr;
        }
        if (dot == std::string_view::npos) {
            return current;
        }
        pos = dot + 1;
    }
}

} // namespace fb
