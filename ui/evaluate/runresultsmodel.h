#pragma once

// moc cannot read <compare> (which storeids.h includes) and needs no core type to read this.
#ifndef Q_MOC_RUN
#include <core/store/storeids.h>
#include <core/store/storetypes.h>
#endif

#include <QAbstractTableModel>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace fb {
class StoreReader;
}

namespace fb::ui {

/// The lines of one stored run as a table that stays quick at a million lines: line number,
/// status, each flow input and output (a one-line preview), each evaluator's score, latency,
/// tokens, cost and error.
///
/// Loading: open() starts a reader thread (fb::StoreReader) that reads the run's line keys —
/// line index, status, latency, tokens and cost of every line (fb::RunLineKeys, 21 bytes a
/// line; two threads, one half each) — and orders them failed lines first. Rows appear
/// (loaded()) when the line keys are in. The score keys (4 bytes a line per evaluator) are read
/// after the first page of text arrived, or at once when a score sort or filter needs them, so
/// that they do not slow the first screen (scoresLoaded()). The input, output and evaluator
/// columns are those of the run's first 256 lines; an evaluator first seen further on gets a
/// column when the score keys are in.
///
/// Text: the input, output and error cells are read by a second reader thread in pages of
/// kPageSize rows of the current order (`linesAt`: one key lookup per line, ~5 ms a page) when
/// data() first asks for a row of the page; the cell is empty until its page arrives
/// (dataChanged, pageLoaded()). The last kCachedPages pages used are kept. No query runs on the
/// GUI thread, and data() never waits.
///
/// Order: sort() computes a permutation of the keys on the first reader thread (after the score
/// keys, when it sorts by a score) and applies it when it arrives (orderChanged(); until then
/// isOrderPending()); a million lines sort in ~50 ms (a stable radix sort on 32-bit keys).
/// Equal keys keep line order; a missing number (no latency, cost or score) sorts last in
/// either direction. The default order is the status column ascending: failed lines first, then
/// cancelled, other and completed ones. Text columns sort by their full text (code point
/// order), which needs every line's text: it is read on the reader thread for runs of up to
/// textSortLimit() lines (kTextSortLimit by default) and refused above that (sortRefused(); the
/// order stays as it was).
/// Filters run on the GUI thread (one pass over the keys, a few ms for a million lines).
///
/// A snapshot: lines a running run writes after open() show after the next open().
///
/// Thread rules: GUI thread only; the reader threads' results arrive as queued calls.
class RunResultsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class ColumnKind { Line, Status, Input, Output, Score, Latency, Tokens, Cost, Error };
    Q_ENUM(ColumnKind)
    enum Role {
        LineIndexRole = Qt::UserRole, ///< qint64: the row's line index in the run
        ColumnKindRole,               ///< int(ColumnKind) of the column (any row)
    };
    Q_ENUM(Role)
    /// Which lines show. Score filters compare one evaluator's score with a threshold; lines
    /// without that score show in neither.
    enum class Filter {
        All,
        FailedLines,   ///< lines whose status is Failed
        ScorePassed,   ///< score >= threshold
        ScoreNotPassed ///< score < threshold
    };
    Q_ENUM(Filter)

    static constexpr int kPageSize = 200;
    static constexpr int kCachedPages = 16;
    static constexpr qint64 kTextSortLimit = 200000;
    static constexpr int kPreviewChars = 160;

    explicit RunResultsModel(QObject *parent = nullptr);
    ~RunResultsModel() override;

    /// Shows `run` of the store at `storePath`: starts loading and returns; loaded() or
    /// loadFailed() follows. Fails at once (false, `error` set) when there is no store there
    /// or it cannot be opened.
    bool open(const QString &storePath, fb::RunId run, QString *error = nullptr);
    /// Shows nothing and releases the run's keys, pages and reader threads.
    void close();

