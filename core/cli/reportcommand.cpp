#include <core/cli/reportcommand.h>

#include <core/cli/bundlecommand.h>
#include <core/cli/cliapp.h>
#include <core/cli/commandline.h>
#include <core/cli/runcommand.h>
#include <core/report/csvreport.h>
#include <core/report/htmlreport.h>
#include <core/report/jsonreport.h>
#include <core/report/reportdata.h>
#include <core/store/experimentstore.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <ostream>

namespace fb {

namespace {

int code(ExitCode c) { return int(c); }

/// `-o FILE` is the usual short form of --output.
std::vector<std::string> expandShortOptions(const std::vector<std::string> &args)
{
    std::vector<std::string> out;
    for (const auto &a : args) {
        out.push_back(a == "-o" ? std::string("--output") : a);
    }
    return out;
}

std::string formatFromPath(const std::string &path)
{
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (ext == ".html" || ext == ".htm") {
        return "html";
    }
    if (ext == ".csv") {
        return "csv";
    }
    if (ext == ".json") {
        return "json";
    }
    return {};
}

std::string sizeText(const std::string &path)
{
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(path, ec);
    if (ec) {
        return "?";
    }
    char buf[32];
    if (bytes >= 1024 * 1024) {
        std::snprintf(buf, sizeof buf, "%.1f MB", double(bytes) / (1024.0 * 1024.0));
    } else {
        std::snprintf(buf, sizeof buf, "%.1f KB", double(bytes) / 1024.0);
    }
    return buf;
}

} // namespace

std::optional<std::vector<RunId>> ReportCommand::resolveRuns(ExperimentStore &store,
                                                             const std::vector<std::string> &names,
                                                             bool wholeExperiments,
                                                             std::ostream &err)
{
    std::vector<RunId> ids;
    std::vector<RunSummary> found;
    for (const auto &name : names) {
        Result<RunSummary> run = store.findRunByName(name);
        if (!run && name.size() > 1 && name[0] == '#'
            && name.find_first_not_of("0123456789", 1) == std::string::npos) {
            run = store.run(RunId{std::atoll(name.c_str() + 1)});
        }
        if (!run) {
            err << "no run '" << name << "' in " << store.path()
                << " (see flowbench-cli runs --store " << store.path() << ")\n";
            return std::nullopt;
        }
        if (std::find(ids.begin(), ids.end(), run->id) == ids.end()) {
            ids.push_back(run->id);
            found.push_back(*run);
        }
    }
    if (wholeExperiments) {
        auto all = store.runs();
        if (!all) {
            err << all.error().message << "\n";
            return std::nullopt;
        }
        std::sort(all->begin(), all->end(),
                  [](const RunSummary &a, const RunSummary &b) { return a.id < b.id; });
        for (const auto &given : found) {
            if (!given.experimentId) {
                continue;
            }
            for (const auto &r : *all) {
                if (r.experimentId && *r.experimentId == *given.experimentId && !r.baseRunId
                    && std::find(ids.begin(), ids.end(), r.id) == ids.end()) {
                    ids.push_back(r.id);
                }
            }
        }
    }
    return ids;
}

int ReportCommand::run(const std::vector<std::string> &rawArgs, std::ostream &out,
                       std::ostream &err)
{
    CommandLine cl(
        "flowbench-cli report RUN... --format html|csv|json -o FILE [--store FILE] [--rows N] "
        "[--experiment]",
        "Writes a report about one or more runs (by name, or #ID) of the experiment store:\n"
        "  html  one self-contained page (inline CSS and SVG charts, no script, opens offline):\n"
        "        summary per run with 95 % intervals, latency/TTFT/TPOT distributions, quality\n"
        "        vs cost, a significance table (all pairs up to four runs, else the first run\n"
        "        against each), failures with reasons and the first N rows side by side with\n"
        "        differences from the first run marked (--rows, default 200).\n"
        "  csv   FILE gets one row per line of every run (run, line, status, input.*, output.*,\n"
        "        score.*, latency_ms, queue_ms, tokens, cost_usd, error); the metrics go to a\n"
        "        second file next to it, FILE with .csv replaced by .metrics.csv (run, metric,\n"
        "        value, ci_low, ci_high, n). Cells a spreadsheet would run as formulas get a\n"
        "        leading ' (--csv-formulas keeps them as they are).\n"
        "  json  statistics and comparisons; --rows N also includes each run's first N lines\n"
        "        (-1 for all).\n"
        "The format defaults to FILE's extension. Scores come from built-in evaluators stored\n"
        "with the lines and from evaluation runs of these runs.",
        {{"format", "html|csv|json", "report format (default: from the -o extension)", false},
         {"output", "FILE", "where to write (also -o FILE)", false},
         {"store", "FILE",
          "experiment store, or a run bundle read-only (default "
              + std::string(RunCommand::kDefaultStore) + ")",
          false},
         {"rows", "N", "html: rows side by side (default 200); json: lines per run (default 0)",
          false},
         {"experiment", {}, "also include every other run of the given runs' experiments", false},
         {"csv-formulas", {},
          "csv: keep cells that start with = + - @ TAB or CR as they are (by default they get a "
          "leading ' so a spreadsheet shows them as text instead of running them)",
          false},
         {"seed", "N", "bootstrap seed (default 20240601)", false}});
    if (auto r = cl.parse(expandShortOptions(rawArgs)); !r) {
        err << "flowbench-cli report: " << r.error().message << "\n";
        return code(ExitCode::Usage);
    }
    if (cl.has("help")) {
        out << cl.help();
        return code(ExitCode::Ok);
    }
    if (cl.positionals().empty() || !cl.has("output")) {
        err << "flowbench-cli report: expected RUN... and -o FILE\n\n" << cl.help();
        return code(ExitCode::Usage);
    }
    const std::string output = cl.value("output");
    const std::string format = cl.value("format", formatFromPath(output));
    if (format != "html" && format != "csv" && format != "json") {
        err << "flowbench-cli report: --format must be html, csv or json"
            << (cl.has("format") ? "" : " (the output name has no known extension)") << "\n";
        return code(ExitCode::Usage);
    }
    std::int64_t rows = format == "html" ? 200 : 0;
    if (cl.has("rows")) {
        char *end = nullptr;
        const std::string text = cl.value("rows");
        rows = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0' || rows < -1) {
            err << "flowbench-cli report: --rows expects a number >= 0 (or -1 for all)\n";
            return code(ExitCode::Usage);
        }
    }
    StatsOptions stats;
    if (cl.has("seed")) {
        stats.bootstrap.seed = std::strtoull(cl.value("seed").c_str(), nullptr, 10);
    }

