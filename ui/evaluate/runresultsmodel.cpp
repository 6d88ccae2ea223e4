#include <ui/evaluate/runresultsmodel.h>

#include <ui/app/theme.h>

#include <core/store/experimentstore.h>
#include <core/store/storereader.h>

#include <QBrush>
#include <QEvent>
#include <QFileInfo>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace fb::ui {

namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
// Page jobs posted at once; pages asked for beyond that wait in a short queue (newest first),
// so a fast scroll does not leave a long queue of pages no longer on screen.
constexpr int kMaxJobsOut = 2;
constexpr std::size_t kMaxWanted = 4;
// Lines whose inputs, outputs and scores name the columns.
constexpr std::size_t kSampleLines = 256;

// The text of a cell of an input or output: strings as they are, anything else as JSON.
QString valueText(const fb::Value &object, const std::string &name)
{
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) {
        return {};
    }
    if (it->is_string()) {
        return QString::fromStdString(it->get<std::string>());
    }
    // Replace rather than throw on bad UTF-8: this runs on a reader thread.
    return QString::fromStdString(it->dump(-1, ' ', false, fb::Value::error_handler_t::replace));
}

QString preview(const QString &text)
{
    QString out = text.left(RunResultsModel::kPreviewChars);
    out.replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (text.size() > RunResultsModel::kPreviewChars) {
        out += QChar(0x2026); // …
    }
    return out;
}

QString msText(double value)
{
    if (std::isnan(value)) {
        return {};
    }
    if (value >= 10000) {
        return QStringLiteral("%1 s").arg(value / 1000.0, 0, 'f', 1);
    }
    return QStringLiteral("%1 ms").arg(value, 0, 'f', value < 10 ? 1 : 0);
}

QString costText(double usd)
{
    if (std::isnan(usd)) {
        return {};
    }
    return QStringLiteral("$%1").arg(usd, 0, 'f', usd < 0.01 ? 6 : 4);
}

QString scoreText(double score)
{
    return std::isnan(score) ? QString() : QString::number(score, 'g', 4);
}

// Ascending sort keys as unsigned integers: the order of the keys is the order of the values.
std::uint32_t floatKey(float value, bool descending)
{
    if (std::isnan(value)) {
        return std::numeric_limits<std::uint32_t>::max(); // missing: last either way
    }
    const auto bits = std::bit_cast<std::uint32_t>(value == 0.0f ? 0.0f : value);
    const std::uint32_t key = (bits >> 31) != 0 ? ~bits : bits | 0x80000000u;
    // A key is never 0 (that would be a NaN's bits), so a descending one is never "missing".
    return descending ? ~key : key;
}

std::uint32_t intKey(std::int32_t value, bool descending)
{
    const std::uint32_t key = std::uint32_t(value) ^ 0x80000000u;
    return descending ? ~key : key;
}

int statusRank(fb::LineStatus status)
{
    switch (status) {
    case fb::LineStatus::Failed:
        return 0;
    case fb::LineStatus::Cancelled:
        return 1;
    case fb::LineStatus::Other:
        return 2;
    case fb::LineStatus::Completed:
        return 3;
    }
    return 2;
}

// The positions 0..n-1 in ascending order of their keys, equal keys in position order: an LSD
// radix sort on 16-bit digits (std::stable_sort of a million takes ~100 ms, this ~20 ms). A
// digit that is the same for every key costs one counting pass and no move.
std::vector<std::uint32_t> radixOrder(std::vector<std::uint32_t> keys)
{
    const std::size_t n = keys.size();
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), std::uint32_t(0));
    std::vector<std::uint32_t> keysOut;
    std::vector<std::uint32_t> orderOut;
    std::vector<std::size_t> count(65536);
    for (int shift = 0; shift < 32; shift += 16) {
        std::fill(count.begin(), count.end(), 0);
        for (std::uint32_t k : keys) {
            ++count[(k >> shift) & 0xffff];
        }
        if (std::find(count.begin(), count.end(), n) != count.end()) {
            continue;
        }
        std::size_t sum = 0;
        for (std::size_t &c : count) {
            sum += std::exchange(c, sum);
        }
        keysOut.resize(n);
        orderOut.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t to = count[(keys[i] >> shift) & 0xffff]++;
            keysOut[to] = keys[i];
            orderOut[to] = order[i];
        }
        keys.swap(keysOut);
        order.swap(orderOut);
    }
    return order;
}

