#include <core/cli/texttable.h>

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace fb {

void TextTable::print(std::ostream &out, const std::vector<std::vector<std::string>> &rows)
{
    std::vector<std::size_t> width;
    for (const auto &r : rows) {
        width.resize(std::max(width.size(), r.size()), 0);
        for (std::size_t i = 0; i < r.size(); ++i) {
            width[i] = std::max(width[i], r[i].size());
        }
    }
    for (const auto &r : rows) {
        std::string line = "  ";
        for (std::size_t i = 0; i < r.size(); ++i) {
            line += r[i];
            if (i + 1 < r.size()) {
                line += std::string(width[i] - r[i].size() + 2, ' ');
            }
        }
        out << line << "\n";
    }
}

std::string TextTable::number(const char *format, double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

} // namespace fb
