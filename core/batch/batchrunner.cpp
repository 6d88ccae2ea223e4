#include <core/batch/batchrunner.h>

#include <core/batch/ratelimiter.h>
#include <core/data/datasetreader.h>
#include <core/store/storetypes.h>
#include <core/store/storewriter.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace fb {

namespace {

std::int64_t epochMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

LineRecord toRecord(RunId run, std::int64_t index, const LineResult &line, std::int64_t startedAt,
                    double queueMs)
{
    LineRecord r;
    r.runId = run;
    r.lineIndex = index;
    r.status = runStatusName(line.status);
    r.inputs = line.inputs;
    r.outputs = line.outputs;
    r.error = line.error;
    r.startedAtMs = startedAt;
    r.durationMs = line.durationMs;
    r.queueMs = queueMs;
    for (const auto &n : line.nodes) {
        NodeResultRecord node;
        node.node = n.node;
        node.variantId = n.variantId;
        node.status = runStatusName(n.status);
        node.output = n.output;
        node.error = n.error;
        node.durationMs = n.durationMs();
        r.nodes.push_back(std::move(node));
        if (n.llm) {
            const LlmResponse &resp = *n.llm;
            LlmCallRecord call;
            call.node = n.node;
            call.model = resp.model;
            call.promptTokens = resp.usage.promptTokens;
            call.completionTokens = resp.usage.completionTokens;
            call.cachedTokens = resp.usage.cachedPromptTokens;
            if (resp.timing.ttftMs >= 0) {
                call.ttftMs = resp.timing.ttftMs;
            }
            if (resp.timing.tpotMs >= 0) {
                call.tpotMs = resp.timing.tpotMs;
            }
            call.latencyMs = resp.timing.latencyMs;
            call.attempts = resp.attempts;
            call.httpStatus = resp.httpStatus;
            r.promptTokens += call.promptTokens;
            r.completionTokens += call.completionTokens;
            r.llmCalls.push_back(std::move(call));
        }
    }
    return r;
}

} // namespace

BatchRunner::BatchRunner(FlowExecutor &executor, StoreWriter &writer)
    : m_executor(executor)
    , m_writer(writer)
{
}