// Failed lines first (or last), then cancelled, other and completed ones, each in line order:
// a counting sort on the status rank.
std::vector<std::uint32_t> statusOrder(const fb::RunLineKeys &keys, bool descending)
{
    std::array<std::size_t, 4> start{};
    for (fb::LineStatus s : keys.status) {
        ++start[std::size_t(descending ? 3 - statusRank(s) : statusRank(s))];
    }
    std::size_t sum = 0;
    for (std::size_t &c : start) {
        sum += std::exchange(c, sum);
    }
    std::vector<std::uint32_t> order(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const int rank = statusRank(keys.status[i]);
        order[start[std::size_t(descending ? 3 - rank : rank)]++] = std::uint32_t(i);
    }
    return order;
}

// What a sort job needs to know of its column, in core's types.
struct OrderSpec
{
    RunResultsModel::ColumnKind kind = RunResultsModel::ColumnKind::Status;
    std::string name; ///< input, output or evaluator
    bool descending = false;
};

// The text of every line's cell in a text column, in key order; empty if stopped.
std::vector<std::string> columnTexts(fb::ExperimentStore &store, fb::RunId run,
                                     const fb::RunLineKeys &keys, const OrderSpec &spec,
                                     const std::stop_token &stop)
{
    std::vector<std::string> texts(keys.size());
    std::int64_t after = -1;
    while (!stop.stop_requested()) {
        auto page = store.linesAfter(run, after, 2000);
        if (!page || page->empty()) {
            break;
        }
        for (const fb::LineRecord &line : *page) {
            const auto at
                = std::lower_bound(keys.lineIndex.begin(), keys.lineIndex.end(), line.lineIndex);
            if (at == keys.lineIndex.end() || *at != line.lineIndex) {
                continue; // written after the keys were read
            }
            std::string &text = texts[std::size_t(at - keys.lineIndex.begin())];
            if (spec.kind == RunResultsModel::ColumnKind::Error) {
                text = line.error;
            } else {
                const bool input = spec.kind == RunResultsModel::ColumnKind::Input;
                text = valueText(input ? line.inputs : line.outputs, spec.name).toStdString();
            }
        }
        after = page->back().lineIndex;
    }
    return texts;
}

// The order of the keys' positions by one column (on a reader thread).
std::vector<std::uint32_t> orderBy(fb::ExperimentStore &store, fb::RunId run,
                                   const fb::RunLineKeys &keys, const fb::RunScoreKeys *scores,
                                   const OrderSpec &spec, const std::stop_token &stop)
{
    using Kind = RunResultsModel::ColumnKind;
    const std::size_t n = keys.size();
    const bool descending = spec.descending;
    switch (spec.kind) {
    case Kind::Line: {
        // The keys are in line order already.
        std::vector<std::uint32_t> order(n);
        std::iota(order.begin(), order.end(), std::uint32_t(0));
        if (descending) {
            std::reverse(order.begin(), order.end());
        }
        return order;
    }
    case Kind::Status:
        return statusOrder(keys, descending);
    case Kind::Input:
    case Kind::Output:
    case Kind::Error: {
        const std::vector<std::string> texts = columnTexts(store, run, keys, spec, stop);
        std::vector<std::uint32_t> order(n);
        std::iota(order.begin(), order.end(), std::uint32_t(0));
        std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            return descending ? texts[b] < texts[a] : texts[a] < texts[b];
        });
        return order;
    }
    case Kind::Score:
    case Kind::Latency:
    case Kind::Tokens:
    case Kind::Cost:
        break;
    }
    std::vector<std::uint32_t> sortKeys(n);
    if (spec.kind == Kind::Tokens) {
        for (std::size_t i = 0; i < n; ++i) {
            sortKeys[i] = intKey(keys.tokens[i], descending);
        }
        return radixOrder(std::move(sortKeys));
    }
    const std::vector<float> *values = spec.kind == Kind::Latency ? &keys.latencyMs
                                       : spec.kind == Kind::Cost  ? &keys.costUsd
                                                                  : nullptr;
    if (spec.kind == Kind::Score && scores) {
        const auto e = std::find(scores->evaluators.begin(), scores->evaluators.end(), spec.name);
        if (e != scores->evaluators.end()) {
            values = &scores->scores[std::size_t(e - scores->evaluators.begin())];
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        sortKeys[i] = floatKey(values ? (*values)[i] : std::nanf(""), descending);
    }
    return radixOrder(std::move(sortKeys));
}

} // namespace

RunResultsModel::RunResultsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

RunResultsModel::~RunResultsModel()
{
    // Join the reader threads first: they post to this object until they stop.
    m_pages.reset();
    m_bulk.reset();
}

