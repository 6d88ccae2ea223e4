// Batch runs through the real flowbench-cli process into a real SQLite store, against the
// simulator: resume after SIGKILL at random moments never loses or duplicates a line.

#include <core/store/experimentstore.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <tests/common/simprocess.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <set>

using namespace fb;

namespace {

const QString kFlows = QStringLiteral(FB_SOURCE_DIR "/flows");

QProcessEnvironment cliEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("FLOWBENCH_SIM"), QStringLiteral(FLOWBENCH_SIM_EXECUTABLE));
    return env;
}

} // namespace

class TestBatchRun : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeDataset(int rows)
    {
        const QString path = m_dir.filePath(QStringLiteral("data.jsonl"));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) {
            return {};
        }
        for (int i = 0; i < rows; ++i) {
            f.write(QJsonDocument(QJsonObject{{QStringLiteral("text"),
                                               QStringLiteral("row %1: my parcel is late").arg(i)}})
                        .toJson(QJsonDocument::Compact)
                    + '\n');
        }
        return path;
    }

    // A blocking HTTP/1.0 GET to 127.0.0.1:port; the body, or empty on any failure.
    static QByteArray httpGetBody(int port, const char *path)
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) {
            return {};
        }
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(quint16(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QByteArray response;
        if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0) {
            const QByteArray request = QByteArray("GET ") + path
                                       + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
            if (::write(fd, request.constData(), size_t(request.size())) == request.size()) {
                char buf[4096];
                ssize_t n = 0;
                while ((n = ::read(fd, buf, sizeof buf)) > 0) {
                    response.append(buf, int(n));
                }
            }
        }
        ::close(fd);
        const int body = response.indexOf("\r\n\r\n");
        return body < 0 ? QByteArray() : response.mid(body + 4);
    }

    // Runs the CLI to completion; its JSON summary, or an empty object (with the failure
    // logged) when it did not exit with `exitCode`.
    QJsonObject cli(const QStringList &args, int exitCode = 0, QByteArray *stderrOut = nullptr)
    {
        QProcess p;
        p.setProcessEnvironment(cliEnvironment());
        p.start(QStringLiteral(FLOWBENCH_CLI_EXECUTABLE), args);
        if (!p.waitForFinished(120000)) {
            qWarning("flowbench-cli did not finish");
            return {};
        }
        const QByteArray err = p.readAllStandardError();
        if (stderrOut) {
            *stderrOut = err;
        }
        if (p.exitCode() != exitCode) {
            qWarning("flowbench-cli exited %d: %s", p.exitCode(), err.constData());
            return {};
        }
        return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    }

    // A copy of the classification flow whose simulator answers quickly.
    QString fastFlow()
    {
        const QString dir = m_dir.filePath(QStringLiteral("classification"));
        QDir().mkpath(dir);
        for (const auto &entry :
             QDir(kFlows + QStringLiteral("/classification")).entryList(QDir::Files)) {
            QFile::copy(kFlows + QStringLiteral("/classification/") + entry,
                        dir + QLatin1Char('/') + entry);
        }
        QFile::remove(dir + QStringLiteral("/simulator.json"));
        QFile config(dir + QStringLiteral("/simulator.json"));
        if (config.open(QIODevice::WriteOnly)) {
            config.write(R"({"ttft-ms": "uniform:2:8", "token-ms": "1", "tokens": 3, "seed": 3})");
        }
        return dir;
    }

