// StoreReader: jobs run in order on one thread that is not the caller's, each with the reader's
// own connection; dropPending() and the destructor drop queued jobs, and the destructor stops
// the running one (its stop token) and returns.
#include <core/store/experimentstore.h>
#include <core/store/storereader.h>

#include <QTemporaryDir>
#include <QTest>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

using namespace fb;

class TestStoreReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runsJobsInOrderOnItsThread();
    void failsLikeOpen();
    void dropPendingDropsQueuedJobs();
    void destructorStopsRunningJob();

private:
    QTemporaryDir m_dir;
    std::string path(const char *name) const { return m_dir.filePath(name).toStdString(); }
};

void TestStoreReader::runsJobsInOrderOnItsThread()
{
    const std::string file = path("order.db");
    RunId run;
    {
        auto store = ExperimentStore::open(file);
        QVERIFY(store);
        auto flow = store->internFlow("h", "f", "p", "{}");
        QVERIFY(flow);
        RunSpec spec;
        spec.name = "r";
        spec.flowId = *flow;
        auto id = store->createRun(spec);
        QVERIFY(id);
        run = *id;
    }
    auto reader = StoreReader::open(file);
    QVERIFY2(reader, reader ? "" : reader.error().message.c_str());
    std::mutex mutex;
    std::vector<int> order;               // guarded by mutex
    std::vector<std::thread::id> threads; // guarded by mutex
    std::promise<std::string> lastName;
    for (int i = 0; i < 20; ++i) {
        (*reader)->post([&, i](ExperimentStore &, std::stop_token) {
            std::lock_guard lock(mutex);
            order.push_back(i);
            threads.push_back(std::this_thread::get_id());
        });
    }
    (*reader)->post([&](ExperimentStore &store, std::stop_token) {
        auto summary = store.run(run);
        lastName.set_value(summary ? summary->name : summary.error().message);
    });
    auto future = lastName.get_future();
    QCOMPARE(future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    QCOMPARE(future.get(), std::string("r"));
    std::lock_guard lock(mutex);
    std::vector<int> expected(20);
    for (int i = 0; i < 20; ++i) {
        expected[std::size_t(i)] = i;
    }
    QCOMPARE(order, expected);
    for (const auto &id : threads) {
        QVERIFY(id == threads.front());
    }
    QVERIFY(threads.front() != std::this_thread::get_id());
}

void TestStoreReader::failsLikeOpen()
{
    auto reader = StoreReader::open(path("missing-dir/sub/x.db"));
    QVERIFY(!reader);
    QCOMPARE(reader.error().code, ErrorCode::Io);
    QVERIFY(reader.error().message.find("missing-dir/sub/x.db") != std::string::npos);
}

// A job that holds the reader thread until the test releases it (or the reader stops).
struct Gate
{
    std::mutex mutex;
    std::condition_variable_any cv;
    bool entered = false; // guarded by mutex
    bool open = false;    // guarded by mutex

    void hold(std::stop_token stop)
    {
        std::unique_lock lock(mutex);
        entered = true;
        cv.notify_all();
        cv.wait(lock, stop, [this] { return open; });
    }
    void waitEntered()
    {
        std::unique_lock lock(mutex);
        cv.wait(lock, [this] { return entered; });
    }
    void release()
    {
        std::lock_guard lock(mutex);
        open = true;
        cv.notify_all();
    }
};

void TestStoreReader::dropPendingDropsQueuedJobs()
{
    auto reader = StoreReader::open(path("drop.db"));
    QVERIFY(reader);
    Gate gate;
    std::atomic<int> ran = 0;
    (*reader)->post([&](ExperimentStore &, std::stop_token stop) { gate.hold(stop); });
    gate.waitEntered();
    for (int i = 0; i < 5; ++i) {
        (*reader)->post([&](ExperimentStore &, std::stop_token) { ++ran; });
    }
    QCOMPARE((*reader)->dropPending(), std::size_t(5));
    std::promise<void> done;
    (*reader)->post([&](ExperimentStore &, std::stop_token) {
        ++ran;
        done.set_value();
    });
    gate.release();
    QCOMPARE(done.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
    QCOMPARE(ran.load(), 1);
}

void TestStoreReader::destructorStopsRunningJob()
{
    auto reader = StoreReader::open(path("stop.db"));
    QVERIFY(reader);
    Gate gate;
    std::atomic<bool> stopSeen = false;
    std::atomic<bool> laterRan = false;
    (*reader)->post([&](ExperimentStore &, std::stop_token stop) {
        gate.hold(stop); // returns only through the stop token: the test never releases it
        stopSeen = stop.stop_requested();
    });
    (*reader)->post([&](ExperimentStore &, std::stop_token) { laterRan = true; });
    gate.waitEntered();
    reader->reset(); // must return although the gate stays shut
    QVERIFY(stopSeen);
    QVERIFY(!laterRan);
}

QTEST_GUILESS_MAIN(TestStoreReader)
#include "tst_storereader.moc"
