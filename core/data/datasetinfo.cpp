#include <core/data/datasetinfo.h>

#include <optional>
#include <unordered_map>

namespace fb {

namespace {

std::optional<ColumnType> typeOf(const Value &value)
{
    switch (value.type()) {
    case Value::value_t::number_integer:
    case Value::value_t::number_unsigned:
        return ColumnType::Int;
    case Value::value_t::number_float:
        return ColumnType::Double;
    case Value::value_t::boolean:
        return ColumnType::Bool;
    case Value::value_t::string:
        return ColumnType::String;
    case Value::value_t::array:
        return ColumnType::List;
    case Value::value_t::object:
        return ColumnType::Object;
    default:
        return std::nullopt;
    }
}

ColumnType merge(ColumnType a, ColumnType b)
{
    if (a == b) {
        return a;
    }
    const auto numeric
        = [](ColumnType t) { return t == ColumnType::Int || t == ColumnType::Double; };
    if (numeric(a) && numeric(b)) {
        return ColumnType::Double;
    }
    return ColumnType::Mixed;
}

} // namespace

const char *columnTypeName(ColumnType type)
{
    switch (type) {
    case ColumnType::Int:
        return "int";
    case ColumnType::Double:
        return "double";
    case ColumnType::Bool:
        return "bool";
    case ColumnType::String:
        return "string";
    case ColumnType::List:
        return "list";
    case ColumnType::Object:
        return "object";
    case ColumnType::Mixed:
        return "mixed";
    }
    return "mixed";
}

std::vector<DatasetInfo::Column> DatasetInfo::inferColumns(const std::vector<DataRow> &rows)
{
    std::vector<Column> columns;
    std::vector<std::optional<ColumnType>> seen;
    std::vector<std::int64_t> present;
    std::unordered_map<std::string, std::size_t> position;
    for (const auto &row : rows) {
        if (!row.row.is_object()) {
            continue;
        }
        for (const auto &[key, value] : row.row.items()) {
            auto [it, inserted] = position.emplace(key, columns.size());
            if (inserted) {
                columns.push_back(Column{key, ColumnType::String, 0});
                seen.emplace_back();
                present.push_back(0);
            }
            const std::size_t c = it->second;
            const auto type = typeOf(value);
            if (!type) {
                continue;
            }
            ++present[c];
            seen[c] = seen[c] ? merge(*seen[c], *type) : *type;
        }
    }
    for (std::size_t c = 0; c < columns.size(); ++c) {
        columns[c].type = seen[c].value_or(ColumnType::String);
        columns[c].missing = static_cast<std::int64_t>(rows.size()) - present[c];
    }
    return columns;
}

Result<DatasetInfo> DatasetInfo::preview(const std::filesystem::path &path, std::size_t maxRows,
                                         DatasetReaderOptions options)
{
    auto reader = DatasetReader::open(path, options);
    if (!reader) {
        return std::move(reader).error();
    }
    DatasetInfo info;
    info.files = reader->files();
    for (;;) {
        auto row = reader->next();
        if (!row) {
            return std::move(row).error();
        }
        if (!*row) {
            info.complete = true;
            break;
        }
        if (info.rows.size() == maxRows) {
            break; // the look-ahead row says there is more
        }
        info.rows.push_back(std::move(**row));
    }
    info.skipped = reader->skipped();
    info.columns = inferColumns(info.rows);
    return info;
}

} // namespace fb
