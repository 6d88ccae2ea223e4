#include <core/cli/agreementcommand.h>

#include <core/cli/bundlecommand.h>
#include <core/cli/cliapp.h>
#include <core/cli/commandline.h>
#include <core/cli/texttable.h>
#include <core/cli/reportcommand.h>
#include <core/cli/runcommand.h>
#include <core/report/preferencesummary.h>
#include <core/report/ratingagreement.h>
#include <core/store/experimentstore.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <ostream>

namespace fb {

namespace {

int code(ExitCode c) { return int(c); }

std::string fmt(const char *format, double v) { return TextTable::number(format, v); }


std::string kappaText(const std::optional<KappaResult> &k)
{
    if (!k) {
        return "-";
    }
    return k->kappa ? fmt("%.3f", *k->kappa) : std::string("undefined");
}

std::vector<std::vector<std::string>> pairTable(const std::vector<PairAgreement> &pairs,
                                                const std::string &first, const std::string &second)
{
    std::vector<std::vector<std::string>> rows{
        {first, second, "lines", "observed", "expected", "kappa"}};
    for (const auto &p : pairs) {
        rows.push_back({p.first, p.second, std::to_string(p.sharedLines),
                        p.kappa ? fmt("%.3f", p.kappa->observedAgreement) : "-",
                        p.kappa ? fmt("%.3f", p.kappa->expectedAgreement) : "-",
                        kappaText(p.kappa)});
    }
    return rows;
}

/// "MIN,MAX" as two finite numbers.
bool parseScale(const std::string &text, double &min, double &max)
{
    const auto comma = text.find(',');
    if (comma == std::string::npos) {
        return false;
    }
    const std::string a = text.substr(0, comma);
    const std::string b = text.substr(comma + 1);
    char *endA = nullptr;
    char *endB = nullptr;
    min = std::strtod(a.c_str(), &endA);
    max = std::strtod(b.c_str(), &endB);
    return !a.empty() && !b.empty() && *endA == '\0' && *endB == '\0' && std::isfinite(min)
           && std::isfinite(max) && min < max;
}

int printPreferences(ExperimentStore &store, RunId first, RunId second, const std::string &judge,
                     bool json, std::ostream &out, std::ostream &err)
{
    if (first == second) {
        err << "flowbench-cli agreement: --versus needs another run than --run\n";
        return code(ExitCode::Usage);
    }
    auto summary = PreferenceSummary::load(store, first, second, judge);
    if (!summary) {
        err << "flowbench-cli agreement: " << summary.error().message << "\n";
        return code(summary.error().code == ErrorCode::NotFound ? ExitCode::Usage
                                                                : ExitCode::RunFailed);
    }
    const PreferenceSummary &s = *summary;
    if (json) {
        out << s.toJson().dump(2, ' ', false, Value::error_handler_t::replace) << "\n";
        return code(ExitCode::Ok);
    }
    out << "Blind A/B review of '" << s.nameA << "' (A) against '" << s.nameB << "' (B): "
        << s.raters.size() << (s.raters.size() == 1 ? " rater, " : " raters, ")
        << s.lines.size() << " lines\n";
    if (s.raters.empty()) {
        out << "  no preferences recorded between these runs\n";
        return code(ExitCode::Ok);
    }
    std::vector<std::vector<std::string>> rows{{"rater", "A", "B", "tie", "left chosen"}};
    auto row = [](const std::string &name, const PreferenceTally &t) {
        return std::vector<std::string>{
            name, std::to_string(t.a), std::to_string(t.b), std::to_string(t.ties),
            t.decided() == 0 ? "-" : fmt("%.0f %%", 100.0 * double(t.left) / double(t.decided()))};
    };
    for (const auto &r : s.raters) {
        rows.push_back(row(r.rater, r.tally));
    }
    rows.push_back(row("all", s.overall));
    TextTable::print(out, rows);
    out << "\nSign test (ties left out): p = " << fmt("%.4g", s.signTestP) << " on "
        << s.overall.decided() << " decided choices\n";
    if (!s.pairs.empty()) {
        out << "\nCohen's kappa per pair of raters (labels A, B, tie)\n";
        TextTable::print(out, pairTable(s.pairs, "rater", "rater"));
    }
    if (s.raters.size() >= 2) {
        out << "\nFleiss' kappa: "
            << (s.fleiss ? kappaText(s.fleiss) + " on " + std::to_string(s.fleissLines)
                               + " lines judged by every rater"
                         : std::string("- (no line was judged by every rater)"))
            << "\n";
    }
    if (!s.judge.empty()) {
        out << "\nRaters against the judge '" << s.judge
            << "' (it prefers the run with the better result on the line)\n";
        TextTable::print(out, pairTable(s.judgePairs, "rater", "judge"));
    }
    return code(ExitCode::Ok);
}

} // namespace

int AgreementCommand::run(const std::vector<std::string> &args, std::ostream &out,
                          std::ostream &err)
{
    CommandLine cl(
        "flowbench-cli agreement --run RUN [--store FILE] [--judge EVALUATOR] [--json]",
        "How well the human raters of a run (by name, or #ID) agree: Cohen's kappa for every\n"
        "pair of raters over the lines both rated, and Fleiss' kappa over all raters on the\n"
        "lines every rater rated. A rating's score is its label (fail 0 / pass 1, or 1-5), as\n"
        "nominal categories; a rater's last rating of a line counts; comment-only ratings do\n"
        "not. With --judge, each rater's kappa against that evaluator's results on the same\n"
        "lines (an LLM judge stored with the lines, or an evaluation run's output): its verdict\n"
        "(pass 1 / fail 0) when every rating is 0 or 1, else its score put back on its scale\n"
        "(the judge's 'scale' setting, default 1-5). Kappa is 'undefined' when every label\n"
        "is the same.",
        {{"run", "RUN", "the rated run", false},
         {"store", "FILE",
          "experiment store, or a run bundle read-only (default "
              + std::string(RunCommand::kDefaultStore) + ")",
          false},
         {"judge", "EVALUATOR", "also compare each rater with this evaluator's results", false},
         {"judge-labels", "auto|verdict|scale",
          "how the judge's results become labels (default auto, see above)", false},
         {"judge-scale", "MIN,MAX", "the judge's scale (default: its setting, else 1,5)", false},
         {"kind", "pass_fail|stars|score",
          "only ratings of this kind (default: every rating with a score)", false},
         {"versus", "RUN",
          "the blind A/B preferences between --run and this run instead: who chose which, the "
          "sign test, and the raters' (and --judge's) agreement",
          false},
         {"json", {}, "print the agreement as JSON", false}});
    if (auto r = cl.parse(args); !r) {
        err << "flowbench-cli agreement: " << r.error().message << "\n";
        return code(ExitCode::Usage);
    }
    if (cl.has("help")) {
        out << cl.help();
        return code(ExitCode::Ok);
    }
    if (!cl.has("run") || !cl.positionals().empty()) {
        err << "flowbench-cli agreement: expected --run RUN\n\n" << cl.help();
        return code(ExitCode::Usage);
    }
    RatingAgreementOptions options;
    options.judge = cl.value("judge");
    if (cl.has("kind")) {
        options.kind = Rating::kindFromName(cl.value("kind"));
        if (!options.kind || cl.value("kind").empty() || *options.kind == RatingKind::Comment) {
            err << "flowbench-cli agreement: --kind must be pass_fail, stars or score\n";
            return code(ExitCode::Usage);
        }
    }
    if (cl.has("versus") && (cl.has("kind") || cl.has("judge-labels") || cl.has("judge-scale"))) {
        err << "flowbench-cli agreement: --versus takes no --kind, --judge-labels or "
               "--judge-scale\n";
        return code(ExitCode::Usage);
    }
    const std::string labels = cl.value("judge-labels", "auto");
    if (labels == "auto") {
        options.judgeLabels = JudgeLabels::Auto;
    } else if (labels == "verdict") {
        options.judgeLabels = JudgeLabels::Verdict;
    } else if (labels == "scale") {
        options.judgeLabels = JudgeLabels::Scale;
    } else {
        err << "flowbench-cli agreement: --judge-labels must be auto, verdict or scale\n";
        return code(ExitCode::Usage);
    }
    if (cl.has("judge-scale")) {
        double min = 0;
        double max = 0;
        if (!parseScale(cl.value("judge-scale"), min, max)) {
            err << "flowbench-cli agreement: --judge-scale: '" << cl.value("judge-scale")
                << "' is not MIN,MAX with MIN < MAX\n";
            return code(ExitCode::Usage);
        }
        options.judgeScaleMin = min;
        options.judgeScaleMax = max;
    }
    if (options.judge.empty() && (cl.has("judge-labels") || cl.has("judge-scale"))) {
        err << "flowbench-cli agreement: --judge-labels and --judge-scale need --judge\n";
        return code(ExitCode::Usage);
    }

    const std::string storePath = cl.value("store", RunCommand::kDefaultStore);
    if (!std::filesystem::exists(storePath)) {
        err << "flowbench-cli agreement: no experiment store at " << storePath
            << " (run a flow first, or pass --store FILE)\n";
        return code(ExitCode::Environment);
    }
    auto store = BundleCommand::openForReading(storePath);
    if (!store) {
        err << store.error().message << "\n";
        return code(ExitCode::Environment);
    }
    auto runs = ReportCommand::resolveRuns(*store, {cl.value("run")}, false, err);
    if (!runs) {
        return code(ExitCode::Usage);
    }
    if (cl.has("versus")) {
        auto other = ReportCommand::resolveRuns(*store, {cl.value("versus")}, false, err);
        if (!other) {
            return code(ExitCode::Usage);
        }
        return printPreferences(*store, runs->front(), other->front(), options.judge,
                                cl.has("json"), out, err);
    }
    auto agreement = RatingAgreement::load(*store, runs->front(), options);
    if (!agreement) {
        err << "flowbench-cli agreement: " << agreement.error().message << "\n";
        return code(agreement.error().code == ErrorCode::NotFound ? ExitCode::Usage
                                                                  : ExitCode::RunFailed);
    }
    if (cl.has("json")) {
        Value doc = agreement->toJson();
        doc["run"] = cl.value("run");
        out << doc.dump(2, ' ', false, Value::error_handler_t::replace) << "\n";
        return code(ExitCode::Ok);
    }

    const RatingAgreement &a = *agreement;
    const auto &raters = a.table.raters;
    std::string names;
    for (const auto &r : raters) {
        names += (names.empty() ? "" : ", ") + r;
    }
    out << "Agreement on run '" << cl.value("run") << "': " << raters.size()
        << (raters.size() == 1 ? " rater" : " raters") << (names.empty() ? "" : " (" + names + ")")
        << ", " << a.table.lines.size() << " rated lines\n";
    if (raters.empty()) {
        out << "  no ratings with a score on this run\n";
    }
    if (!a.pairs.empty()) {
        out << "\nCohen's kappa per pair of raters (on the lines both rated)\n";
        TextTable::print(out, pairTable(a.pairs, "rater", "rater"));
    }
    if (raters.size() >= 2) {
        out << "\nFleiss' kappa over the " << raters.size() << " raters: ";
        if (!a.fleiss) {
            out << "- (no line was rated by every rater)\n";
        } else {
            out << kappaText(a.fleiss) << " on " << a.fleissLines
                << " lines rated by every rater (observed "
                << fmt("%.3f", a.fleiss->observedAgreement) << ", expected "
                << fmt("%.3f", a.fleiss->expectedAgreement) << ")\n";
        }
    }
    if (!a.judge.empty()) {
        out << "\nRaters against the judge '" << a.judge << "' (";
        if (a.judgeLabels == JudgeLabels::Verdict) {
            out << "its verdicts: pass 1, fail 0";
        } else {
            out << "its scores on the scale " << fmt("%g", a.judgeScaleMin.value_or(1.0)) << "-"
                << fmt("%g", a.judgeScaleMax.value_or(5.0));
        }
        out << ")\n";
        TextTable::print(out, pairTable(a.judgePairs, "rater", "judge"));
    }
    out << "\nKappa: 1 full agreement, 0 what chance gives, below 0 worse than chance.\n";
    return code(ExitCode::Ok);
}

} // namespace fb