private Q_SLOTS:
    void runStoresEveryLine()
    {
        const QString data = writeDataset(30);
        const QString store = m_dir.filePath(QStringLiteral("a.sqlite"));
        QProcess p;
        p.setProcessEnvironment(cliEnvironment());
        p.start(QStringLiteral(FLOWBENCH_CLI_EXECUTABLE),
                {QStringLiteral("run"), fastFlow(), QStringLiteral("--data"), data,
                 QStringLiteral("--column-mapping"), QStringLiteral("text=${data.text}"),
                 QStringLiteral("--simulator"), QStringLiteral("--store"), store,
                 QStringLiteral("--name"), QStringLiteral("first"), QStringLiteral("--json")});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QJsonObject summary = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(summary.value(QStringLiteral("completed_lines")).toInt(), 30);
        QVERIFY(summary.value(QStringLiteral("simulated")).toBool());

        auto opened = ExperimentStore::open(store.toStdString());
        QVERIFY(opened.has_value());
        auto run = opened->findRunByName("first");
        QVERIFY(run.has_value());
        QCOMPARE(run->completedLines, 30);
        QCOMPARE(QString::fromLatin1(runStateName(run->status)), QStringLiteral("Completed"));
        auto line = opened->line(run->id, 7);
        QVERIFY(line.has_value());
        QCOMPARE(QString::fromStdString(line->inputs["text"].get<std::string>()),
                 QStringLiteral("row 7: my parcel is late"));
        QCOMPARE(line->nodes.size(), std::size_t(3));
        QCOMPARE(line->llmCalls.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(line->llmCalls[0].model).contains("flowbench-sim"));
    }

    void defaultShadowingColumnIsWarned()
    {
        const QString data = writeDataset(3);
        QProcess p;
        p.setProcessEnvironment(cliEnvironment());
        p.start(QStringLiteral(FLOWBENCH_CLI_EXECUTABLE),
                {QStringLiteral("run"), fastFlow(), QStringLiteral("--data"), data,
                 QStringLiteral("--simulator"), QStringLiteral("--store"),
                 m_dir.filePath(QStringLiteral("w.sqlite"))});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(
            p.readAllStandardError().contains("warning: input 'text' is filled by its default"));
    }

    // The long-run rate equals the limit, measured where it matters: at the server. With a
    // two-second burst B, N requests arrive over (charged - B) / rate between the first and the
    // last arrival. Within 5 % of that, over ~4 s and over ~30 s, on the real CLI against a
    // simulator this test starts (so its /stats can be read afterwards).
    void rateLimitsHoldTheRate_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<double>("rpm");
        QTest::addColumn<double>("tpm");
        QTest::newRow("rpm-600") << 60 << 600.0 << 0.0;
        QTest::newRow("tpm-60000") << 30 << 0.0 << 60000.0;
        QTest::newRow("rpm-600-30s") << 320 << 600.0 << 0.0;
        QTest::newRow("tpm-60000-30s") << 145 << 0.0 << 60000.0;
    }

    void rateLimitsHoldTheRate()
    {
        QFETCH(int, rows);
        QFETCH(double, rpm);
        QFETCH(double, tpm);
        const QString data = writeDataset(rows);
        const QString flow = fastFlow();
        test::SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--config"), flow + QStringLiteral("/simulator.json")}),
                 qPrintable(sim.errorString()));
        const QString connections = m_dir.filePath(QStringLiteral("rate-connections.yaml"));
        {
            QFile f(connections);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QStringLiteral("name: open_ai_connection\ntype: open_ai\napi_key: test\n"
                                   "base_url: %1\n")
                        .arg(QString::fromStdString(sim.openAiBaseUrl()))
                        .toUtf8());
        }
        QProcess p;
        p.setProcessEnvironment(cliEnvironment());
        QStringList args{QStringLiteral("run"),
                         flow,
                         QStringLiteral("--data"),
                         data,
                         QStringLiteral("--column-mapping"),
                         QStringLiteral("text=${data.text}"),
                         QStringLiteral("--connections"),
                         connections,
                         QStringLiteral("--concurrency"),
                         QStringLiteral("16"),
                         QStringLiteral("--json"),
                         QStringLiteral("--store"),
                         m_dir.filePath(QStringLiteral("rate.sqlite"))};
        if (rpm > 0) {
            args << QStringLiteral("--rpm") << QString::number(rpm);
        }
        if (tpm > 0) {
            args << QStringLiteral("--tpm") << QString::number(tpm);
        }
        p.start(QStringLiteral(FLOWBENCH_CLI_EXECUTABLE), args);
        QVERIFY(p.waitForFinished(180000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QJsonObject summary = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(summary.value(QStringLiteral("completed_lines")).toInt(), rows);

        const QJsonObject stats = QJsonDocument::fromJson(httpGetBody(sim.port(), "/stats")).object();
        QCOMPARE(stats.value(QStringLiteral("requests")).toInt(), rows);
        const double span = (stats.value(QStringLiteral("last_request_ms")).toDouble()
                             - stats.value(QStringLiteral("first_request_ms")).toDouble())
                            / 1000.0;
        double expected = 0;
        if (rpm > 0) {
            expected = (rows - rpm / 60.0 * 2.0) / (rpm / 60.0);
        } else {
            // A request is charged its tokens before it is sent and waits until the bucket is
            // out of debt, so the last one waits for its own charge too (as with requests).
            const double tokens = summary.value(QStringLiteral("prompt_tokens")).toDouble()
                                  + summary.value(QStringLiteral("completion_tokens")).toDouble();
            expected = (tokens - tpm / 60.0 * 2.0) / (tpm / 60.0);
        }
        qInfo("first-to-last request %.3f s, expected %.3f s (wall %.3f s)", span, expected,
              summary.value(QStringLiteral("wall_s")).toDouble());
        QVERIFY(expected > 2.0);
        // 5 % (the acceptance figure, for the 30 s rows); the ~4 s rows also allow a quarter
        // second of scheduling jitter on a loaded 2-core machine.
        QVERIFY2(std::abs(span - expected) <= std::max(0.05 * expected, 0.25),
                 qPrintable(QStringLiteral("span %1 s, expected %2 s").arg(span).arg(expected)));
    }

    // --all-variants runs one run per variant in one experiment; a built-in evaluator scores
    // every line against the dataset; an eval flow over one of the runs computes its accuracy
    // through aggregation; the sample's simulator answers make variant_1 the better one.
    void experimentWithEvaluatorsAndEvalRun()
    {
        const QString flows = kFlows;
        const QString store = m_dir.filePath(QStringLiteral("xp.sqlite"));
        const QJsonObject xp = cli({QStringLiteral("run"), flows + QStringLiteral("/classification"),
                                    QStringLiteral("--data"),
                                    flows + QStringLiteral("/classification/data.jsonl"),
                                    QStringLiteral("--all-variants"), QStringLiteral("--simulator"),
                                    QStringLiteral("--column-mapping"),
                                    QStringLiteral("text=${data.text}"), QStringLiteral("--evaluator"),
                                    QStringLiteral("exact_match:reference=groundtruth,output=category"),
                                    QStringLiteral("--name"), QStringLiteral("xp"),
                                    QStringLiteral("--store"), store, QStringLiteral("--json")});
        QCOMPARE(xp.value(QStringLiteral("experiment")).toString(), QStringLiteral("xp"));
        const QJsonArray runs = xp.value(QStringLiteral("runs")).toArray();
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs[0].toObject().value(QStringLiteral("run")).toString(),
                 QStringLiteral("xp/variant_0"));
        QCOMPARE(xp.value(QStringLiteral("llm_calls")).toInt(), 80);

        auto opened = ExperimentStore::open(store.toStdString());
        QVERIFY(opened.has_value());
        auto experiment = opened->findExperiment("xp");
        QVERIFY(experiment.has_value());
        auto members = opened->experimentRuns(*experiment);
        QVERIFY(members.has_value());
        QCOMPARE(members->size(), std::size_t(2));
        std::vector<double> passRate;
        for (const auto &run : *members) {
            auto scores = opened->scores(run.id);
            QVERIFY(scores.has_value());
            QCOMPARE(scores->size(), std::size_t(40));
            int passed = 0;
            for (const auto &score : *scores) {
                QCOMPARE(score.evaluator, std::string("exact_match"));
                passed += score.passed.value_or(false) ? 1 : 0;
            }
            passRate.push_back(passed / 40.0);
        }
        QCOMPARE(passRate, (std::vector<double>{0.7, 0.975}));

        // The eval flow over variant_1: ${run.outputs.category} against the dataset's label.
        const QJsonObject eval = cli(
            {QStringLiteral("eval"), flows + QStringLiteral("/classification_eval"),
             QStringLiteral("--run"), QStringLiteral("xp/variant_1"), QStringLiteral("--simulator"),
             QStringLiteral("--column-mapping"), QStringLiteral("groundtruth=${data.groundtruth}"),
             QStringLiteral("prediction=${run.outputs.category}"), QStringLiteral("--name"),
             QStringLiteral("xp-eval"), QStringLiteral("--store"), store, QStringLiteral("--json")});
        QCOMPARE(eval.value(QStringLiteral("completed_lines")).toInt(), 40);
        auto evalRun = opened->findRunByName("xp-eval");
        QVERIFY(evalRun.has_value());
        QVERIFY(evalRun->baseRunId.has_value());
        QCOMPARE(evalRun->baseRunId->value, (*members)[1].id.value);
        auto metrics = opened->metrics(evalRun->id);
        QVERIFY(metrics.has_value());
        QCOMPARE(metrics->at("accuracy"), 0.975);
    }

    // The response cache answers a repeated identical run without calling the model; a line
    // timeout fails lines (stored, with the reason) instead of hanging.
    void cacheAndLineTimeout()
    {
        const QString data = writeDataset(12);
        const QString flow = fastFlow();
        const QString store = m_dir.filePath(QStringLiteral("cache.sqlite"));
        QStringList base{QStringLiteral("run"),     flow,
                         QStringLiteral("--data"),  data,
                         QStringLiteral("--column-mapping"), QStringLiteral("text=${data.text}"),
                         QStringLiteral("--simulator"), QStringLiteral("--store"),
                         store,                     QStringLiteral("--json")};
        const QJsonObject first = cli(base + QStringList{QStringLiteral("--cache"),
                                                         QStringLiteral("--name"),
                                                         QStringLiteral("c1")});
        QCOMPARE(first.value(QStringLiteral("cache_hits")).toInt(), 0);
        QCOMPARE(first.value(QStringLiteral("llm_calls")).toInt(), 12);
        const QJsonObject second = cli(base + QStringList{QStringLiteral("--cache"),
                                                          QStringLiteral("--name"),
                                                          QStringLiteral("c2")});
        QCOMPARE(second.value(QStringLiteral("cache_hits")).toInt(), 12);
        QCOMPARE(second.value(QStringLiteral("prompt_tokens")).toInt(), 0);
        const QJsonObject uncached = cli(base + QStringList{QStringLiteral("--no-cache"),
                                                            QStringLiteral("--name"),
                                                            QStringLiteral("c3")});
        QCOMPARE(uncached.value(QStringLiteral("cache_hits")).toInt(), 0);
        // An expired entry is a miss.
        const QJsonObject expired = cli(base + QStringList{QStringLiteral("--cache"),
                                                           QStringLiteral("--cache-ttl"),
                                                           QStringLiteral("0.001"),
                                                           QStringLiteral("--name"),
                                                           QStringLiteral("c4")});
        QCOMPARE(expired.value(QStringLiteral("cache_hits")).toInt(), 0);
        {
            auto opened = ExperimentStore::open(store.toStdString());
            QVERIFY(opened.has_value());
            auto run = opened->findRunByName("c2");
            QVERIFY(run.has_value());
            auto calls = opened->llmCalls(run->id);
            QVERIFY(calls.has_value());
            QCOMPARE(calls->size(), std::size_t(12));
            for (const auto &c : *calls) {
                QVERIFY(c.cacheHit);
            }
        }

        // 50 ms is far less than python start-up plus a model call: every line times out.
        const QJsonObject timed = cli(base + QStringList{QStringLiteral("--timeout"),
                                                         QStringLiteral("0.05"),
                                                         QStringLiteral("--name"),
                                                         QStringLiteral("t1")});
        QCOMPARE(timed.value(QStringLiteral("failed_lines")).toInt(), 12);
        auto opened = ExperimentStore::open(store.toStdString());
        QVERIFY(opened.has_value());
        auto run = opened->findRunByName("t1");
        QVERIFY(run.has_value());
        auto line = opened->line(run->id, 3);
        QVERIFY(line.has_value());
        QCOMPARE(line->status, std::string("Failed"));
        QVERIFY2(QString::fromStdString(line->error).contains(QStringLiteral("timed out after 0.05")),
                 line->error.c_str());
    }

    void resumeAfterKillNeverLosesOrDuplicates()
    {
        const int rows = 150;
        const QString data = writeDataset(rows);
        const QString flow = fastFlow();
        const QString store = m_dir.filePath(QStringLiteral("kill.sqlite"));
        QRandomGenerator random(20261121);
        int kills = 0;
        bool finished = false;
        for (int attempt = 0; attempt < 40 && !finished; ++attempt) {
            bool exists = false;
            {
                auto s = ExperimentStore::open(store.toStdString());
                QVERIFY(s.has_value());
                exists = s->findRunByName("killed").has_value();
            }
            QStringList args{QStringLiteral("run"),
                             flow,
                             QStringLiteral("--data"),
                             data,
                             QStringLiteral("--column-mapping"),
                             QStringLiteral("text=${data.text}"),
                             QStringLiteral("--simulator"),
                             QStringLiteral("--store"),
                             store,
                             QStringLiteral("--concurrency"),
                             QStringLiteral("4")};
            args << (exists ? QStringLiteral("--resume") : QStringLiteral("--name"))
                 << QStringLiteral("killed");
            QProcess p;
            p.setProcessEnvironment(cliEnvironment());
            p.start(QStringLiteral(FLOWBENCH_CLI_EXECUTABLE), args);
            QVERIFY(p.waitForStarted());
            if (kills < 10) {
                const int delay = 150 + int(random.bounded(500));
                if (!p.waitForFinished(delay)) {
                    ::kill(pid_t(p.processId()), SIGKILL);
                    QVERIFY(p.waitForFinished(10000));
                    ++kills;
                } else {
                    finished = p.exitCode() == 0;
                }
            } else {
                QVERIFY(p.waitForFinished(60000));
                QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
                finished = true;
            }
            auto s = ExperimentStore::open(store.toStdString());
            QVERIFY(s.has_value());
            auto check = s->integrityCheck();
            QVERIFY(check.has_value());
            QCOMPARE(QString::fromStdString(*check), QStringLiteral("ok"));
        }
        QVERIFY(finished);
        QVERIFY2(kills >= 10, qPrintable(QString::number(kills)));
        auto s = ExperimentStore::open(store.toStdString());
        QVERIFY(s.has_value());
        auto run = s->findRunByName("killed");
        QVERIFY(run.has_value());
        auto indexes = s->completedLineIndexes(run->id);
        QVERIFY(indexes.has_value());
        const std::set<std::int64_t> distinct(indexes->begin(), indexes->end());
        QCOMPARE(int(indexes->size()), rows);
        QCOMPARE(int(distinct.size()), rows);
        QCOMPARE(*distinct.begin(), std::int64_t(0));
        QCOMPARE(*distinct.rbegin(), std::int64_t(rows - 1));
        auto count = s->lineCount(run->id);
        QVERIFY(count.has_value());
        QCOMPARE(int(*count), rows);
    }
};

QTEST_GUILESS_MAIN(TestBatchRun)
#include "tst_batchrun.moc"
