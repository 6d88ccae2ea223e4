#include <core/data/datasetreader.h>

#include <core/common/fileio.h>
#include <core/data/rowsource_p.h>

#include <algorithm>
#include <cctype>
#include <system_error>

namespace fb {

namespace {

std::optional<data::RowSource::Format> formatOf(const std::filesystem::path &path)
{
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".jsonl") {
        return data::RowSource::Format::JsonLines;
    }
    if (ext == ".json") {
        return data::RowSource::Format::JsonArray;
    }
    if (ext == ".csv") {
        return data::RowSource::Format::Csv;
    }
    if (ext == ".tsv") {
        return data::RowSource::Format::Tsv;
    }
    return std::nullopt;
}

Error unknownExtension(const std::filesystem::path &path)
{
    return Error(ErrorCode::Unsupported, path.string() + ": unknown data file extension '"
                                             + path.extension().string()
                                             + "' (expected .jsonl, .json, .csv or .tsv)");
}

} // namespace

struct DatasetReader::Private
{
    std::filesystem::path root;
    DatasetReaderOptions options;
    std::vector<std::filesystem::path> files;
    std::size_t nextFile = 0;
    std::unique_ptr<data::RowSource> source;
    std::string sourceName;
    std::int64_t index = 0;
    std::size_t peakBuffer = 0;
    std::vector<Diagnostic> skipped;
    std::optional<Error> failed;
    bool done = false;
};

DatasetReader::DatasetReader(std::unique_ptr<Private> dd)
    : d(std::move(dd))
{
}

DatasetReader::DatasetReader(DatasetReader &&other) noexcept = default;
DatasetReader &DatasetReader::operator=(DatasetReader &&other) noexcept = default;
DatasetReader::~DatasetReader() = default;

bool DatasetReader::isDataFile(const std::filesystem::path &path)
{
    return formatOf(path).has_value();
}

Result<std::vector<std::filesystem::path>>
DatasetReader::listFolder(const std::filesystem::path &folder)
{
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    std::filesystem::directory_iterator it(folder, ec);
    if (ec) {
        return fail(ErrorCode::Io, folder.string() + ": cannot list the folder: " + ec.message());
    }
    for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (name.empty() || name[0] == '.') {
            continue;
        }
        std::error_code typeError;
        if (!it->is_regular_file(typeError)) {
            continue;
        }
        files.push_back(it->path());
    }
    if (ec) {
        return fail(ErrorCode::Io, folder.string() + ": cannot list the folder: " + ec.message());
    }
    std::sort(files.begin(), files.end(),
              [](const auto &a, const auto &b) { return a.filename() < b.filename(); });
    return files;
}

Result<DatasetReader> DatasetReader::open(const std::filesystem::path &path,
                                          DatasetReaderOptions options)
{
    auto d = std::make_unique<Private>();
    d->root = path;
    d->options = options;
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) {
        return fail(ErrorCode::NotFound, path.string() + ": no such file or folder");
    }
    if (std::filesystem::is_directory(status)) {
        auto files = listFolder(path);
        if (!files) {
            return std::move(files).error();
        }
        for (const auto &file : *files) {
            if (!isDataFile(file)) {
                return unknownExtension(file);
            }
        }
        d->files = std::move(*files);
    } else {
        // A FIFO or a device (--data /dev/stdin, a named pipe) is refused here, with its kind,
        // rather than waited on or read for ever.
        if (auto regular = checkRegularFile(path); !regular) {
            return std::move(regular).error();
        }
        if (!isDataFile(path)) {
            return unknownExtension(path);
        }
        d->files.push_back(path);
    }
    return DatasetReader(std::move(d));
}

Result<std::optional<DataRow>> DatasetReader::next()
{
    if (d->failed) {
        return *d->failed;
    }
    if (d->done) {
        return std::optional<DataRow>();
    }
    for (;;) {
        if (!d->source) {
            if (d->nextFile == d->files.size()) {
                if (d->index == 0) {
                    std::string message = d->root.string() + ": data is empty";
                    if (!d->skipped.empty()) {
                        message
                            += " (" + std::to_string(d->skipped.size()) + " bad rows were skipped)";
                    } else if (d->files.empty()) {
                        message += " (the folder holds no data files)";
                    }
                    d->failed = Error(ErrorCode::Validation, std::move(message));
                    return *d->failed;
                }
                d->done = true;
                return std::optional<DataRow>();
            }
            const auto &file = d->files[d->nextFile++];
            d->sourceName = file.string();
            auto source
                = data::RowSource::open(file, d->sourceName, *formatOf(file), d->options.chunkBytes,
                                        d->options.maxRowBytes, d->options.countOnly);
            if (!source) {
                d->failed = std::move(source).error();
                return *d->failed;
            }
            d->source = std::move(*source);
        }
        data::SourceStep step = d->source->next();
        d->peakBuffer = std::max(d->peakBuffer, d->source->bufferCapacity());
        switch (step.kind) {
        case data::SourceStep::Kind::Row: {
            DataRow row;
            if (!d->options.countOnly) {
                row.row = std::move(step.row);
            }
            row.file = d->sourceName;
            row.line = step.line;
            row.index = d->index++;
            return std::optional<DataRow>(std::move(row));
        }
        case data::SourceStep::Kind::BadRow:
            if (d->options.onBadRow == OnBadRow::Skip) {
                d->skipped.push_back(std::move(step.diagnostic));
                break;
            }
            d->failed = Error(ErrorCode::Parse, step.diagnostic.toString());
            return *d->failed;
        case data::SourceStep::Kind::Fatal:
            // A fatal step without a file is an I/O error whose message names the file.
            d->failed = step.diagnostic.file.empty()
                            ? Error(ErrorCode::Io, step.diagnostic.message)
                            : Error(ErrorCode::Parse, step.diagnostic.toString());
            return *d->failed;
        case data::SourceStep::Kind::End:
            d->source.reset();
            break;
        }
    }
}

const std::vector<Diagnostic> &DatasetReader::skipped() const { return d->skipped; }

const std::vector<std::filesystem::path> &DatasetReader::files() const { return d->files; }

std::int64_t DatasetReader::rowCount() const { return d->index; }

std::size_t DatasetReader::peakBufferBytes() const { return d->peakBuffer; }

} // namespace fb