bool RunResultsModel::open(const QString &storePath, fb::RunId run, QString *error)
{
    close();
    if (!QFileInfo(storePath).isFile()) {
        if (error) {
            *error = tr("There is no experiment store at %1.").arg(storePath);
        }
        return false;
    }
    auto bulk = fb::StoreReader::open(storePath.toStdString());
    auto pages = bulk ? fb::StoreReader::open(storePath.toStdString()) : std::move(bulk);
    if (!pages) {
        if (error) {
            *error = QString::fromStdString(pages.error().message);
        }
        return false;
    }
    m_path = storePath;
    m_run = run;
    m_bulk = std::move(*bulk);
    m_pages = std::move(*pages);
    m_readerKeys = std::make_shared<ReaderKeys>();
    const quint64 load = ++m_load;
    RunResultsModel *self = this;
    const auto failed = [self, load](const fb::Error &error) {
        const QString message = QString::fromStdString(error.message);
        // Queued: this runs on the reader thread, the model lives on the GUI thread.
        QMetaObject::invokeMethod(
            self,
            [self, load, message] {
                if (self->m_load == load) {
                    Q_EMIT self->loadFailed(message);
                }
            },
            Qt::QueuedConnection);
    };
    m_bulk->post([self, run, load, failed, shared = m_readerKeys](fb::ExperimentStore &store,
                                                                  std::stop_token) {
        auto keys = store.lineKeys(run, 2); // two halves at once: the rows show sooner
        if (!keys) {
            failed(keys.error());
            return;
        }
        auto order = std::make_shared<std::vector<std::uint32_t>>(statusOrder(*keys, false));
        // The columns: the inputs, outputs and evaluators of the first lines.
        const std::size_t n = std::min(kSampleLines, keys->size());
        auto sample = store.linesAt(
            run, std::vector<std::int64_t>(keys->lineIndex.begin(), keys->lineIndex.begin() + n));
        QStringList inputs;
        QStringList outputs;
        QStringList evaluators;
        for (const fb::LineRecord &line : sample ? *sample : std::vector<fb::LineRecord>()) {
            for (const auto &[object, names] :
                 {std::pair(&line.inputs, &inputs), std::pair(&line.outputs, &outputs)}) {
                for (auto it = object->begin(); object->is_object() && it != object->end(); ++it) {
                    const QString name = QString::fromStdString(it.key());
                    if (!names->contains(name)) {
                        names->append(name);
                    }
                }
            }
            for (const fb::ScoreRecord &score : line.scores) {
                const QString name = QString::fromStdString(score.evaluator);
                if (!evaluators.contains(name)) {
                    evaluators.append(name);
                }
            }
        }
        evaluators.sort();
        shared->lines = std::make_shared<const fb::RunLineKeys>(std::move(*keys));
        QMetaObject::invokeMethod(
            self,
            [self, load, lines = shared->lines, order, inputs, outputs, evaluators] {
                self->applyLineKeys(load, lines, order, inputs, outputs, evaluators);
            },
            Qt::QueuedConnection);
    });
    return true;
}

void RunResultsModel::requestScoreKeys()
{
    if (m_scoresRequested || !m_bulk) {
        return;
    }
    m_scoresRequested = true;
    RunResultsModel *self = this;
    m_bulk->post([self, load = m_load, run = m_run,
                  shared = m_readerKeys](fb::ExperimentStore &store, std::stop_token stop) {
        if (!shared->lines || stop.stop_requested()) {
            return;
        }
        auto scores = store.scoreKeys(run, shared->lines->lineIndex, 2);
        if (!scores) {
            const QString message = QString::fromStdString(scores.error().message);
            // Queued: from the reader thread to the model's (GUI) thread.
            QMetaObject::invokeMethod(
                self,
                [self, load, message] {
                    if (self->m_load == load) {
                        Q_EMIT self->loadFailed(message);
                    }
                },
                Qt::QueuedConnection);
            return;
        }
        shared->scores = std::make_shared<const fb::RunScoreKeys>(std::move(*scores));
        QMetaObject::invokeMethod(
            self, [self, load, scores = shared->scores] { self->applyScoreKeys(load, scores); },
            Qt::QueuedConnection);
    });
}

void RunResultsModel::close()
{
    m_pages.reset();
    m_bulk.reset();
    beginResetModel();
    ++m_load;
    m_path.clear();
    m_run = {};
    m_readerKeys.reset();
    m_keys.reset();
    m_scores.reset();
    m_scoreKeyIndex.clear();
    m_failed = 0;
    m_inputs.clear();
    m_outputs.clear();
    m_evaluators.clear();
    m_columns.clear();
    m_order = {};
    m_filtered = {};
    m_sortKey = {};
    m_sortOrder = Qt::AscendingOrder;
    m_awaitedSort = 0;
    m_scoresRequested = false;
    m_pendingFilter = false;
    m_filter = Filter::All;
    m_filterEvaluator.clear();
    m_jobsOut = 0; // the readers are gone, and their queued jobs with them
    invalidatePages();
    endResetModel();
}

qint64 RunResultsModel::lineCount() const { return m_keys ? qint64(m_keys->size()) : 0; }

