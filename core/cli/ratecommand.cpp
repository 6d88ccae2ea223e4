#include <core/cli/ratecommand.h>

#include <core/cli/cliapp.h>
#include <core/cli/commandline.h>
#include <core/cli/reportcommand.h>
#include <core/cli/runcommand.h>
#include <core/store/experimentstore.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <ostream>

namespace fb {

namespace {

int code(ExitCode c) { return int(c); }

std::optional<std::int64_t> wholeNumber(const std::string &text)
{
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return v;
}

std::string defaultRater()
{
    const char *user = std::getenv("USER");
    return user != nullptr && *user != '\0' ? user : "anonymous";
}

} // namespace

int RateCommand::run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    CommandLine cl(
        "flowbench-cli rate --run RUN --line N (--pass | --fail | --stars 1-5 | --comment TEXT)\n"
        "       flowbench-cli rate --run RUN --versus RUN --line N --prefer RUN|tie\n"
        "       flowbench-cli rate --run RUN [--versus RUN] --line N --undo",
        "Records a human rating of one line of a run (line N as 'runs'/'report' number them,\n"
        "from 0) under the rater's name: pass or fail, 1-5 stars, or a comment alone (a comment\n"
        "may also go with a pass/fail or stars). With --versus, records which of the two runs'\n"
        "outputs on that line the rater prefers (or a tie), as the workbench's blind review\n"
        "does. A later rating of the same kind by the same rater corrects the earlier one;\n"
        "--undo removes the rater's last rating (or preference) of the line.",
        {{"run", "RUN", "the rated run (name or #ID)", false},
         {"line", "N", "the line index", false},
         {"pass", {}, "the output is acceptable", false},
         {"fail", {}, "the output is not acceptable", false},
         {"stars", "1-5", "a rating from 1 (bad) to 5 (excellent)", false},
         {"comment", "TEXT", "a comment", false},
         {"versus", "RUN", "the other run of a blind A/B preference", false},
         {"prefer", "RUN|tie", "the run whose output is better, or tie", false},
         {"undo", {}, "remove the rater's last rating or preference of the line", false},
         {"rater", "NAME", "who rates (default: $USER)", false},
         {"store", "FILE",
          "experiment store (default " + std::string(RunCommand::kDefaultStore) + ")", false}});
    if (auto r = cl.parse(args); !r) {
        err << "flowbench-cli rate: " << r.error().message << "\n";
        return code(ExitCode::Usage);
    }
    if (cl.has("help")) {
        out << cl.help();
        return code(ExitCode::Ok);
    }
    auto usage = [&](const std::string &message) {
        err << "flowbench-cli rate: " << message << "\n\n" << cl.help();
        return code(ExitCode::Usage);
    };
    if (!cl.has("run") || !cl.has("line") || !cl.positionals().empty()) {
        return usage("expected --run RUN and --line N");
    }
    const auto line = wholeNumber(cl.value("line"));
    if (!line || *line < 0) {
        return usage("--line: '" + cl.value("line") + "' is not a line index (0 or more)");
    }
    const bool versus = cl.has("versus");
    const int verdicts = int(cl.has("pass")) + int(cl.has("fail")) + int(cl.has("stars"));
    if (versus) {
        if (verdicts > 0) {
            return usage("--versus records a preference (--prefer), not --pass/--fail/--stars");
        }
        if (cl.has("prefer") == cl.has("undo")) {
            return usage("--versus needs --prefer RUN|tie or --undo");
        }
    } else {
        if (cl.has("prefer")) {
            return usage("--prefer needs --versus RUN");
        }
        if (verdicts > 1) {
            return usage("give one of --pass, --fail and --stars");
        }
        if (cl.has("undo") && (verdicts > 0 || cl.has("comment"))) {
            return usage("--undo takes no rating");
        }
        if (!cl.has("undo") && verdicts == 0 && !cl.has("comment")) {
            return usage("give --pass, --fail, --stars N or --comment TEXT");
        }
    }
    std::optional<std::int64_t> stars;
    if (cl.has("stars")) {
        stars = wholeNumber(cl.value("stars"));
        if (!stars || *stars < 1 || *stars > 5) {
            return usage("--stars: '" + cl.value("stars") + "' is not a whole number from 1 to 5");
        }
    }
    const std::string rater = cl.value("rater", defaultRater());
    if (rater.empty()) {
        return usage("--rater: a rater needs a name");
    }

