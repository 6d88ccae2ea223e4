// ExperimentPlan, the experiment API both front ends use: a request is checked before anything
// is written, a cross product becomes one run per selection, progress reaches every line, and a
// cancelled experiment resumes to exactly N lines per run — against the real simulator process
// and a real SQLite store.

#include <core/experiment/experimentplan.h>
#include <core/store/experimentstore.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace fb;

namespace {

const std::string kFlow = FB_SOURCE_DIR "/flows/classification";
const std::string kData = FB_SOURCE_DIR "/flows/classification/data.jsonl";
constexpr std::int64_t kRows = 40; // lines of kData

} // namespace

class TestExperimentPlan : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    ExperimentRequest request(const QString &store) const
    {
        ExperimentRequest r;
        r.flow = kFlow;
        r.data = kData;
        r.store = m_dir.filePath(store).toStdString();
        r.workspace = m_dir.path().toStdString();
        r.simulator = true;
        r.concurrency = 16;
        return r;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("FLOWBENCH_SIM", FLOWBENCH_SIM_EXECUTABLE);
    }

    void refusedRequestsSayWhereAndWriteNothing_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<int>("fault");
        QTest::addColumn<QString>("message");
        QTest::newRow("concurrency 0") << "concurrency0" << int(ExperimentFault::Request)
                                       << "concurrency must be between 1 and 4096";
        QTest::newRow("budget nan") << "budgetnan" << int(ExperimentFault::Request)
                                    << "budget (USD) must be between";
        QTest::newRow("no dataset") << "nodata" << int(ExperimentFault::Request)
                                    << "no dataset given";
        QTest::newRow("missing dataset") << "missingdata" << int(ExperimentFault::Request)
                                         << "nope.jsonl";
        QTest::newRow("no such variant") << "badvariant" << int(ExperimentFault::Request)
                                         << "variant_9";
        QTest::newRow("no such flow") << "badflow" << int(ExperimentFault::Flow)
                                      << "no-such-flow";
        QTest::newRow("evaluator column") << "evalcolumn" << int(ExperimentFault::Request)
                                          << "has no column 'label'";
        QTest::newRow("nothing to resume") << "resume" << int(ExperimentFault::Request)
                                           << "no run or experiment named 'ghost'";
    }

    void refusedRequestsSayWhereAndWriteNothing()
    {
        QFETCH(QString, what);
        QFETCH(int, fault);
        QFETCH(QString, message);
        const QString store = what + QStringLiteral(".sqlite");
        ExperimentRequest r = request(store);
        if (what == QLatin1String("concurrency0")) {
            r.concurrency = 0;
        } else if (what == QLatin1String("budgetnan")) {
            r.budgetUsd = std::nan("");
        } else if (what == QLatin1String("nodata")) {
            r.data.clear();
        } else if (what == QLatin1String("missingdata")) {
            r.data = m_dir.filePath(QStringLiteral("nope.jsonl")).toStdString();
        } else if (what == QLatin1String("badvariant")) {
            r.variants["classify"] = {"variant_9"};
        } else if (what == QLatin1String("badflow")) {
            r.flow = m_dir.filePath(QStringLiteral("no-such-flow")).toStdString();
        } else if (what == QLatin1String("evalcolumn")) {
            r.evaluators.push_back({{"type", "exact_match"}, {"reference", "label"}});
        } else if (what == QLatin1String("resume")) {
            r.resume = "ghost";
        }
        ExperimentFault got = ExperimentFault::None;
        auto plan = ExperimentPlan::prepare(r, &got);
        QVERIFY(!plan);
        QCOMPARE(int(got), fault);
        QVERIFY2(QString::fromStdString(plan.error().message).contains(message),
                 plan.error().message.c_str());
        // Nothing is stored for a refused request: the store holds no run.
        if (QFile::exists(m_dir.filePath(store))) {
            auto opened = ExperimentStore::open(m_dir.filePath(store).toStdString());
            QVERIFY(opened);
            auto runs = opened->runs();
            QVERIFY(runs);
            QVERIFY(runs->empty());
        }
    }

    void crossProductRunsEveryLineOfEachVariant()
    {
        ExperimentRequest r = request(QStringLiteral("cross.sqlite"));
        r.allVariants = true;
        r.name = "cross";
        r.evaluators.push_back({{"type", "exact_match"}, {"reference", "groundtruth"}});
        auto plan = ExperimentPlan::prepare(r);
        QVERIFY2(plan, plan ? "" : plan.error().message.c_str());
        QCOMPARE(plan->rowCount(), kRows);
        QCOMPARE(plan->selections().size(), std::size_t(2));
        QCOMPARE(plan->totalLines(), 2 * kRows);
        QCOMPARE(plan->experimentName(), std::string("cross"));
        QCOMPARE(plan->runNames(),
                 (std::vector<std::string>{"cross/variant_0", "cross/variant_1"}));
        QVERIFY2(plan->runIds().empty(), "prepare() creates no run");

        QVERIFY(plan->start());
        QVERIFY(!plan->simulatorUrl().empty());
        QCOMPARE(plan->runIds().size(), std::size_t(2));
        QVERIFY(plan->missingConnections().empty());

        std::int64_t lastFinished = 0;
        int reports = 0;
        bool monotonic = true;
        auto outcome = plan->execute(
            [&](const BatchProgress &p) {
                const std::int64_t finished = p.completed + p.failed;
                monotonic = monotonic && finished >= lastFinished;
                lastFinished = finished;
                ++reports;
            },
            nullptr);
        QVERIFY2(outcome, outcome ? "" : outcome.error().message.c_str());
        QVERIFY(monotonic);
        QVERIFY(reports > 0);
        QCOMPARE(outcome->state, RunState::Completed);
        QCOMPARE(outcome->batch.progress.completed + outcome->batch.progress.failed, 2 * kRows);
        QVERIFY(outcome->simulated);
        QCOMPARE(outcome->runs.size(), std::size_t(2));
        auto store = ExperimentStore::open(r.store.string());
        QVERIFY(store);
        for (std::size_t i = 0; i < 2; ++i) {
            const auto &run = outcome->runs[i];
            QCOMPARE(run.variants.value("classify", std::string()),
                     i == 0 ? std::string("variant_0") : std::string("variant_1"));
            QCOMPARE(run.completedLines + run.failedLines, kRows);
            QCOMPARE(*store->lineCount(run.id), kRows);
            auto stored = store->run(run.id);
            QVERIFY(stored);
            QCOMPARE(stored->status, RunState::Completed);
            QCOMPARE(stored->parameters.value("evaluators", Value::array()).size(),
                     std::size_t(1));
            auto scores = store->scores(run.id);
            QVERIFY(scores);
            QCOMPARE(std::int64_t(scores->size()), run.completedLines);
        }
    }

    void cancelledExperimentResumesToExactlyEveryLine()
    {
        ExperimentRequest r = request(QStringLiteral("resume.sqlite"));
        r.allVariants = true;
        r.name = "halfway";
        r.concurrency = 4;
        auto plan = ExperimentPlan::prepare(r);
        QVERIFY(plan);
        QVERIFY(plan->start());
        std::atomic<bool> cancel{false};
        auto outcome = plan->execute(
            [&](const BatchProgress &p) {
                if (p.completed + p.failed >= 10) {
                    cancel = true;
                }
            },
            &cancel);
        QVERIFY(outcome);
        QCOMPARE(outcome->state, RunState::Cancelled);
        std::int64_t stored = 0;
        auto store = ExperimentStore::open(r.store.string());
        QVERIFY(store);
        for (const auto &run : outcome->runs) {
            QCOMPARE(store->run(run.id)->status, RunState::Cancelled);
            stored += *store->lineCount(run.id);
        }
        QVERIFY2(stored >= 10 && stored < 2 * kRows, qPrintable(QString::number(stored)));

        // Resume by the experiment's name: only the missing lines run.
        ExperimentRequest again = request(QStringLiteral("resume.sqlite"));
        again.resume = "halfway";
        again.data.clear(); // the resumed runs' own dataset
        auto resumed = ExperimentPlan::prepare(again);
        QVERIFY2(resumed, resumed ? "" : resumed.error().message.c_str());
        QVERIFY(resumed->isResume());
        QCOMPARE(resumed->runNames(),
                 (std::vector<std::string>{"halfway/variant_0", "halfway/variant_1"}));
        QVERIFY(resumed->start());
        std::int64_t completedBefore = 0;
        for (const auto &id : resumed->runIds()) {
            completedBefore += store->run(id)->completedLines;
        }
        QCOMPARE(resumed->alreadyDoneLines(), completedBefore);
        auto finished = resumed->execute({}, nullptr);
        QVERIFY2(finished, finished ? "" : finished.error().message.c_str());
        QCOMPARE(finished->state, RunState::Completed);
        QCOMPARE(finished->batch.progress.resumed, completedBefore);
        QCOMPARE(finished->batch.progress.submitted, 2 * kRows - completedBefore);
        for (const auto &run : finished->runs) {
            QCOMPARE(*store->lineCount(run.id), kRows);
            QCOMPARE(run.completedLines + run.failedLines, kRows);
        }
    }

    void planRunsOnce()
    {
        auto plan = ExperimentPlan::prepare(request(QStringLiteral("once.sqlite")));
        QVERIFY(plan);
        auto early = plan->execute({}, nullptr);
        QVERIFY(!early);
        QVERIFY(plan->start());
        QVERIFY(!plan->start());
        QVERIFY(plan->execute({}, nullptr));
        QVERIFY(!plan->execute({}, nullptr));
    }
};

QTEST_GUILESS_MAIN(TestExperimentPlan)
#include "tst_experimentplan.moc"
