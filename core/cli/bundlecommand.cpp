#include <core/cli/bundlecommand.h>

#include <core/bundle/bundleexporter.h>
#include <core/bundle/bundleimporter.h>
#include <core/bundle/runbundle.h>
#include <core/cli/cliapp.h>
#include <core/cli/commandline.h>
#include <core/cli/runcommand.h>
#include <core/cli/texttable.h>
#include <core/common/fileio.h>
#include <core/store/experimentstore.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>

namespace fb {

namespace {

int code(ExitCode c) { return int(c); }

/// A refused bundle or a failed export/import is the command failing (1); a file that cannot
/// be found, read or written is the environment (4).
int exitFor(const Error &error)
{
    return code(error.code == ErrorCode::Io || error.code == ErrorCode::NotFound
                    ? ExitCode::Environment
                    : ExitCode::RunFailed);
}

std::string jsonText(const Value &v)
{
    return v.dump(2, ' ', false, Value::error_handler_t::replace);
}

std::vector<std::string> expandShortOptions(const std::vector<std::string> &args)
{
    std::vector<std::string> out;
    for (const auto &a : args) {
        out.push_back(a == "-o" ? std::string("--output") : a);
    }
    return out;
}

std::string utcTime(std::int64_t ms)
{
    const std::time_t seconds = std::time_t(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &tm);
    return text;
}

const OptionSpec kMaxSize{"max-size", "BYTES", "refuse a bundle larger than this (default 2 GiB)",
                          false};

/// Parses the command line; prints what is wrong and returns false (with `exit` set) when
/// it does not parse or asks for --help.
bool parse(CommandLine &cl, const std::vector<std::string> &args, const char *name,
           std::ostream &out, std::ostream &err, int &exit)
{
    if (auto r = cl.parse(expandShortOptions(args)); !r) {
        err << "flowbench-cli bundle " << name << ": " << r.error().message << "\n";
        exit = code(ExitCode::Usage);
        return false;
    }
    if (cl.has("help")) {
        out << cl.help();
        exit = code(ExitCode::Ok);
        return false;
    }
    return true;
}

/// BundleLimits with --max-size applied; false (usage printed) when it is not a size.
bool limitsFrom(const CommandLine &cl, const char *name, BundleLimits &limits, std::ostream &err)
{
    auto size = cl.number("max-size", double(limits.maxBundleBytes), 1, 9.0e15, true);
    if (!size) {
        err << "flowbench-cli bundle " << name << ": " << size.error().message << "\n";
        return false;
    }
    limits.maxBundleBytes = std::uint64_t(*size);
    return true;
}

/// The store's run for a name, "#ID" or a bare id; prints what is wrong when none.
std::optional<RunId> findRun(ExperimentStore &store, const std::string &given, std::ostream &err)
{
    if (auto byName = store.findRunByName(given)) {
        return byName->id;
    }
    const std::string digits = given.starts_with('#') ? given.substr(1) : given;
    if (!digits.empty() && digits.size() < 19
        && digits.find_first_not_of("0123456789") == std::string::npos) {
        if (auto byId = store.run(RunId{std::stoll(digits)})) {
            return byId->id;
        }
    }
    err << "flowbench-cli bundle export: no run '" << given << "' in " << store.path()
        << " (see flowbench-cli runs --store " << store.path() << ")\n";
    return std::nullopt;
}

} // namespace

Result<ExperimentStore> BundleCommand::openForReading(const std::string &path)
{
    if (!RunBundle::isBundleFile(path)) {
        return ExperimentStore::open(path);
    }
    auto bundle = RunBundle::open(path);
    if (!bundle) {
        return std::move(bundle).error();
    }
    return bundle->openStore();
}

int BundleCommand::run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    static const char *help
        = "usage: flowbench-cli bundle export|show|import|extract ...\n"
          "\n"
          "Run bundles: the selected runs of an experiment store with their flow files and\n"
          "dataset rows in one portable .fbbundle file (SQLite) that another workbench opens\n"
          "read-only or imports.\n"
          "\n"
          "  export --run RUN... [--experiment NAME] -o FILE   write a bundle from --store\n"
          "  show FILE [--json]                                runs, flows, lines, metrics, size\n"
          "  import FILE [--store S]                           add its runs to a store\n"
          "  extract FILE --flow-dir DIR                       write its flow files out\n"
          "\n"
          "Run 'flowbench-cli bundle SUBCOMMAND --help' for the options.\n"
          "Exit codes: 0 ok, 1 bundle refused or export/import failed, 2 usage, 4 a file "
          "cannot be read or written.\n";
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        (args.empty() ? err : out) << help;
        return code(args.empty() ? ExitCode::Usage : ExitCode::Ok);
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "export") {
        return exportRuns(rest, out, err);
    }
    if (args[0] == "show") {
        return show(rest, out, err);
    }
    if (args[0] == "import") {
        return import(rest, out, err);
    }
    if (args[0] == "extract") {
        return extract(rest, out, err);
    }
    err << "flowbench-cli bundle: unknown subcommand '" << args[0] << "'\n\n" << help;
    return code(ExitCode::Usage);
}