    const std::string storePath = cl.value("store", RunCommand::kDefaultStore);
    if (!std::filesystem::is_regular_file(storePath)) {
        err << "flowbench-cli rate: no experiment store at " << storePath
            << " (run a flow first, or pass --store FILE)\n";
        return code(ExitCode::Environment);
    }
    auto store = ExperimentStore::open(storePath);
    if (!store) {
        err << store.error().message << "\n";
        return code(ExitCode::Environment);
    }
    std::vector<std::string> names{cl.value("run")};
    if (versus) {
        names.push_back(cl.value("versus"));
    }
    auto runs = ReportCommand::resolveRuns(*store, names, false, err);
    if (!runs) {
        return code(ExitCode::Usage);
    }
    const RunId run = (*runs)[0];
    auto lineCount = store->lineCount(run);
    if (!lineCount) {
        err << "flowbench-cli rate: " << lineCount.error().message << "\n";
        return code(ExitCode::Environment);
    }
    auto summary = store->run(run);
    if (!summary) {
        err << "flowbench-cli rate: " << summary.error().message << "\n";
        return code(ExitCode::Environment);
    }
    if (*line >= std::max<std::int64_t>(*lineCount, summary->totalLines)) {
        return usage("--line " + std::to_string(*line) + ": run '" + summary->name + "' has "
                     + std::to_string(*lineCount) + " lines");
    }

    if (versus) {
        const RunId other = (*runs)[1];
        if (other == run) {
            return usage("--versus: a preference is between two different runs");
        }
        if (cl.has("undo")) {
            auto prefs = store->preferences(run, other);
            if (!prefs) {
                err << "flowbench-cli rate: " << prefs.error().message << "\n";
                return code(ExitCode::Environment);
            }
            for (auto it = prefs->rbegin(); it != prefs->rend(); ++it) {
                if (it->lineIndex == *line && it->rater == rater) {
                    if (auto removed = store->removePreference(it->id); !removed) {
                        err << "flowbench-cli rate: " << removed.error().message << "\n";
                        return code(ExitCode::Environment);
                    }
                    out << "removed " << rater << "'s preference on line " << *line << "\n";
                    return code(ExitCode::Ok);
                }
            }
            return usage("no preference of " + rater + " on line " + std::to_string(*line));
        }
        Preference p;
        p.runA = run;
        p.runB = other;
        p.lineIndex = *line;
        p.rater = rater;
        p.leftRun = run; // not shown blind: the first run counts as the left one
        p.comment = cl.value("comment");
        const std::string prefer = cl.value("prefer");
        if (prefer != "tie") {
            auto chosen = ReportCommand::resolveRuns(*store, {prefer}, false, err);
            if (!chosen) {
                return code(ExitCode::Usage);
            }
            if (chosen->front() != run && chosen->front() != other) {
                return usage("--prefer: '" + prefer + "' is neither --run nor --versus");
            }
            p.preferred = chosen->front();
        }
        if (auto added = store->addPreference(p); !added) {
            err << "flowbench-cli rate: " << added.error().message << "\n";
            return code(ExitCode::Usage);
        }
        out << "recorded " << rater << "'s preference on line " << *line << ": "
            << (prefer == "tie" ? "tie" : prefer) << "\n";
        return code(ExitCode::Ok);
    }

    if (cl.has("undo")) {
        auto ratings = store->ratings(run);
        if (!ratings) {
            err << "flowbench-cli rate: " << ratings.error().message << "\n";
            return code(ExitCode::Environment);
        }
        for (auto it = ratings->rbegin(); it != ratings->rend(); ++it) {
            if (it->lineIndex == *line && it->rater == rater) {
                if (auto removed = store->removeRating(it->id); !removed) {
                    err << "flowbench-cli rate: " << removed.error().message << "\n";
                    return code(ExitCode::Environment);
                }
                out << "removed " << rater << "'s last rating of line " << *line << "\n";
                return code(ExitCode::Ok);
            }
        }
        return usage("no rating of " + rater + " on line " + std::to_string(*line));
    }
    Rating r;
    r.runId = run;
    r.lineIndex = *line;
    r.rater = rater;
    r.comment = cl.value("comment");
    if (cl.has("pass") || cl.has("fail")) {
        r.kind = RatingKind::PassFail;
        r.score = cl.has("pass") ? 1.0 : 0.0;
    } else if (stars) {
        r.kind = RatingKind::Stars;
        r.score = double(*stars);
    } else {
        r.kind = RatingKind::Comment;
    }
    if (auto added = store->addRating(r); !added) {
        err << "flowbench-cli rate: " << added.error().message << "\n";
        return code(ExitCode::Usage);
    }
    out << "rated line " << *line << " of '" << summary->name << "' as " << rater << ": "
        << (r.kind == RatingKind::PassFail ? (*r.score == 1.0 ? "pass" : "fail")
            : r.kind == RatingKind::Stars  ? std::to_string(*stars) + " stars"
                                           : "comment")
        << "\n";
    return code(ExitCode::Ok);
}

} // namespace fb