    const std::string storePath = cl.value("store", RunCommand::kDefaultStore);
    if (!std::filesystem::exists(storePath)) {
        err << "flowbench-cli report: no experiment store at " << storePath
            << " (run a flow first, or pass --store FILE)\n";
        return code(ExitCode::Environment);
    }
    auto store = BundleCommand::openForReading(storePath);
    if (!store) {
        err << store.error().message << "\n";
        return code(ExitCode::Environment);
    }
    auto runs = resolveRuns(*store, cl.positionals(), cl.has("experiment"), err);
    if (!runs) {
        return code(ExitCode::Usage);
    }
    const auto started = std::chrono::steady_clock::now();
    Result<void> written;
    std::string files = output;
    if (format == "csv") {
        written = CsvReport::write(*store, *runs, output, stats, !cl.has("csv-formulas"));
        files += " and " + CsvReport::metricsPath(output);
    } else if (format == "json") {
        JsonReportOptions options;
        options.stats = stats;
        options.maxLines = rows;
        written = JsonReport::write(*store, *runs, output, options);
    } else {
        HtmlReportOptions options;
        options.stats = stats;
        options.maxRows = rows < 0 ? std::int64_t(1) << 40 : rows;
        written = HtmlReport::write(*store, *runs, output, options);
    }
    if (!written) {
        err << "flowbench-cli report: " << written.error().message << "\n";
        return code(written.error().code == ErrorCode::Io ? ExitCode::Environment
                                                          : ExitCode::RunFailed);
    }
    const double seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char timing[64];
    std::snprintf(timing, sizeof timing, "%.2f s", seconds);
    out << "wrote " << files << " (" << format << ", " << runs->size()
        << (runs->size() == 1 ? " run, " : " runs, ") << sizeText(output) << ") in " << timing
        << "\n";
    return code(ExitCode::Ok);
}

} // namespace fb