int BundleCommand::exportRuns(const std::vector<std::string> &args, std::ostream &out,
                              std::ostream &err)
{
    CommandLine cl(
        "flowbench-cli bundle export --run RUN... [--experiment NAME] -o FILE [--store FILE]",
        "Writes the given runs (by name, #ID or ID), or every run of an experiment, with the\n"
        "evaluation runs of those runs, their flow files and the dataset rows they used, to\n"
        "one run bundle FILE (conventionally *.fbbundle). The file appears only when complete.",
        {{"run", "RUN", "a run to bundle (repeatable)", true},
         {"experiment", "NAME", "bundle every run of the newest experiment of that name", false},
         {"output", "FILE", "the bundle to write (also -o FILE)", false},
         {"store", "FILE",
          "experiment store (default " + std::string(RunCommand::kDefaultStore) + ")", false},
         {"no-flow-files", {}, "leave the flow files out", false},
         {"no-data", {}, "leave the dataset rows out", false},
         kMaxSize});
    int exit = 0;
    if (!parse(cl, args, "export", out, err, exit)) {
        return exit;
    }
    if (!cl.has("output") || (!cl.has("run") && !cl.has("experiment"))
        || !cl.positionals().empty()) {
        err << "flowbench-cli bundle export: expected --run RUN... or --experiment NAME, and "
               "-o FILE\n\n"
            << cl.help();
        return code(ExitCode::Usage);
    }
    BundleExportOptions options;
    if (!limitsFrom(cl, "export", options.limits, err)) {
        return code(ExitCode::Usage);
    }
    options.flowFiles = !cl.has("no-flow-files");
    options.datasetRows = !cl.has("no-data");
    const std::string storePath = cl.value("store", RunCommand::kDefaultStore);
    if (auto exists = checkRegularFile(storePath); !exists) {
        err << "flowbench-cli bundle export: no experiment store at " << storePath << " ("
            << exists.error().message << ")\n";
        return code(ExitCode::Environment);
    }
    {
        auto store = ExperimentStore::open(storePath);
        if (!store) {
            err << store.error().message << "\n";
            return code(ExitCode::Environment);
        }
        for (const auto &given : cl.values("run")) {
            auto id = findRun(*store, given, err);
            if (!id) {
                return code(ExitCode::Usage);
            }
            options.runs.push_back(*id);
        }
        if (cl.has("experiment")) {
            auto experiment = store->findExperiment(cl.value("experiment"));
            auto runs = experiment ? store->experimentRuns(*experiment)
                                   : Result<std::vector<RunSummary>>(experiment.error());
            if (!runs) {
                err << "flowbench-cli bundle export: " << runs.error().message << "\n";
                return code(ExitCode::Usage);
            }
            for (const auto &r : *runs) {
                options.runs.push_back(r.id);
            }
        }
    }
    const std::string output = cl.value("output");
    auto manifest = BundleExporter::write(storePath, options, output);
    if (!manifest) {
        err << "flowbench-cli bundle export: " << manifest.error().message << "\n";
        return exitFor(manifest.error());
    }
    std::error_code ec;
    const auto size = std::filesystem::file_size(output, ec);
    out << "wrote " << output << " (" << manifest->counts.runs
        << (manifest->counts.runs == 1 ? " run, " : " runs, ") << manifest->counts.lines
        << " lines, " << manifest->counts.flowFiles << " flow files, "
        << manifest->counts.datasetRows << " dataset rows, " << describeByteSize(ec ? 0 : size)
        << ")\n";
    for (const auto &flow : manifest->flows) {
        if (flow.files != "as-run") {
            err << "note: flow '" << flow.name << "': files " << flow.files << ": " << flow.note
                << "\n";
        }
    }
    for (const auto &data : manifest->datasets) {
        if (data.rows != "as-run") {
            err << "note: dataset '" << data.name << "': rows " << data.rows << ": " << data.note
                << "\n";
        }
    }
    return code(ExitCode::Ok);
}

