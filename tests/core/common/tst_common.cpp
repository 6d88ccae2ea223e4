// Result<T>, Diagnostic, Sha256, bounded file reads and atomic file writes.

#include <core/common/diagnostic.h>
#include <core/common/fileio.h>
#include <core/common/result.h>
#include <core/common/secretredactor.h>
#include <core/common/sha256.h>
#include <core/common/timerqueue.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

class TestCommon : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void secretRedactor_data()
    {
        QTest::addColumn<QStringList>("secrets");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");

        const QStringList key{QStringLiteral("sk-live-12345")};
        QTest::newRow("echoed-key") << key << "Incorrect API key provided: sk-live-12345."
                                    << "Incorrect API key provided: [redacted].";
        QTest::newRow("every-occurrence") << key << "sk-live-12345 and sk-live-12345sk-live-12345"
                                          << "[redacted] and [redacted][redacted]";
        QTest::newRow("no-secret-left-alone") << key << "HTTP 500: overloaded"
                                              << "HTTP 500: overloaded";
        QTest::newRow("longest-first")
            << QStringList{QStringLiteral("abcd"), QStringLiteral("abcdefgh")}
            << "x abcdefgh y abcd"
            << "x [redacted] y [redacted]";
        QTest::newRow("too-short-to-redact")
            << QStringList{QStringLiteral("abc"), QString()} << "abc is a word"
            << "abc is a word";
        QTest::newRow("two-connections")
            << QStringList{QStringLiteral("key-one-1"), QStringLiteral("key-two-2")}
            << "key-two-2/key-one-1"
            << "[redacted]/[redacted]";
    }

    void secretRedactor()
    {
        QFETCH(QStringList, secrets);
        QFETCH(QString, text);
        QFETCH(QString, expected);
        fb::SecretRedactor redactor;
        for (const QString &secret : secrets) {
            redactor.add(secret.toStdString());
        }
        QCOMPARE(QString::fromStdString(redactor.redacted(text.toStdString())), expected);
        QCOMPARE(redactor.contains(expected.toStdString()), false);
        // The same in a JSON value, keys included.
        fb::Value value = {{"message", text.toStdString()},
                           {"list", {text.toStdString()}},
                           {text.toStdString(), 1}};
        redactor.redact(value);
        QCOMPARE(QString::fromStdString(value["message"].get<std::string>()), expected);
        QCOMPARE(QString::fromStdString(value["list"][0].get<std::string>()), expected);
        QVERIFY(value.contains(expected.toStdString()));
    }

    void resultHoldsValueOrError()
    {
        fb::Result<int> ok = 42;
        QVERIFY(ok.has_value());
        QCOMPARE(*ok, 42);
        QCOMPARE(ok.value_or(7), 42);

        fb::Result<int> bad = fb::fail(fb::ErrorCode::Parse, "x.yaml:3:1: oops");
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, fb::ErrorCode::Parse);
        QCOMPARE(QString::fromStdString(bad.error().message), QStringLiteral("x.yaml:3:1: oops"));
        QCOMPARE(bad.value_or(7), 7);

        fb::Result<void> done;
        QVERIFY(done.has_value());
        fb::Result<void> failed = fb::fail(fb::ErrorCode::Io, "disk");
        QVERIFY(!failed);
        QCOMPARE(QString::fromLatin1(fb::errorCodeName(failed.error().code)), QStringLiteral("io"));
    }

    void diagnosticFormat_data()
    {
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<bool>("warning");
        QTest::addColumn<QString>("expected");
        QTest::newRow("line-and-column") << 14 << 7 << false << "f.yaml:14:7: msg";
        QTest::newRow("line-only") << 3 << 0 << false << "f.yaml:3: msg";
        QTest::newRow("no-position") << 0 << 0 << false << "f.yaml: msg";
        QTest::newRow("warning") << 2 << 1 << true << "f.yaml:2:1: warning: msg";
    }

    void diagnosticFormat()
    {
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(bool, warning);
        QFETCH(QString, expected);
        fb::Diagnostic d;
        d.file = "f.yaml";
        d.line = line;
        d.column = column;
        d.message = "msg";
        d.severity = warning ? fb::Diagnostic::Severity::Warning : fb::Diagnostic::Severity::Error;
        QCOMPARE(QString::fromStdString(d.toString()), expected);
        QCOMPARE(fb::hasErrors({d}), !warning);
    }

    void sha256KnownVectors_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("digest");
        // FIPS 180-4 / NIST example vectors.
        QTest::newRow("empty")
            << QByteArray() << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        QTest::newRow("abc") << QByteArray("abc")
                             << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        QTest::newRow("448-bit")
            << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
        QTest::newRow("million-a")
            << QByteArray(1000000, 'a')
            << "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    }

    void sha256KnownVectors()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, digest);
        const std::string data(input.constData(), std::size_t(input.size()));
        QCOMPARE(QString::fromStdString(fb::Sha256::hex(data)), digest);
        // Incremental updates split at odd sizes give the same digest.
        fb::Sha256 h;
        std::size_t pos = 0;
        std::size_t step = 1;
        while (pos < data.size()) {
            const std::size_t n = std::min(step, data.size() - pos);
            h.update(std::string_view(data).substr(pos, n));
            pos += n;
            step = step * 3 + 1;
        }
        QCOMPARE(QString::fromStdString(h.hexDigest()), digest);
    }

    void atomicWriteReplacesContent()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path file = dir.filePath(QStringLiteral("a.txt")).toStdString();
        QVERIFY(fb::writeFileAtomically(file, "first").has_value());
        QVERIFY(fb::writeFileAtomically(file, "second").has_value());
        auto back = fb::readFile(file);
        QVERIFY(back.has_value());
        QCOMPARE(QString::fromStdString(*back), QStringLiteral("second"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // no temporary left over
    }

    void readMissingFileNamesIt()
    {
        auto r = fb::readFile("/nonexistent/flowbench/file.yaml");
        QVERIFY(!r);
        QCOMPARE(r.error().code, fb::ErrorCode::NotFound);
        QVERIFY(
            QString::fromStdString(r.error().message).contains("/nonexistent/flowbench/file.yaml"));
    }

    void readFileRefusesWhatIsNotARegularFile_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("says");
        QTest::newRow("fifo") << "fifo"
                              << "is a FIFO (named pipe), not a regular file";
        QTest::newRow("character-device") << "/dev/zero"
                                          << "is a character device, not a regular file";
        QTest::newRow("link-to-device") << "link"
                                        << "is a character device, not a regular file";
        QTest::newRow("directory") << "dir"
                                   << "is a directory, not a regular file";
        QTest::newRow("socket") << "socket"
                                << "is a socket, not a regular file";
    }

    void readFileRefusesWhatIsNotARegularFile()
    {
        QFETCH(QString, kind);
        QFETCH(QString, says);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        std::filesystem::path path = dir.filePath(QStringLiteral("x.yaml")).toStdString();
        int listener = -1;
        if (kind == "fifo") {
            QCOMPARE(::mkfifo(path.c_str(), 0600), 0);
        } else if (kind == "link") {
            std::filesystem::create_symlink("/dev/zero", path);
        } else if (kind == "dir") {
            std::filesystem::create_directory(path);
        } else if (kind == "socket") {
            listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
            sockaddr_un address{};
            address.sun_family = AF_UNIX;
            std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
            QCOMPARE(::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
        } else {
            path = kind.toStdString();
        }
        // Refused at once: a FIFO without a writer must not block, /dev/zero must not be read.
        QElapsedTimer timer;
        timer.start();
        const auto read = fb::readFile(path);
        const auto checked = fb::checkRegularFile(path);
        const auto opened = fb::openRegularFile(path);
        if (listener >= 0) {
            ::close(listener);
        }
        QVERIFY(timer.elapsed() < 2000);
        for (const auto *error : {&read.error(), &checked.error(), &opened.error()}) {
            QCOMPARE(error->code, fb::ErrorCode::InvalidArgument);
            const QString message = QString::fromStdString(error->message);
            QVERIFY2(message.startsWith(QString::fromStdString(path.string()) + ": "),
                     qPrintable(message));
            QVERIFY2(message.contains(says), qPrintable(message));
        }
        QVERIFY(!read && !checked && !opened);
    }

    void readFileSizeLimit()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path file = dir.filePath(QStringLiteral("big.txt")).toStdString();
        QVERIFY(fb::writeFileAtomically(file, std::string(2048, 'x')).has_value());
        fb::ReadFileLimits limits;
        limits.maxBytes = 2048;
        QCOMPARE(fb::readFile(file, limits)->size(), std::size_t(2048));
        limits.maxBytes = 2047;
        const auto refused = fb::readFile(file, limits);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, fb::ErrorCode::InvalidArgument);
        QCOMPARE(QString::fromStdString(refused.error().message),
                 QString::fromStdString(file.string())
                     + ": the file is 2 KiB, larger than the limit of 2047 bytes");
        QCOMPARE(fb::checkRegularFile(file, 2048).value_or(0), std::uint64_t(2048));
        QVERIFY(!fb::checkRegularFile(file, 2047));

        // Where pipes are allowed, the limit still ends an endless device.
        limits.regularOnly = false;
        limits.maxBytes = 1 << 20;
        const auto endless = fb::readFile("/dev/zero", limits);
        QVERIFY(!endless);
        QVERIFY2(QString::fromStdString(endless.error().message)
                     .contains("larger than the limit of 1 MiB"),
                 endless.error().message.c_str());
        limits.maxBytes = fb::kNoFileSizeLimit;
        QCOMPARE(fb::readFile("/dev/null", limits).value_or("x"), std::string());
    }

    void byteSizes()
    {
        QCOMPARE(QString::fromStdString(fb::describeByteSize(1)), QStringLiteral("1 byte"));
        QCOMPARE(QString::fromStdString(fb::describeByteSize(1023)), QStringLiteral("1023 bytes"));
        QCOMPARE(QString::fromStdString(fb::describeByteSize(1024)), QStringLiteral("1 KiB"));
        QCOMPARE(QString::fromStdString(fb::describeByteSize(1536)), QStringLiteral("1536 bytes"));
        QCOMPARE(QString::fromStdString(fb::describeByteSize(35328)), QStringLiteral("34.5 KiB"));
        QCOMPARE(QString::fromStdString(fb::describeByteSize(16u << 20)), QStringLiteral("16 MiB"));
        QCOMPARE(QString::fromStdString(fb::describeByteSize(std::uint64_t(3) << 30)),
                 QStringLiteral("3 GiB"));
    }

    void timerQueueRunsInTimeOrder()
    {
        // Scheduled out of order; they must run by time, equal times in scheduling order,
        // never before their time, and a cancelled one never.
        fb::TimerQueue timers;
        const auto base = fb::TimerQueue::Clock::now() + std::chrono::milliseconds(20);
        std::mutex mutex;
        std::condition_variable cv;
        std::vector<std::pair<int, bool>> ran; // guarded by mutex: (tag, ran on time)
        auto task = [&](int tag, fb::TimerQueue::Clock::time_point when) {
            return [&, tag, when] {
                std::lock_guard lock(mutex);
                ran.emplace_back(tag, fb::TimerQueue::Clock::now() >= when);
                cv.notify_all();
            };
        };
        const auto t30 = base + std::chrono::milliseconds(30);
        const auto t10 = base + std::chrono::milliseconds(10);
        timers.schedule(t30, task(3, t30));
        timers.schedule(t10, task(1, t10));
        const auto dropped = timers.schedule(base + std::chrono::milliseconds(5), task(99, base));
        timers.schedule(t10, task(2, t10));
        timers.schedule(base - std::chrono::seconds(1), task(0, base - std::chrono::seconds(1)));
        QVERIFY(timers.cancel(dropped));
        QVERIFY(!timers.cancel(dropped));
        std::unique_lock lock(mutex);
        QVERIFY(cv.wait_for(lock, std::chrono::seconds(5), [&] { return ran.size() == 4; }));
        const std::vector<std::pair<int, bool>> expected{{0, true}, {1, true}, {2, true}, {3, true}};
        QCOMPARE(ran, expected);
    }

    void timerQueueScheduleFromCallback()
    {
        fb::TimerQueue timers;
        std::mutex mutex;
        std::condition_variable cv;
        int count = 0; // guarded by mutex
        std::function<void()> again = [&] {
            std::lock_guard lock(mutex);
            if (++count < 5) {
                timers.schedule(fb::TimerQueue::Clock::now() + std::chrono::milliseconds(1), again);
            }
            cv.notify_all();
        };
        timers.schedule(fb::TimerQueue::Clock::now(), again);
        std::unique_lock lock(mutex);
        QVERIFY(cv.wait_for(lock, std::chrono::seconds(5), [&] { return count == 5; }));
    }
};

QTEST_GUILESS_MAIN(TestCommon)
#include "tst_common.moc"