    [[nodiscard]] fb::RunId runId() const { return m_run; }
    [[nodiscard]] QString storePath() const { return m_path; }
    /// The line keys are in (rows show).
    [[nodiscard]] bool isLoaded() const { return m_keys != nullptr; }
    /// The score keys are in.
    [[nodiscard]] bool hasScoreKeys() const { return m_scores != nullptr; }
    /// Lines of the run (all of them, whatever the filter).
    [[nodiscard]] qint64 lineCount() const;
    /// Lines of the run with status Failed.
    [[nodiscard]] qint64 failedCount() const { return m_failed; }
    [[nodiscard]] QStringList evaluators() const { return m_evaluators; }

    [[nodiscard]] ColumnKind columnKind(int column) const;
    /// The column of an evaluator's score; -1 if there is none.
    [[nodiscard]] int scoreColumn(const QString &evaluator) const;
    /// The line index shown in `row`; -1 outside the rows.
    [[nodiscard]] qint64 lineIndexAt(int row) const;
    /// Whether the text of `row` (inputs, outputs, error) has arrived.
    [[nodiscard]] bool isRowLoaded(int row) const;

    /// The column of the order shown (whatever sort is still pending).
    [[nodiscard]] int sortColumn() const;
    [[nodiscard]] Qt::SortOrder sortOrder() const { return m_sortOrder; }
    /// A sort has been asked for and its order has not arrived yet.
    [[nodiscard]] bool isSortPending() const { return m_awaitedSort != 0; }
    /// A score filter waits for the score keys.
    [[nodiscard]] bool isFilterPending() const { return m_pendingFilter; }
    [[nodiscard]] bool isOrderPending() const { return isSortPending() || isFilterPending(); }

    /// Shows only the lines the filter lets through, in the current order. A score filter set
    /// before the score keys are in applies when they arrive.
    void setFilter(Filter filter, const QString &evaluator = {}, double threshold = 0.5);
    [[nodiscard]] Filter filter() const { return m_filter; }
    [[nodiscard]] QString filterEvaluator() const { return m_filterEvaluator; }
    [[nodiscard]] double filterThreshold() const { return m_threshold; }

    /// Runs of more lines than this refuse to sort by a text column.
    void setTextSortLimit(qint64 lines) { m_textSortLimit = lines; }
    [[nodiscard]] qint64 textSortLimit() const { return m_textSortLimit; }

    /// Reads one line with its node results, LLM calls and scores on a reader thread;
    /// lineRecordReady() or lineRecordFailed() follows.
    void requestLineRecord(qint64 lineIndex);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index,
                                int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    [[nodiscard]] static QString statusText(fb::LineStatus status);

Q_SIGNALS:
    /// The line keys are in: rows show, in the default order.
    void loaded();
    /// The score keys are in.
    void scoresLoaded();
    void loadFailed(const QString &message);
    /// The text of rows first..last arrived (dataChanged was emitted for them).
    void pageLoaded(int firstRow, int lastRow);
    /// A sort or filter took effect.
    void orderChanged();
    /// A sort was not done; `reason` says why. sortColumn()/sortOrder() are unchanged.
    void sortRefused(const QString &reason);
    void lineRecordReady(qint64 lineIndex, const fb::LineRecord &record);
    void lineRecordFailed(qint64 lineIndex, const QString &message);

protected:
    /// Header texts follow a language change (the model gets QEvent::LanguageChange when its
    /// parent is a widget).
    bool event(QEvent *event) override;

private:
    struct Column
    {
        ColumnKind kind = ColumnKind::Line;
        int sub = 0; ///< which input, output or evaluator
    };
    /// What an order is by: a column's kind and, for inputs, outputs and scores, its name
    /// (columns move when an evaluator is added; names do not).
    struct SortKey
    {
        ColumnKind kind = ColumnKind::Status;
        QString name;
    };
    /// The text of one line as a page brings it.
    struct CachedLine
    {
        bool found = false;
        QStringList inputs;  ///< full text, one per input column
        QStringList outputs; ///< one per output column
        QString error;
        std::vector<double> scores; ///< one per evaluator column, NaN when none
    };
    struct Page
    {
        std::vector<CachedLine> lines;
        quint64 lastUse = 0;
    };
    /// What the first reader thread's jobs share: the keys read by the load job, for the sort
    /// jobs after it. Used on that thread only (its jobs run one after another).
    struct ReaderKeys
    {
        std::shared_ptr<const fb::RunLineKeys> lines;
        std::shared_ptr<const fb::RunScoreKeys> scores;
    };