int BundleCommand::show(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    CommandLine cl("flowbench-cli bundle show FILE [--json]",
                   "Checks a run bundle (see README, 'Run bundles', for what is refused) and\n"
                   "describes it: its runs with their flow, status, lines and metrics, its flow\n"
                   "files and dataset rows, and its size. Reading never changes the file.",
                   {{"json", {}, "print it as JSON", false}, kMaxSize});
    int exit = 0;
    if (!parse(cl, args, "show", out, err, exit)) {
        return exit;
    }
    if (cl.positionals().size() != 1) {
        err << "flowbench-cli bundle show: expected one FILE\n\n" << cl.help();
        return code(ExitCode::Usage);
    }
    BundleLimits limits;
    if (!limitsFrom(cl, "show", limits, err)) {
        return code(ExitCode::Usage);
    }
    auto bundle = RunBundle::open(cl.positionals()[0], limits);
    if (!bundle) {
        err << "flowbench-cli bundle show: " << bundle.error().message << "\n";
        return exitFor(bundle.error());
    }
    auto store = bundle->openStore();
    auto runs = store ? store->runs() : Result<std::vector<RunSummary>>(store.error());
    if (!runs) {
        err << "flowbench-cli bundle show: " << runs.error().message << "\n";
        return exitFor(runs.error());
    }
    std::sort(runs->begin(), runs->end(),
              [](const RunSummary &a, const RunSummary &b) { return a.id < b.id; });
    const BundleManifest &m = bundle->manifest();
    std::vector<std::map<std::string, double>> metrics;
    for (const auto &r : *runs) {
        auto found = store->metrics(r.id);
        if (!found) {
            err << "flowbench-cli bundle show: " << found.error().message << "\n";
            return exitFor(found.error());
        }
        metrics.push_back(std::move(*found));
    }
    if (cl.has("json")) {
        Value doc = m.toJson();
        doc["file"] = bundle->path();
        doc["file_bytes"] = bundle->fileSize();
        Value details = Value::array();
        for (std::size_t i = 0; i < runs->size(); ++i) {
            const RunSummary &r = (*runs)[i];
            Value run = {{"id", r.id.value},
                         {"name", r.name},
                         {"flow", r.flowName},
                         {"status", runStateName(r.status)},
                         {"total_lines", r.totalLines},
                         {"completed_lines", r.completedLines},
                         {"failed_lines", r.failedLines},
                         {"variants", r.variants},
                         {"base_run_id", r.baseRunId ? Value(r.baseRunId->value) : Value()}};
            run["metrics"] = Value::object();
            for (const auto &[name, value] : metrics[i]) {
                run["metrics"][name] = value;
            }
            details.push_back(std::move(run));
        }
        doc["run_details"] = std::move(details);
        out << jsonText(doc) << "\n";
        return code(ExitCode::Ok);
    }
    out << bundle->path() << ": run bundle (format " << m.formatVersion << "), "
        << describeByteSize(bundle->fileSize()) << ", written " << utcTime(m.createdAtMs) << " by "
        << m.tool << "\n\n";
    std::vector<std::vector<std::string>> rows
        = {{"ID", "RUN", "FLOW", "STATUS", "LINES", "COMPLETED", "FAILED", "METRICS"}};
    for (std::size_t i = 0; i < runs->size(); ++i) {
        const RunSummary &r = (*runs)[i];
        std::string names;
        for (const auto &[name, value] : metrics[i]) {
            names += (names.empty() ? "" : " ") + name + "=" + TextTable::number("%g", value);
        }
        rows.push_back(
            {std::to_string(r.id.value),
             r.name + (r.baseRunId ? " (eval of " + std::to_string(r.baseRunId->value) + ")" : ""),
             r.flowName, runStateName(r.status), std::to_string(r.totalLines),
             std::to_string(r.completedLines), std::to_string(r.failedLines),
             names.empty() ? "-" : names});
    }
    TextTable::print(out, rows);
    out << "\n";
    for (const auto &flow : m.flows) {
        out << "flow " << flow.id << " '" << flow.name << "' (" << flow.contentHash.substr(0, 12)
            << "): files " << flow.files << (flow.note.empty() ? "" : " - " + flow.note) << "\n";
    }
    for (const auto &data : m.datasets) {
        out << "dataset " << data.id << " '" << data.name << "' (" << data.fingerprint.substr(0, 12)
            << "): rows " << data.rows << (data.note.empty() ? "" : " - " + data.note) << "\n";
    }
    const BundleCounts &c = m.counts;
    out << "holds " << c.lines << " lines, " << c.nodeResults << " node results, " << c.llmCalls
        << " LLM calls, " << c.scores << " scores, " << c.metrics << " metrics, " << c.ratings
        << " ratings, " << c.preferences << " A/B preferences, " << c.flowFiles << " flow files (" << describeByteSize(m.flowFileBytes)
        << "), " << c.datasetRows << " dataset rows (" << describeByteSize(m.datasetRowBytes)
        << ")\n";
    return code(ExitCode::Ok);
}