const std::vector<std::uint32_t> &RunResultsModel::rows() const
{
    return m_filter == Filter::All ? m_order : m_filtered;
}

void RunResultsModel::applyLineKeys(quint64 load, std::shared_ptr<const fb::RunLineKeys> keys,
                                    std::shared_ptr<std::vector<std::uint32_t>> order,
                                    const QStringList &inputs, const QStringList &outputs,
                                    const QStringList &evaluators)
{
    if (load != m_load) {
        return;
    }
    beginResetModel();
    m_keys = std::move(keys);
    m_failed = std::count(m_keys->status.begin(), m_keys->status.end(), fb::LineStatus::Failed);
    m_inputs = inputs;
    m_outputs = outputs;
    m_evaluators = evaluators;
    rebuildColumns();
    m_order = std::move(*order);
    m_sortKey = {};
    m_sortOrder = Qt::AscendingOrder;
    const bool byScore = m_filter == Filter::ScorePassed || m_filter == Filter::ScoreNotPassed;
    m_pendingFilter = byScore && !m_scores;
    if (m_pendingFilter) {
        requestScoreKeys();
    }
    refilter();
    invalidatePages();
    endResetModel();
    Q_EMIT loaded();
}

void RunResultsModel::applyScoreKeys(quint64 load, std::shared_ptr<const fb::RunScoreKeys> scores)
{
    if (load != m_load) {
        return;
    }
    m_scores = std::move(scores);
    QStringList added;
    for (const std::string &e : m_scores->evaluators) {
        const QString name = QString::fromStdString(e);
        if (!m_evaluators.contains(name)) {
            added.append(name);
        }
    }
    if (!added.isEmpty()) {
        // Evaluators the first lines did not have: new score columns after the others.
        const int first = 2 + int(m_inputs.size() + m_outputs.size() + m_evaluators.size());
        beginInsertColumns({}, first, first + int(added.size()) - 1);
        m_evaluators.append(added);
        rebuildColumns();
        // Pages hold one score per evaluator column: read them again with the new ones.
        invalidatePages();
        endInsertColumns();
    } else {
        rebuildColumns();
    }
    Q_EMIT scoresLoaded();
    if (m_pendingFilter) {
        m_pendingFilter = false;
        beginResetModel();
        refilter();
        invalidatePages();
        endResetModel();
        Q_EMIT orderChanged();
    }
    if (!rows().empty()) {
        // Score cells now come from the keys rather than the pages: the same values.
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    }
}

void RunResultsModel::rebuildColumns()
{
    m_columns.clear();
    m_columns.push_back({ColumnKind::Line, 0});
    m_columns.push_back({ColumnKind::Status, 0});
    for (int i = 0; i < m_inputs.size(); ++i) {
        m_columns.push_back({ColumnKind::Input, i});
    }
    for (int i = 0; i < m_outputs.size(); ++i) {
        m_columns.push_back({ColumnKind::Output, i});
    }
    for (int i = 0; i < m_evaluators.size(); ++i) {
        m_columns.push_back({ColumnKind::Score, i});
    }
    m_columns.push_back({ColumnKind::Latency, 0});
    m_columns.push_back({ColumnKind::Tokens, 0});
    m_columns.push_back({ColumnKind::Cost, 0});
    m_columns.push_back({ColumnKind::Error, 0});
    m_scoreKeyIndex.assign(std::size_t(m_evaluators.size()), -1);
    if (m_scores) {
        for (std::size_t e = 0; e < m_scores->evaluators.size(); ++e) {
            const auto column
                = m_evaluators.indexOf(QString::fromStdString(m_scores->evaluators[e]));
            if (column >= 0) {
                m_scoreKeyIndex[std::size_t(column)] = int(e);
            }
        }
    }
}

const std::vector<float> *RunResultsModel::scoreKeysOf(int evaluator) const
{
    if (!m_scores || evaluator < 0 || evaluator >= int(m_scoreKeyIndex.size())
        || m_scoreKeyIndex[std::size_t(evaluator)] < 0) {
        return nullptr;
    }
    return &m_scores->scores[std::size_t(m_scoreKeyIndex[std::size_t(evaluator)])];
}

void RunResultsModel::refilter()
{
    m_filtered.clear();
    switch (m_filter) {
    case Filter::All:
        return; // rows() is m_order
    case Filter::FailedLines:
        for (std::uint32_t p : m_order) {
            if (m_keys->status[p] == fb::LineStatus::Failed) {
                m_filtered.push_back(p);
            }
        }
        return;
    case Filter::ScorePassed:
    case Filter::ScoreNotPassed: {
        // No rows for an unknown evaluator, or while its keys are not in (applyScoreKeys()
        // filters again).
        const std::vector<float> *scores
            = scoreKeysOf(int(m_evaluators.indexOf(m_filterEvaluator)));
        if (!scores) {
            return;
        }
        const bool passed = m_filter == Filter::ScorePassed;
        for (std::uint32_t p : m_order) {
            const float s = (*scores)[p];
            // At the keys' precision: a score stored as 0.9 passes a threshold of 0.9.
            if (!std::isnan(s) && (s >= float(m_threshold)) == passed) {
                m_filtered.push_back(p);
            }
        }
        return;
    }
    }
}

