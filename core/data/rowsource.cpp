#include <core/data/rowsource_p.h>

#include <core/common/jsonvaluereader.h>
#include <core/data/csvsource_p.h>
#include <core/data/jsonarraysource_p.h>
#include <core/data/jsonlsource_p.h>

namespace fb::data {

Result<std::unique_ptr<RowSource>> RowSource::open(const std::filesystem::path &path,
                                                   const std::string &displayName, Format format,
                                                   std::size_t chunkBytes, std::size_t maxRowBytes,
                                                   bool countOnly)
{
    std::unique_ptr<RowSource> source;
    switch (format) {
    case Format::JsonLines:
        source = std::make_unique<JsonlSource>();
        break;
    case Format::JsonArray:
        source = std::make_unique<JsonArraySource>();
        break;
    case Format::Csv:
        source = std::make_unique<CsvSource>(',');
        break;
    case Format::Tsv:
        source = std::make_unique<CsvSource>('\t');
        break;
    }
    source->m_name = displayName;
    source->m_maxRowBytes = maxRowBytes;
    source->m_countOnly = countOnly;
    auto opened = source->m_file.open(path, displayName, chunkBytes);
    if (!opened) {
        return std::move(opened).error();
    }
    return source;
}

SourceStep RowSource::bad(std::int64_t line, int column, std::string message) const
{
    SourceStep step;
    step.kind = SourceStep::Kind::BadRow;
    step.line = line;
    step.diagnostic.file = m_name;
    step.diagnostic.line = static_cast<int>(line);
    step.diagnostic.column = column;
    step.diagnostic.message = std::move(message);
    return step;
}

SourceStep RowSource::fatal(std::int64_t line, int column, std::string message) const
{
    SourceStep step = bad(line, column, std::move(message));
    step.kind = SourceStep::Kind::Fatal;
    return step;
}

SourceStep RowSource::fatalIo(const Error &error)
{
    SourceStep step;
    step.kind = SourceStep::Kind::Fatal;
    step.diagnostic.message = error.message;
    return step;
}

SourceStep RowSource::tooLong(std::int64_t line) const
{
    return fatal(line, 0,
                 "row is longer than " + std::to_string(m_maxRowBytes)
                     + " bytes (the reader's limit); is this really a data file?");
}

SourceStep RowSource::badUtf8(std::int64_t line, std::size_t rowStart, std::size_t offset) const
{
    // Column: 1-based byte position within the row's line.
    std::size_t lineStart = rowStart;
    const auto w = m_file.window();
    for (std::size_t i = rowStart; i < offset; ++i) {
        if (w[i] == '\n') {
            lineStart = i + 1;
            ++line;
        }
    }
    return bad(line, static_cast<int>(offset - lineStart + 1),
               "invalid UTF-8 at byte offset " + std::to_string(m_file.fileOffset(offset)));
}

bool parseJson(std::string_view text, Value &out, std::string &message, std::size_t &errorByte)
{
    if (JsonValueReader::read(text, out)) {
        return true;
    }
    // What the fast reader does not take (very deep nesting, a number beyond double's range)
    // nlohmann may still accept; otherwise parse again, only for the error, to name it.
    out = Value::parse(text.begin(), text.end(), nullptr, false);
    if (!out.is_discarded()) {
        return true;
    }
    try {
        const Value again = Value::parse(text.begin(), text.end());
        (void)again;
        message = "invalid JSON";
        errorByte = 0;
    } catch (const Value::parse_error &e) {
        std::string what = e.what();
        // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
        const auto column = what.find("column ");
        const auto colon = what.find(": ", column == std::string::npos ? 0 : column);
        message = colon == std::string::npos ? what : what.substr(colon + 2);
        errorByte = e.byte > 0 ? e.byte - 1 : 0;
    } catch (const std::exception &e) {
        message = e.what();
        errorByte = 0;
    }
    return false;
}

std::string describeJsonType(const Value &value)
{
    switch (value.type()) {
    case Value::value_t::null:
        return "null";
    case Value::value_t::boolean:
        return "a boolean";
    case Value::value_t::number_integer:
    case Value::value_t::number_unsigned:
    case Value::value_t::number_float:
        return "a number";
    case Value::value_t::string:
        return "a string";
    case Value::value_t::array:
        return "an array";
    case Value::value_t::object:
        return "an object";
    default:
        return "an unknown value";
    }
}

} // namespace fb::data