Result<BatchResult> BatchRunner::run(RunId run, const std::shared_ptr<const PreparedFlow> &flow,
                                     const std::filesystem::path &data,
                                     const ColumnMapping &mapping,
                                     const std::vector<std::int64_t> &alreadyDone,
                                     const BatchOptions &options,
                                     const std::function<void(const BatchProgress &)> &progress,
                                     const std::atomic<bool> *cancel)
{
    DatasetReaderOptions readerOptions;
    readerOptions.onBadRow = options.onBadRow;
    auto reader = DatasetReader::open(data, readerOptions);
    if (!reader) {
        return std::move(reader).error();
    }
    std::vector<std::int64_t> done = alreadyDone;
    std::sort(done.begin(), done.end());

    const auto start = std::chrono::steady_clock::now();
    const int concurrency = std::max(1, options.concurrency);
    std::mutex mutex;
    std::condition_variable cv;
    BatchResult result;                               // guarded by mutex
    std::vector<std::shared_ptr<LineHandle>> handles; // guarded by mutex (in-flight lines)
    auto lastReport = std::chrono::steady_clock::time_point{};
    std::mutex reportMutex;

    auto report = [&](bool force) {
        if (!progress) {
            return;
        }
        BatchProgress snapshot;
        {
            std::lock_guard lock(mutex);
            const auto now = std::chrono::steady_clock::now();
            if (!force && now - lastReport < options.progressInterval) {
                return;
            }
            lastReport = now;
            result.progress.elapsedS = std::chrono::duration<double>(now - start).count();
            snapshot = result.progress;
        }
        std::lock_guard lock(reportMutex);
        progress(snapshot);
    };

    // Rate limits gate line starts: one reservation per llm node of a line.
    std::unique_ptr<RateLimiter> limiter;
    int llmNodesPerLine = 0;
    for (const auto &n : flow->nodes()) {
        if (!n.node.aggregation
            && (n.node.type == NodeType::Llm || n.node.type == NodeType::CustomLlm)) {
            ++llmNodesPerLine;
        }
    }
    if (llmNodesPerLine > 0 && (options.requestsPerMinute > 0 || options.tokensPerMinute > 0)) {
        limiter = std::make_unique<RateLimiter>(
            RateLimiter::Limits{options.requestsPerMinute, options.tokensPerMinute});
    }
    std::int64_t tokensSeen = 0; // guarded by mutex
    std::int64_t callsSeen = 0;  // guarded by mutex

    Error failure;
    bool failed = false;
    for (;;) {
        if (cancel && cancel->load()) {
            break;
        }
        auto row = reader->next();
        if (!row) {
            failure = std::move(row).error();
            failed = true;
            break;
        }
        if (!row->has_value()) {
            break;
        }
        const DataRow &dataRow = **row;
        if (std::binary_search(done.begin(), done.end(), dataRow.index)) {
            std::lock_guard lock(mutex);
            ++result.progress.resumed;
            continue;
        }
        Value inputs;
        const std::string where = dataRow.file + ":" + std::to_string(dataRow.line);
        auto outcome = mapping.resolve(flow->flow(), dataRow.row, nullptr, nullptr, where, inputs);
        if (!outcome) {
            failure = std::move(outcome).error();
            failed = true;
            break;
        }
        if (*outcome == ColumnMapping::LineOutcome::Drop) {
            std::lock_guard lock(mutex);
            ++result.progress.dropped;
            continue;
        }

        const auto queued = std::chrono::steady_clock::now();
        {
            std::unique_lock lock(mutex);
            cv.wait(lock, [&] {
                return result.progress.inFlight < concurrency || (cancel && cancel->load());
            });
            if (cancel && cancel->load()) {
                break;
            }
            ++result.progress.inFlight;
            ++result.progress.submitted;
        }
        std::int64_t estimatePerCall = 0;
        if (limiter) {
            {
                std::lock_guard lock(mutex);
                estimatePerCall = callsSeen > 0 ? tokensSeen / callsSeen : 0;
            }
            auto startAt = std::chrono::steady_clock::now();
            for (int i = 0; i < llmNodesPerLine; ++i) {
                startAt = std::max(
                    startAt, limiter->reserve(estimatePerCall, std::chrono::steady_clock::now()));
            }
            // Wait on this dispatching thread, in short steps so a cancel is prompt.
            while (std::chrono::steady_clock::now() < startAt && !(cancel && cancel->load())) {
                std::this_thread::sleep_until(std::min(
                    startAt, std::chrono::steady_clock::now() + std::chrono::milliseconds(50)));
            }
        }
        const double queueMs
            = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - queued)
                  .count();
        const std::int64_t index = dataRow.index;
        const std::int64_t startedAt = epochMs();
        auto handle = m_executor.startLine(
            flow, std::move(inputs), options.line, nullptr,
            [&, index, startedAt, queueMs, estimatePerCall](LineResult line) {
                if (limiter) {
                    for (const auto &n : line.nodes) {
                        if (!n.llm) {
                            continue;
                        }
                        const std::int64_t used
                            = n.llm->usage.promptTokens + n.llm->usage.completionTokens;
                        limiter->settle(estimatePerCall, used);
                        if (n.llm->attempts > 1) {
                            limiter->rateLimited();
                        } else {
                            limiter->succeeded();
                        }
                    }
                }
                const bool stored = line.status != RunStatus::Cancelled;
                if (stored) {
                    m_writer.submit(toRecord(run, index, line, startedAt, queueMs));
                }
                {
                    std::lock_guard lock(mutex);
                    if (line.status == RunStatus::Completed) {
                        ++result.progress.completed;
                    } else if (line.status == RunStatus::Failed) {
                        ++result.progress.failed;
                    }
                    for (const auto &n : line.nodes) {
                        if (n.llm) {
                            result.progress.promptTokens += n.llm->usage.promptTokens;
                            result.progress.completionTokens += n.llm->usage.completionTokens;
                            tokensSeen += n.llm->usage.promptTokens + n.llm->usage.completionTokens;
                            ++callsSeen;
                        }
                    }
                }
                report(false);
                // Last touch of run()'s locals: run() returns once inFlight reaches 0.
                std::lock_guard lock(mutex);
                --result.progress.inFlight;
                cv.notify_all();
            });
        if (handle) {
            std::lock_guard lock(mutex);
            handles.erase(std::remove_if(handles.begin(), handles.end(),
                                         [](const std::shared_ptr<LineHandle> &h) {
                                             return h.use_count() == 1;
                                         }),
                          handles.end());
            handles.push_back(std::move(handle));
        }
    }

    // Drain: wait for lines in flight (cancelling them when asked to stop).
    const bool stopping = failed || (cancel && cancel->load());
    if (stopping) {
        std::vector<std::shared_ptr<LineHandle>> toCancel;
        {
            std::lock_guard lock(mutex);
            toCancel = handles;
        }
        for (auto &h : toCancel) {
            h->cancel();
        }
    }
    {
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return result.progress.inFlight == 0; });
        handles.clear();
    }
    for (const auto &d : reader->skipped()) {
        result.skippedRows.push_back(d.toString());
    }
    if (auto flushed = m_writer.flush(); !flushed && !failed) {
        failure = std::move(flushed).error();
        failed = true;
    }
    report(true);
    if (failed) {
        return failure;
    }
    result.cancelled = cancel && cancel->load();
    return result;
}

} // namespace fb