void RunResultsModel::invalidatePages()
{
    ++m_generation;
    m_liveGeneration->store(m_generation); // page jobs still queued skip their query
    m_cache.clear();
    m_inFlight.clear();
    m_wanted.clear();
}

void RunResultsModel::setFilter(Filter filter, const QString &evaluator, double threshold)
{
    const bool byScore = filter == Filter::ScorePassed || filter == Filter::ScoreNotPassed;
    m_filter = filter;
    m_filterEvaluator = byScore ? evaluator : QString();
    m_threshold = threshold;
    if (!m_keys) {
        return;
    }
    m_pendingFilter = byScore && !m_scores;
    if (m_pendingFilter) {
        requestScoreKeys();
    }
    beginResetModel();
    refilter();
    invalidatePages();
    endResetModel();
    if (!m_pendingFilter) {
        Q_EMIT orderChanged();
    }
}

int RunResultsModel::columnOf(const SortKey &key) const
{
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        const Column &column = m_columns[c];
        if (column.kind != key.kind) {
            continue;
        }
        const QString name = column.kind == ColumnKind::Input    ? m_inputs[column.sub]
                             : column.kind == ColumnKind::Output ? m_outputs[column.sub]
                             : column.kind == ColumnKind::Score  ? m_evaluators[column.sub]
                                                                 : QString();
        if (name == key.name) {
            return int(c);
        }
    }
    return -1;
}

int RunResultsModel::sortColumn() const { return columnOf(m_sortKey); }

void RunResultsModel::sort(int column, Qt::SortOrder order)
{
    if (!m_keys || !m_bulk || column < 0 || column >= columnCount()) {
        return;
    }
    const Column &c = m_columns[std::size_t(column)];
    if ((c.kind == ColumnKind::Input || c.kind == ColumnKind::Output || c.kind == ColumnKind::Error)
        && lineCount() > m_textSortLimit) {
        Q_EMIT sortRefused(
            tr("Sorting by text needs every line's text: runs of more than %L1 lines sort by "
               "line, status, scores, latency, tokens and cost.")
                .arg(m_textSortLimit));
        return;
    }
    SortKey key{c.kind, {}};
    if (c.kind == ColumnKind::Input) {
        key.name = m_inputs[c.sub];
    } else if (c.kind == ColumnKind::Output) {
        key.name = m_outputs[c.sub];
    } else if (c.kind == ColumnKind::Score) {
        key.name = m_evaluators[c.sub];
    }
    if (c.kind == ColumnKind::Score) {
        requestScoreKeys(); // before the sort job, on the same thread
    }
    OrderSpec spec{c.kind, key.name.toStdString(), order == Qt::DescendingOrder};
    const quint64 request = ++m_sortRequest;
    m_awaitedSort = request;
    RunResultsModel *self = this;
    // On the reader thread after the load job: a score sort finds the score keys read.
    m_bulk->post([self, request, key, order, spec, run = m_run,
                  shared = m_readerKeys](fb::ExperimentStore &store, std::stop_token stop) {
        if (!shared->lines || stop.stop_requested()) {
            return;
        }
        auto sorted = std::make_shared<std::vector<std::uint32_t>>(
            orderBy(store, run, *shared->lines, shared->scores.get(), spec, stop));
        // Queued: from the reader thread to the model's (GUI) thread.
        QMetaObject::invokeMethod(
            self,
            [self, request, key, order, sorted] {
                if (request == self->m_awaitedSort) {
                    self->m_awaitedSort = 0;
                    self->applyOrder(std::move(*sorted), key, order);
                }
            },
            Qt::QueuedConnection);
    });
}

void RunResultsModel::applyOrder(std::vector<std::uint32_t> order, const SortKey &key,
                                 Qt::SortOrder sortOrder)
{
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    // Persistent indexes (selection, current row) follow their lines.
    const QModelIndexList before = persistentIndexList();
    std::vector<std::uint32_t> positions;
    positions.reserve(std::size_t(before.size()));
    for (const QModelIndex &index : before) {
        positions.push_back(rows()[std::size_t(index.row())]);
    }
    m_order = std::move(order);
    m_sortKey = key;
    m_sortOrder = sortOrder;
    refilter();
    if (!before.isEmpty()) {
        std::vector<int> rowOf(m_keys->size(), -1);
        for (std::size_t r = 0; r < rows().size(); ++r) {
            rowOf[rows()[r]] = int(r);
        }
        QModelIndexList after;
        after.reserve(before.size());
        for (qsizetype i = 0; i < before.size(); ++i) {
            const int row = rowOf[positions[std::size_t(i)]];
            after.append(row < 0 ? QModelIndex() : index(row, before[i].column()));
        }
        changePersistentIndexList(before, after);
    }
    invalidatePages();
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    Q_EMIT orderChanged();
}