    void applyLineKeys(quint64 load, std::shared_ptr<const fb::RunLineKeys> keys,
                       std::shared_ptr<std::vector<std::uint32_t>> order, const QStringList &inputs,
                       const QStringList &outputs, const QStringList &evaluators);
    void requestScoreKeys();
    void applyScoreKeys(quint64 load, std::shared_ptr<const fb::RunScoreKeys> scores);
    void applyPage(quint64 generation, int page, std::shared_ptr<Page> built, const QString &error);
    void applyOrder(std::vector<std::uint32_t> order, const SortKey &key, Qt::SortOrder sortOrder);
    void rebuildColumns();
    void refilter();
    void invalidatePages();
    [[nodiscard]] const std::vector<std::uint32_t> &rows() const;
    [[nodiscard]] int columnOf(const SortKey &key) const;
    [[nodiscard]] const std::vector<float> *scoreKeysOf(int evaluator) const;
    [[nodiscard]] double scoreAt(int row, int evaluator) const;

    [[nodiscard]] const CachedLine *cachedLine(int row) const;
    void requestPage(int page) const;
    void startFetch(int page) const;
    [[nodiscard]] QVariant display(int row, const Column &column) const;
    [[nodiscard]] QVariant toolTip(int row, const Column &column) const;

    QString m_path;
    fb::RunId m_run;
    std::unique_ptr<fb::StoreReader> m_bulk;  // keys and sorts
    std::unique_ptr<fb::StoreReader> m_pages; // pages and line records: never behind a scan
    std::shared_ptr<ReaderKeys> m_readerKeys; // handed to m_bulk's jobs
    quint64 m_load = 0;                       // which open() reader results belong to
    std::shared_ptr<const fb::RunLineKeys> m_keys;
    std::shared_ptr<const fb::RunScoreKeys> m_scores;
    std::vector<int> m_scoreKeyIndex; // evaluator column -> array of m_scores, -1 if none
    qint64 m_failed = 0;

    QStringList m_inputs;
    QStringList m_outputs;
    QStringList m_evaluators;
    std::vector<Column> m_columns;

    std::vector<std::uint32_t> m_order;    // positions in the keys, in sort order
    std::vector<std::uint32_t> m_filtered; // ... of the lines a filter lets through
    SortKey m_sortKey;                     // the order shown: status ascending, failed first
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    quint64 m_sortRequest = 0; // the newest sort asked for
    quint64 m_awaitedSort = 0; // the sort whose order is awaited; 0 for none
    bool m_scoresRequested = false;
    Filter m_filter = Filter::All;
    QString m_filterEvaluator;
    double m_threshold = 0.5;
    bool m_pendingFilter = false; // a score filter waiting for the score keys
    qint64 m_textSortLimit = kTextSortLimit;

    // Pages are cached per generation: a new order, filter or run makes them all stale.
    quint64 m_generation = 0;
    // The generation as the page reader thread reads it.
    std::shared_ptr<std::atomic<quint64>> m_liveGeneration
        = std::make_shared<std::atomic<quint64>>(0);
    mutable std::unordered_map<int, Page> m_cache;
    mutable quint64 m_useClock = 0;
    mutable std::map<int, quint64> m_inFlight; // page -> generation asked for
    mutable int m_jobsOut = 0;                 // page jobs posted and not yet back
    mutable std::deque<int> m_wanted;          // pages asked for while kMaxJobsOut were out
};

} // namespace fb::ui
