#include <ui/evaluate/comparerowsmodel.h>

#include <core/report/compareset.h>
#include <core/store/experimentstore.h>
#include <core/store/storereader.h>

#include <QCoreApplication>
#include <QPointer>

#include <cmath>

namespace fb::ui {

namespace {

// One line's cell: its output text on one line, a failure marked, cut short.
QString cellText(const fb::LineRecord &line)
{
    QString text = CompareRowsModel::outputText(line);
    if (line.status != "Completed" && !line.error.empty()) {
        text.prepend(QStringLiteral("✗ "));
    }
    const bool cut = text.size() > CompareRowsModel::kPreviewChars;
    text.truncate(CompareRowsModel::kPreviewChars);
    text.replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "));
    if (cut) {
        text += QChar(0x2026);
    }
    return text;
}

} // namespace

CompareRowsModel::CompareRowsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

CompareRowsModel::~CompareRowsModel() = default;

QString CompareRowsModel::outputText(const fb::LineRecord &line, int indent)
{
    if (line.status != "Completed") {
        return QString::fromStdString(line.error.empty() ? line.status : line.error);
    }
    const fb::Value &out = line.outputs;
    const fb::Value &shown = out.is_object() && out.size() == 1 ? out.begin().value() : out;
    if (shown.is_string()) {
        return QString::fromStdString(shown.get<std::string>());
    }
    // Replace rather than throw on bad UTF-8: this runs on a reader thread.
    return QString::fromStdString(
        shown.dump(indent, ' ', false, fb::Value::error_handler_t::replace));
}

void CompareRowsModel::setSource(std::shared_ptr<fb::StoreReader> reader,
                                 std::shared_ptr<const fb::CompareSet> set)
{
    beginResetModel();
    m_reader = std::move(reader);
    m_set = std::move(set);
    m_rows = m_set ? m_set->rows(m_filter) : std::vector<std::uint32_t>{};
    ++m_generation;
    m_pages.clear();
    m_pageOrder.clear();
    m_pending.clear();
    endResetModel();
}

void CompareRowsModel::setFilter(std::uint8_t mask)
{
    if (mask == m_filter) {
        return;
    }
    beginResetModel();
    m_filter = mask;
    m_rows = m_set ? m_set->rows(m_filter) : std::vector<std::uint32_t>{};
    ++m_generation;
    m_pages.clear();
    m_pageOrder.clear();
    m_pending.clear();
    endResetModel();
}

qint64 CompareRowsModel::lineIndexAt(int row) const
{
    if (!m_set || row < 0 || std::size_t(row) >= m_rows.size()) {
        return -1;
    }
    return m_set->lineIndex(m_rows[std::size_t(row)]);
}

int CompareRowsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CompareRowsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_set ? 0 : 1 + int(m_set->runCount());
}

QVariant CompareRowsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !m_set || index.row() >= int(m_rows.size())) {
        return {};
    }
    const std::size_t row = m_rows[std::size_t(index.row())];
    if (role == RowFlagsRole) {
        return uint(m_set->flags(row));
    }
    if (role == LineIndexRole) {
        return qint64(m_set->lineIndex(row));
    }
    if (index.column() == 0) {
        if (role == Qt::DisplayRole) {
            return qint64(m_set->lineIndex(row));
        }
        if (role == Qt::TextAlignmentRole) {
            return int(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    }
    const std::size_t run = std::size_t(index.column() - 1);
    const bool present = m_set->position(row, run) != fb::CompareSet::npos;
    if (role == CellFlagsRole) {
        return uint(m_set->cellFlags(row, run));
    }
    if (role == Qt::DisplayRole) {
        if (!present) {
            return QStringLiteral("—");
        }
        const int page = index.row() / kPageRows;
        const auto it = m_pages.find(page);
        if (it == m_pages.end()) {
            requestPage(page);
            return QStringLiteral("…");
        }
        return it->second->texts[run].value(index.row() % kPageRows);
    }
    if (role == Qt::ToolTipRole && present) {
        QStringList parts;
        if (!m_set->focusEvaluator().empty()) {
            const double score = m_set->score(row, run);
            const signed char passed = m_set->passed(row, run);
            QString s = QString::fromStdString(m_set->focusEvaluator()) + QStringLiteral(": ");
            s += std::isnan(score) ? QStringLiteral("—") : QString::number(score, 'g', 4);
            if (passed >= 0) {
                s += QStringLiteral(" (%1)").arg(passed ? tr("passed") : tr("failed"));
            }
            parts << s;
        }
        const uint flags = m_set->cellFlags(row, run);
        if (flags & fb::CompareSet::Regression) {
            parts << tr("Worse than the baseline");
        } else if (flags & fb::CompareSet::Improvement) {
            parts << tr("Better than the baseline");
        } else if (flags & fb::CompareSet::Differs) {
            parts << tr("Output differs from the baseline");
        }
        return parts.join(QLatin1Char('\n'));
    }
    return {};
}

QVariant CompareRowsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || !m_set) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    if (section == 0) {
        return tr("Line");
    }
    const std::size_t run = std::size_t(section - 1);
    if (run >= m_set->runCount()) {
        return {};
    }
    const QString name = QString::fromStdString(m_set->run(run).summary.name);
    return run == 0 ? tr("%1 (baseline)").arg(name) : name;
}