qint64 RunResultsModel::lineIndexAt(int row) const
{
    if (row < 0 || row >= int(rows().size())) {
        return -1;
    }
    return m_keys->lineIndex[rows()[std::size_t(row)]];
}

RunResultsModel::ColumnKind RunResultsModel::columnKind(int column) const
{
    if (column < 0 || column >= int(m_columns.size())) {
        return ColumnKind::Line;
    }
    return m_columns[std::size_t(column)].kind;
}

int RunResultsModel::scoreColumn(const QString &evaluator) const
{
    const int e = int(m_evaluators.indexOf(evaluator));
    for (std::size_t c = 0; e >= 0 && c < m_columns.size(); ++c) {
        if (m_columns[c].kind == ColumnKind::Score && m_columns[c].sub == e) {
            return int(c);
        }
    }
    return -1;
}

bool RunResultsModel::isRowLoaded(int row) const
{
    if (row < 0 || row >= int(rows().size())) {
        return false;
    }
    return m_cache.count(row / kPageSize) != 0;
}

const RunResultsModel::CachedLine *RunResultsModel::cachedLine(int row) const
{
    const int page = row / kPageSize;
    const auto it = m_cache.find(page);
    if (it == m_cache.end()) {
        requestPage(page);
        return nullptr;
    }
    it->second.lastUse = ++m_useClock;
    const std::size_t at = std::size_t(row % kPageSize);
    return at < it->second.lines.size() ? &it->second.lines[at] : nullptr;
}

void RunResultsModel::requestPage(int page) const
{
    if (!m_pages || m_inFlight.count(page) != 0) {
        return;
    }
    if (m_jobsOut < kMaxJobsOut) {
        startFetch(page);
        return;
    }
    m_wanted.erase(std::remove(m_wanted.begin(), m_wanted.end(), page), m_wanted.end());
    m_wanted.push_back(page);
    while (m_wanted.size() > kMaxWanted) {
        m_wanted.pop_front();
    }
}

void RunResultsModel::startFetch(int page) const
{
    const int first = page * kPageSize;
    const int last = std::min(first + kPageSize, int(rows().size()));
    if (first >= last) {
        return;
    }
    std::vector<std::int64_t> indexes;
    indexes.reserve(std::size_t(last - first));
    for (int r = first; r < last; ++r) {
        indexes.push_back(m_keys->lineIndex[rows()[std::size_t(r)]]);
    }
    std::vector<std::string> inputs;
    std::vector<std::string> outputs;
    std::vector<std::string> evaluators;
    for (const QString &n : m_inputs) {
        inputs.push_back(n.toStdString());
    }
    for (const QString &n : m_outputs) {
        outputs.push_back(n.toStdString());
    }
    for (const QString &n : m_evaluators) {
        evaluators.push_back(n.toStdString());
    }
    m_inFlight[page] = m_generation;
    ++m_jobsOut;
    auto *self = const_cast<RunResultsModel *>(this);
    const quint64 generation = m_generation;
    const fb::RunId run = m_run;
    m_pages->post([self, generation, live = m_liveGeneration, page, run, indexes, inputs, outputs,
                   evaluators](fb::ExperimentStore &store, std::stop_token) {
        if (live->load() != generation) {
            // The order changed since: no query, only the count of jobs out is kept right.
            QMetaObject::invokeMethod(
                self, [self, generation, page] { self->applyPage(generation, page, {}, {}); },
                Qt::QueuedConnection);
            return;
        }
        // The cells are made here, off the GUI thread: applyPage() only files them.
        auto lines = store.linesAt(run, indexes);
        auto built = std::make_shared<Page>();
        QString error;
        if (!lines) {
            error = QString::fromStdString(lines.error().message);
        }
        built->lines.resize(indexes.size());
        std::size_t next = 0; // linesAt keeps the order asked and leaves out missing lines
        for (std::size_t i = 0; lines && i < indexes.size(); ++i) {
            if (next >= lines->size() || (*lines)[next].lineIndex != indexes[i]) {
                continue;
            }
            const fb::LineRecord &line = (*lines)[next++];
            CachedLine &cell = built->lines[i];
            cell.found = true;
            for (const std::string &name : inputs) {
                cell.inputs.append(valueText(line.inputs, name));
            }
            for (const std::string &name : outputs) {
                cell.outputs.append(valueText(line.outputs, name));
            }
            cell.error = QString::fromStdString(line.error);
            cell.scores.assign(evaluators.size(), kNone);
            for (const fb::ScoreRecord &score : line.scores) {
                const auto e = std::find(evaluators.begin(), evaluators.end(), score.evaluator);
                if (e != evaluators.end() && score.score) {
                    cell.scores[std::size_t(e - evaluators.begin())] = *score.score;
                }
            }
        }
        // Queued: from the reader thread to the model's (GUI) thread.
        QMetaObject::invokeMethod(
            self,
            [self, generation, page, built, error] {
                self->applyPage(generation, page, built, error);
            },
            Qt::QueuedConnection);
    });
}