int BundleCommand::import(const std::vector<std::string> &args, std::ostream &out,
                          std::ostream &err)
{
    CommandLine cl("flowbench-cli bundle import FILE [--store FILE] [--refuse-present]",
                   "Checks a run bundle and adds its runs to the experiment store, in one\n"
                   "transaction (a failure leaves the store as it was). Runs get new ids; a run\n"
                   "whose name is taken is imported as NAME-imported; a run the store already\n"
                   "holds (same creation time, flow, data and variants) is skipped.",
                   {{"store", "FILE",
                     "experiment store (default " + std::string(RunCommand::kDefaultStore)
                         + "; created if missing)",
                     false},
                    {"refuse-present", {}, "fail instead of skipping runs the store holds", false},
                    kMaxSize});
    int exit = 0;
    if (!parse(cl, args, "import", out, err, exit)) {
        return exit;
    }
    if (cl.positionals().size() != 1) {
        err << "flowbench-cli bundle import: expected one FILE\n\n" << cl.help();
        return code(ExitCode::Usage);
    }
    BundleLimits limits;
    if (!limitsFrom(cl, "import", limits, err)) {
        return code(ExitCode::Usage);
    }
    auto bundle = RunBundle::open(cl.positionals()[0], limits);
    if (!bundle) {
        err << "flowbench-cli bundle import: " << bundle.error().message << "\n";
        return exitFor(bundle.error());
    }
    const std::string storePath = cl.value("store", RunCommand::kDefaultStore);
    std::error_code ec;
    if (const auto parent = std::filesystem::path(storePath).parent_path(); !parent.empty()) {
        std::filesystem::create_directories(parent, ec);
    }
    auto report = BundleImporter::import(
        *bundle, storePath, cl.has("refuse-present") ? OnPresentRun::Refuse : OnPresentRun::Skip);
    if (!report) {
        err << "flowbench-cli bundle import: " << report.error().message << "\n";
        return exitFor(report.error());
    }
    std::vector<std::vector<std::string>> rows = {{"BUNDLE RUN", "STORE RUN", "NAME", "RESULT"}};
    std::size_t imported = 0;
    for (const auto &r : report->runs) {
        imported += r.skipped ? 0 : 1;
        rows.push_back({std::to_string(r.bundleId.value), std::to_string(r.storeId.value), r.name,
                        r.skipped   ? "already in the store: skipped"
                        : r.renamed ? "imported (renamed: the name was taken)"
                                    : "imported"});
    }
    TextTable::print(out, rows);
    out << "imported " << imported << " of " << report->runs.size() << " runs into " << storePath
        << " (" << report->lines << " lines, " << report->scores << " scores, " << report->metrics
        << " metrics, " << report->ratings << " ratings, " << report->preferences
        << " A/B preferences)\n";
    return code(ExitCode::Ok);
}

int BundleCommand::extract(const std::vector<std::string> &args, std::ostream &out,
                           std::ostream &err)
{
    CommandLine cl("flowbench-cli bundle extract FILE --flow-dir DIR [--overwrite]",
                   "Writes the flow files a run bundle holds under DIR, one folder per flow\n"
                   "version (DIR/ID-NAME). Nothing is written through a symbolic link or over an\n"
                   "existing file (unless --overwrite), and every file is checked against its\n"
                   "SHA-256 first.",
                   {{"flow-dir", "DIR", "where to write the flow folders", false},
                    {"overwrite", {}, "replace files that exist", false},
                    kMaxSize});
    int exit = 0;
    if (!parse(cl, args, "extract", out, err, exit)) {
        return exit;
    }
    if (cl.positionals().size() != 1 || !cl.has("flow-dir")) {
        err << "flowbench-cli bundle extract: expected FILE and --flow-dir DIR\n\n" << cl.help();
        return code(ExitCode::Usage);
    }
    BundleLimits limits;
    if (!limitsFrom(cl, "extract", limits, err)) {
        return code(ExitCode::Usage);
    }
    auto bundle = RunBundle::open(cl.positionals()[0], limits);
    if (!bundle) {
        err << "flowbench-cli bundle extract: " << bundle.error().message << "\n";
        return exitFor(bundle.error());
    }
    for (const auto &flow : bundle->manifest().flows) {
        if (flow.files != "as-run" && flow.files != "partial") {
            err << "note: flow '" << flow.name << "': no files (" << flow.files << ": " << flow.note
                << ")\n";
        }
    }
    const std::filesystem::path dir(cl.value("flow-dir"));
    auto files = bundle->extractFlows(dir, cl.has("overwrite"));
    if (!files) {
        err << "flowbench-cli bundle extract: " << files.error().message << "\n";
        return exitFor(files.error());
    }
    std::string folders;
    for (const auto &flow : bundle->manifest().flows) {
        if (flow.files == "as-run" || flow.files == "partial") {
            folders += (folders.empty() ? "" : ", ") + RunBundle::flowFolderName(flow);
        }
    }
    out << "wrote " << files->size() << " flow files to " << dir.string() << " (" << folders
        << ")\n";
    return code(ExitCode::Ok);
}

} // namespace fb