void CompareRowsModel::requestPage(int page) const
{
    if (!m_reader || m_pending.count(page) != 0) {
        return;
    }
    m_pending[page] = true;
    // Per run: the line indexes of this page's rows that run has.
    const int first = page * kPageRows;
    const int last = std::min(int(m_rows.size()), first + kPageRows);
    struct Want
    {
        fb::RunId run;
        std::vector<std::int64_t> indexes; ///< of the page's rows the run has, in row order
        std::vector<int> slots;            ///< the row in the page each index fills
    };
    std::vector<Want> wants(m_set->runCount());
    for (std::size_t r = 0; r < wants.size(); ++r) {
        wants[r].run = m_set->run(r).summary.id;
        for (int k = first; k < last; ++k) {
            const std::size_t row = m_rows[std::size_t(k)];
            if (m_set->position(row, r) != fb::CompareSet::npos) {
                wants[r].indexes.push_back(m_set->lineIndex(row));
                wants[r].slots.push_back(k - first);
            }
        }
    }
    QPointer<CompareRowsModel> self(const_cast<CompareRowsModel *>(this));
    const quint64 generation = m_generation;
    const int count = last - first;
    m_reader->post([self, generation, page, count, wants = std::move(wants)](
                       fb::ExperimentStore &store, std::stop_token stop) {
        auto built = std::make_shared<Page>();
        built->texts.resize(wants.size());
        for (std::size_t r = 0; r < wants.size() && !stop.stop_requested(); ++r) {
            QStringList &texts = built->texts[r];
            for (int k = 0; k < count; ++k) {
                texts << QString();
            }
            auto lines = store.linesAt(wants[r].run, wants[r].indexes);
            if (!lines) {
                continue;
            }
            std::size_t next = 0; // linesAt keeps the order asked and leaves out missing lines
            for (std::size_t i = 0; i < wants[r].indexes.size() && next < lines->size(); ++i) {
                if ((*lines)[next].lineIndex == wants[r].indexes[i]) {
                    texts[wants[r].slots[i]] = cellText((*lines)[next++]);
                }
            }
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, generation, page, built] {
                if (self) {
                    self->applyPage(generation, page, built);
                }
            },
            Qt::QueuedConnection);
    });
}

void CompareRowsModel::applyPage(quint64 generation, int page, std::shared_ptr<Page> built)
{
    if (generation != m_generation) {
        return;
    }
    m_pending.erase(page);
    m_pages[page] = std::move(built);
    m_pageOrder.remove(page);
    m_pageOrder.push_back(page);
    while (int(m_pageOrder.size()) > kMaxPages) {
        m_pages.erase(m_pageOrder.front());
        m_pageOrder.pop_front();
    }
    const int first = page * kPageRows;
    const int last = std::min(int(m_rows.size()), first + kPageRows) - 1;
    if (last >= first) {
        Q_EMIT dataChanged(index(first, 1), index(last, columnCount() - 1), {Qt::DisplayRole});
        Q_EMIT pageLoaded(first, last);
    }
}

} // namespace fb::ui