void RunResultsModel::applyPage(quint64 generation, int page, std::shared_ptr<Page> built,
                                const QString &error)
{
    m_jobsOut = std::max(0, m_jobsOut - 1);
    const auto flight = m_inFlight.find(page);
    const bool current = built && generation == m_generation && flight != m_inFlight.end()
                         && flight->second == generation;
    if (current) {
        // The first screen is in: now the score keys, which it did not wait for.
        requestScoreKeys();
        m_inFlight.erase(flight);
        built->lastUse = ++m_useClock;
        m_cache[page] = std::move(*built);
        while (m_cache.size() > std::size_t(kCachedPages)) {
            auto oldest = std::min_element(
                m_cache.begin(), m_cache.end(),
                [](const auto &a, const auto &b) { return a.second.lastUse < b.second.lastUse; });
            m_cache.erase(oldest);
        }
        const int first = page * kPageSize;
        const int last = std::min(first + kPageSize, rowCount()) - 1;
        if (first <= last) {
            Q_EMIT dataChanged(index(first, 0), index(last, columnCount() - 1));
            Q_EMIT pageLoaded(first, last);
        }
        if (!error.isEmpty()) {
            Q_EMIT loadFailed(error);
        }
    }
    // The newest pages asked for while the jobs were out: most likely still on screen.
    while (m_jobsOut < kMaxJobsOut && !m_wanted.empty()) {
        const int next = m_wanted.back();
        m_wanted.pop_back();
        if (m_cache.count(next) == 0 && m_inFlight.count(next) == 0) {
            startFetch(next);
        }
    }
}

void RunResultsModel::requestLineRecord(qint64 lineIndex)
{
    if (!m_pages) {
        return;
    }
    RunResultsModel *self = this;
    const quint64 load = m_load;
    const fb::RunId run = m_run;
    m_pages->post([self, load, run, lineIndex](fb::ExperimentStore &store, std::stop_token) {
        auto record = store.line(run, lineIndex);
        auto shared = record ? std::make_shared<fb::LineRecord>(std::move(*record)) : nullptr;
        const QString error = record ? QString() : QString::fromStdString(record.error().message);
        // Queued: from the reader thread to the model's (GUI) thread.
        QMetaObject::invokeMethod(
            self,
            [self, load, lineIndex, shared, error] {
                if (load != self->m_load) {
                    return;
                }
                if (shared) {
                    Q_EMIT self->lineRecordReady(lineIndex, *shared);
                } else {
                    Q_EMIT self->lineRecordFailed(lineIndex, error);
                }
            },
            Qt::QueuedConnection);
    });
}

int RunResultsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(rows().size());
}

int RunResultsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

double RunResultsModel::scoreAt(int row, int evaluator) const
{
    if (const std::vector<float> *scores = scoreKeysOf(evaluator)) {
        return double((*scores)[rows()[std::size_t(row)]]);
    }
    if (m_scores) {
        return kNone; // the score keys are in and have no such evaluator on this line
    }
    const CachedLine *line = cachedLine(row);
    return line && line->found && std::size_t(evaluator) < line->scores.size()
               ? line->scores[std::size_t(evaluator)]
               : kNone;
}

QString RunResultsModel::statusText(fb::LineStatus status)
{
    switch (status) {
    case fb::LineStatus::Completed:
        return tr("Completed");
    case fb::LineStatus::Failed:
        return tr("Failed");
    case fb::LineStatus::Cancelled:
        return tr("Cancelled");
    case fb::LineStatus::Other:
        return tr("Other");
    }
    return {};
}

QVariant RunResultsModel::display(int row, const Column &column) const
{
    const std::uint32_t p = rows()[std::size_t(row)];
    switch (column.kind) {
    case ColumnKind::Line:
        return QString::number(m_keys->lineIndex[p]);
    case ColumnKind::Status:
        return statusText(m_keys->status[p]);
    case ColumnKind::Latency:
        return msText(m_keys->latencyMs[p]);
    case ColumnKind::Tokens:
        return QString::number(m_keys->tokens[p]);
    case ColumnKind::Cost:
        return costText(m_keys->costUsd[p]);
    case ColumnKind::Score:
        return scoreText(scoreAt(row, column.sub));
    case ColumnKind::Input:
    case ColumnKind::Output:
    case ColumnKind::Error: {
        const CachedLine *line = cachedLine(row);
        if (!line || !line->found) {
            return QString();
        }
        const QString &text = column.kind == ColumnKind::Input    ? line->inputs[column.sub]
                              : column.kind == ColumnKind::Output ? line->outputs[column.sub]
                                                                  : line->error;
        return preview(text);
    }
    }
    return {};
}

QVariant RunResultsModel::toolTip(int row, const Column &column) const
{
    switch (column.kind) {
    case ColumnKind::Input:
    case ColumnKind::Output:
    case ColumnKind::Error: {
        const CachedLine *line = cachedLine(row);
        if (!line || !line->found) {
            return {};
        }
        return column.kind == ColumnKind::Input    ? line->inputs[column.sub]
               : column.kind == ColumnKind::Output ? line->outputs[column.sub]
                                                   : line->error;
    }
    case ColumnKind::Score: {
        const double score = scoreAt(row, column.sub);
        return std::isnan(score) ? QVariant() : QVariant(QString::number(score, 'g', 7));
    }
    case ColumnKind::Cost: {
        const double cost = m_keys->costUsd[rows()[std::size_t(row)]];
        return std::isnan(cost) ? QVariant() : QVariant(QStringLiteral("$%1").arg(cost, 0, 'g', 7));
    }
    default:
        return display(row, column);
    }
}

QVariant RunResultsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Column &column = m_columns[std::size_t(index.column())];
    switch (role) {
    case Qt::DisplayRole:
        return display(index.row(), column);
    case Qt::ToolTipRole:
        return toolTip(index.row(), column);
    case LineIndexRole:
        return lineIndexAt(index.row());
    case ColumnKindRole:
        return int(column.kind);
    case Qt::TextAlignmentRole:
        switch (column.kind) {
        case ColumnKind::Line:
        case ColumnKind::Score:
        case ColumnKind::Latency:
        case ColumnKind::Tokens:
        case ColumnKind::Cost:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    case Qt::ForegroundRole:
        if (column.kind == ColumnKind::Status) {
            switch (m_keys->status[rows()[std::size_t(index.row())]]) {
            case fb::LineStatus::Failed:
                return QBrush(Theme::error());
            case fb::LineStatus::Cancelled:
                return QBrush(Theme::warning());
            default:
                return {};
            }
        }
        return {};
    default:
        return {};
    }
}

QVariant RunResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= int(m_columns.size())) {
        return {};
    }
    const Column &column = m_columns[std::size_t(section)];
    if (role == Qt::InitialSortOrderRole) {
        // Best scores, slowest and dearest lines first; line, status and text A to Z.
        switch (column.kind) {
        case ColumnKind::Score:
        case ColumnKind::Latency:
        case ColumnKind::Tokens:
        case ColumnKind::Cost:
            return int(Qt::DescendingOrder);
        default:
            return int(Qt::AscendingOrder);
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (column.kind) {
        case ColumnKind::Input:
            return tr("Flow input “%1”").arg(m_inputs[column.sub]);
        case ColumnKind::Output:
            return tr("Flow output “%1”").arg(m_outputs[column.sub]);
        case ColumnKind::Score:
            return tr("Score of the evaluator “%1”").arg(m_evaluators[column.sub]);
        case ColumnKind::Latency:
            return tr("Time the line took, from its start to its last node's end");
        case ColumnKind::Tokens:
            return tr("Prompt and completion tokens of the line's model calls");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (column.kind) {
    case ColumnKind::Line:
        return tr("Line");
    case ColumnKind::Status:
        return tr("Status");
    case ColumnKind::Input:
        return m_inputs[column.sub];
    case ColumnKind::Output:
        return m_outputs[column.sub];
    case ColumnKind::Score:
        return m_evaluators[column.sub];
    case ColumnKind::Latency:
        return tr("Latency");
    case ColumnKind::Tokens:
        return tr("Tokens");
    case ColumnKind::Cost:
        return tr("Cost");
    case ColumnKind::Error:
        return tr("Error");
    }
    return {};
}

bool RunResultsModel::event(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange && !m_columns.empty()) {
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
        if (!rows().empty()) {
            Q_EMIT dataChanged(index(0, 1), index(rowCount() - 1, 1)); // status texts
        }
    }
    return QAbstractTableModel::event(event);
}

} // namespace fb::ui
