#include <ui/evaluate/compareview.h>

#include <core/report/compareset.h>
#include <core/report/worddiff.h>
#include <core/store/experimentstore.h>
#include <core/store/storereader.h>
#include <ui/evaluate/comparerowsmodel.h>
#include <ui/evaluate/compareverdictmodel.h>
#include <ui/evaluate/verdictwording.h>

#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QGridLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPointer>
#include <QScrollArea>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <cmath>
#include <optional>

namespace fb::ui {

namespace {

// Longest text a detail shows of one output, and the word diff's work bound.
constexpr int kDetailChars = 20000;
constexpr std::size_t kDiffCells = 4'000'000;

QString fullText(const fb::LineRecord &line)
{
    return CompareRowsModel::outputText(line, 2).left(kDetailChars);
}

QString html(const QString &text)
{
    QString out = text.toHtmlEscaped();
    out.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    return out;
}

// Tints the run cells that regressed (red), improved (green) or only differ (amber) against
// the baseline, over the style's own painting.
class CompareCellDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        const uint flags = index.data(CompareRowsModel::CellFlagsRole).toUInt();
        QColor tint;
        if (flags & fb::CompareSet::Regression) {
            tint = QColor(218, 54, 51, 70);
        } else if (flags & fb::CompareSet::Improvement) {
            tint = QColor(46, 160, 67, 70);
        } else if (flags & fb::CompareSet::Differs) {
            tint = QColor(210, 153, 34, 55);
        }
        if (tint.isValid()) {
            painter->fillRect(option.rect, tint);
        }
        QStyledItemDelegate::paint(painter, option, index);
    }
};

} // namespace

CompareView::CompareView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *bar = new QGridLayout;
    m_baselineLabel = new QLabel(this);
    m_baseline = new QComboBox(this);
    m_baseline->setObjectName(QStringLiteral("compareBaseline"));
    m_baselineLabel->setBuddy(m_baseline);
    m_focusLabel = new QLabel(this);
    m_focus = new QComboBox(this);
    m_focus->setObjectName(QStringLiteral("compareFocus"));
    m_focusLabel->setBuddy(m_focus);
    m_filterLabel = new QLabel(this);
    m_filter = new QComboBox(this);
    m_filter->setObjectName(QStringLiteral("compareFilter"));
    m_filterLabel->setBuddy(m_filter);
    // Run names are long: the combos take what the bar can give, not the longest name.
    for (QComboBox *combo : {m_baseline, m_focus, m_filter}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(6);
        combo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    }
    // Two rows, so that the view fits beside the setup form in a 1,000-pixel window.
    bar->addWidget(m_baselineLabel, 0, 0);
    bar->addWidget(m_baseline, 0, 1, 1, 3);
    bar->addWidget(m_focusLabel, 1, 0);
    bar->addWidget(m_focus, 1, 1);
    bar->addWidget(m_filterLabel, 1, 2);
    bar->addWidget(m_filter, 1, 3);
    bar->setColumnStretch(1, 1);
    bar->setColumnStretch(3, 1);
    layout->addLayout(bar);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("compareSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_warnings = new QLabel(this);
    m_warnings->setObjectName(QStringLiteral("compareWarnings"));
    m_warnings->setWordWrap(true);
    m_warnings->setStyleSheet(QStringLiteral("QLabel { color: #b26b00; }"));
    m_warnings->hide();
    layout->addWidget(m_warnings);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter, 1);

    m_sentences = new QLabel;
    m_sentences->setObjectName(QStringLiteral("compareVerdicts"));
    m_sentences->setWordWrap(true);
    m_sentences->setTextFormat(Qt::RichText);
    m_sentences->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_sentences->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_sentencesScroll = new QScrollArea(m_splitter);
    m_sentencesScroll->setWidgetResizable(true);
    m_sentencesScroll->setFrameShape(QFrame::NoFrame);
    m_sentencesScroll->setWidget(m_sentences);
    m_splitter->addWidget(m_sentencesScroll);

    m_verdicts = new CompareVerdictModel(this);
    m_verdictView = new QTableView(m_splitter);
    m_verdictView->setObjectName(QStringLiteral("compareVerdictTable"));
    m_verdictView->setModel(m_verdicts);
    m_verdictView->verticalHeader()->hide();
    m_verdictView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_verdictView->horizontalHeader()->setStretchLastSection(true);
    m_verdictView->setWordWrap(false);
    m_splitter->addWidget(m_verdictView);

    m_rows = new CompareRowsModel(this);
    m_rowsView = new QTableView(m_splitter);
    m_rowsView->setObjectName(QStringLiteral("compareRows"));
    m_rowsView->setModel(m_rows);
    m_rowsView->setItemDelegate(new CompareCellDelegate(m_rowsView));
    m_rowsView->verticalHeader()->hide();
    m_rowsView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_rowsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_rowsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_rowsView->setWordWrap(false);
    m_rowsView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_rowsView->horizontalHeader()->setStretchLastSection(true);
    m_splitter->addWidget(m_rowsView);

    m_detail = new QTextBrowser(m_splitter);
    m_detail->setObjectName(QStringLiteral("compareDetail"));
    m_detail->setOpenLinks(false);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 3);
    m_splitter->setStretchFactor(3, 2);
    // The aligned rows get the room; verdicts in words take three lines, the table two rows.
    const int line = fontMetrics().lineSpacing();
    m_splitter->setSizes({3 * line + 8, 3 * line + 30, 14 * line, 8 * line});

    connect(m_baseline, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_updatingCombos || !m_set || index <= 0) {
            return;
        }
        const auto set = m_set;
        computeSet([set, index](fb::ExperimentStore &, const std::atomic<bool> &, QString *error)
                       -> std::shared_ptr<const fb::CompareSet> {
            auto rebased = set->withBaseline(std::size_t(index));
            if (!rebased) {
                *error = QString::fromStdString(rebased.error().message);
                return {};
            }
            return std::make_shared<const fb::CompareSet>(std::move(*rebased));
        });
    });
    connect(m_focus, &QComboBox::currentIndexChanged, this, [this](int) {
        if (m_updatingCombos || !m_set) {
            return;
        }
        const auto set = m_set;
        const std::string focus = m_focus->currentData().toString().toStdString();
        computeSet([set, focus](fb::ExperimentStore &, const std::atomic<bool> &, QString *)
                       -> std::shared_ptr<const fb::CompareSet> {
            auto copy = std::make_shared<fb::CompareSet>(*set);
            copy->setFocusEvaluator(focus);
            return copy;
        });
    });
    connect(m_filter, &QComboBox::currentIndexChanged, this, [this] { applyFilter(); });
    connect(m_rowsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { showRowDetail(); });
    connect(m_rows, &QAbstractItemModel::modelReset, this, [this] { showRowDetail(); });
    retranslateUi();
}

CompareView::~CompareView()
{
    if (m_stop) {
        *m_stop = true;
    }
}

void CompareView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void CompareView::retranslateUi()
{
    m_baselineLabel->setText(tr("&Baseline:"));
    m_focusLabel->setText(tr("&Judge rows on:"));
    m_filterLabel->setText(tr("&Show:"));
    m_baseline->setToolTip(tr("The run every other run is compared with"));
    m_focus->setToolTip(tr("The evaluator that decides which rows regressed or improved"));
    const int filter = std::max(0, m_filter->currentIndex());
    {
        const QSignalBlocker block(m_filter);
        m_filter->clear();
        m_filter->addItem(tr("All rows"));
        m_filter->addItem(tr("Only rows that differ"));
        m_filter->addItem(tr("Regressions"));
        m_filter->addItem(tr("Improvements"));
        m_filter->addItem(tr("Failed in any run"));
        m_filter->setCurrentIndex(filter);
    }
    if (m_focus->count() > 0) {
        m_focus->setItemText(m_focus->count() - 1, tr("Failures only"));
    }
    if (m_set) {
        showSentences();
        updateSummary();
    } else if (!m_loading) {
        m_summary->setText(tr("Select 2 to 20 runs in the list and click Compare."));
    }
    showRowDetail();
}

void CompareView::setStorePath(const QString &path)
{
    if (path == m_storePath) {
        return;
    }
    m_storePath = path;
    if (m_stop) {
        *m_stop = true;
    }
    ++m_request;
    m_loading = false;
    m_reader.reset();
    m_set.reset();
    m_rows->setSource({}, {});
    m_verdicts->setCompareSet({});
    retranslateUi();
}

bool CompareView::compare(const std::vector<fb::RunId> &runs, QString *error)
{
    auto refuse = [&](const QString &message) {
        if (error) {
            *error = message;
        }
        return false;
    };
    if (runs.size() < 2 || runs.size() > fb::CompareSet::kMaxRuns) {
        return refuse(tr("Select 2 to %1 runs to compare.").arg(fb::CompareSet::kMaxRuns));
    }
    if (m_storePath.isEmpty()) {
        return refuse(tr("No workspace store is open."));
    }
    if (!m_reader) {
        auto opened = fb::StoreReader::open(m_storePath.toStdString());
        if (!opened) {
            return refuse(QString::fromStdString(opened.error().message));
        }
        m_reader = std::shared_ptr<fb::StoreReader>(std::move(*opened));
    }
    const std::vector<fb::RunId> ids = runs;
    computeSet([ids](fb::ExperimentStore &store, const std::atomic<bool> &stop,
                     QString *failure) -> std::shared_ptr<const fb::CompareSet> {
        auto set = fb::CompareSet::load(store, ids, {}, &stop);
        if (!set) {
            *failure = QString::fromStdString(set.error().message);
            return {};
        }
        return std::make_shared<const fb::CompareSet>(std::move(*set));
    });
    return true;
}

void CompareView::computeSet(SetMaker make)
{
    if (!m_reader) {
        return;
    }
    if (m_stop) {
        *m_stop = true; // a comparison still loading is no longer wanted
    }
    m_stop = std::make_shared<std::atomic<bool>>(false);
    const quint64 request = ++m_request;
    m_loading = true;
    m_summary->setText(tr("Comparing…"));
    QPointer<CompareView> self(this);
    m_reader->post([self, request, stop = m_stop, make = std::move(make)](
                       fb::ExperimentStore &store, std::stop_token) {
        QString error;
        std::shared_ptr<const fb::CompareSet> set = make(store, *stop, &error);
        QMetaObject::invokeMethod(
            qApp,
            [self, request, set, error] {
                if (!self || request != self->m_request) {
                    return;
                }
                self->m_loading = false;
                if (!set) {
                    self->m_summary->setText(tr("Cannot compare: %1").arg(error));
                    Q_EMIT self->failed(error);
                    return;
                }
                self->showSet(set);
            },
            Qt::QueuedConnection);
    });
}

void CompareView::showSet(std::shared_ptr<const fb::CompareSet> set)
{
    m_set = std::move(set);
    {
        m_updatingCombos = true;
        m_baseline->clear();
        for (std::size_t i = 0; i < m_set->runCount(); ++i) {
            m_baseline->addItem(QString::fromStdString(m_set->run(i).summary.name));
        }
        m_baseline->setCurrentIndex(0);
        m_focus->clear();
        for (const auto &name : m_set->sharedEvaluators()) {
            m_focus->addItem(QString::fromStdString(name), QString::fromStdString(name));
        }
        m_focus->addItem(tr("Failures only"), QString());
        m_focus->setCurrentIndex(
            m_focus->findData(QString::fromStdString(m_set->focusEvaluator())));
        m_updatingCombos = false;
    }
    m_verdicts->setCompareSet(m_set);
    m_verdictView->resizeColumnsToContents();
    m_rows->setSource(m_reader, m_set);
    applyFilter();
    // Every run's column gets an even share of the width; the line index stays narrow.
    m_rowsView->resizeColumnToContents(0);
    const int runs = int(m_set->runCount());
    const int width = std::max(160, (m_rowsView->viewport()->width()
                                     - m_rowsView->columnWidth(0)) / std::max(1, runs));
    for (int c = 1; c < runs; ++c) {
        m_rowsView->setColumnWidth(c, width);
    }
    QStringList warnings;
    for (const auto &w : m_set->warnings()) {
        warnings << VerdictWording::warning(w);
    }
    m_warnings->setText(warnings.join(QLatin1Char('\n')));
    m_warnings->setVisible(!warnings.isEmpty());
    showSentences();
    updateSummary();
    Q_EMIT ready();
}

void CompareView::showSentences()
{
    if (!m_set) {
        m_sentences->clear();
        return;
    }
    // Significant results first, then the rest, each in its candidate's order.
    QStringList significant;
    QStringList rest;
    for (const auto &v : m_set->verdict().verdicts()) {
        const QString line = VerdictWording::sentence(v).toHtmlEscaped();
        if (v.direction == fb::VerdictDirection::Better) {
            significant << QStringLiteral("<b style=\"color:#2ea043\">▲</b> ") + line;
        } else if (v.direction == fb::VerdictDirection::Worse) {
            significant << QStringLiteral("<b style=\"color:#da3633\">▼</b> ") + line;
        } else {
            rest << QStringLiteral("<span>● </span>") + line;
        }
    }
    m_sentences->setText((significant + rest).join(QStringLiteral("<br>")));
}

void CompareView::updateSummary()
{
    if (!m_set) {
        return;
    }
    const auto counts = m_set->flagCounts();
    m_summary->setText(
        tr("Baseline %1 · candidates: %9 · %2 tests, Holm-corrected at α = %3 · "
           "rows: %4 · differ: %5 · regressions: %6 · improvements: %7 · failed in any: %8")
            .arg(QString::fromStdString(m_set->run(0).summary.name))
            .arg(m_set->verdict().testCount())
            .arg(QLocale().toString(m_set->verdict().alpha()))
            .arg(m_set->rowCount())
            .arg(counts[0])
            .arg(counts[1])
            .arg(counts[2])
            .arg(counts[3])
            .arg(m_set->runCount() - 1));
}

void CompareView::applyFilter()
{
    std::uint8_t mask = 0;
    switch (Filter(m_filter->currentIndex())) {
    case Filter::All:
        break;
    case Filter::Differs:
        mask = fb::CompareSet::Differs;
        break;
    case Filter::Regressions:
        mask = fb::CompareSet::Regression;
        break;
    case Filter::Improvements:
        mask = fb::CompareSet::Improvement;
        break;
    case Filter::FailedInAny:
        mask = fb::CompareSet::FailedInAny;
        break;
    }
    m_rows->setFilter(mask);
}

void CompareView::showRowDetail()
{
    const QModelIndex current = m_rowsView->selectionModel()
                                    ? m_rowsView->selectionModel()->currentIndex()
                                    : QModelIndex();
    const qint64 lineIndex = current.isValid() ? m_rows->lineIndexAt(current.row()) : -1;
    const std::size_t row = current.isValid() ? m_rows->setRowAt(current.row()) : 0;
    if (!m_set || !m_reader || lineIndex < 0) {
        m_detail->setHtml(QStringLiteral("<p>%1</p>")
                              .arg(tr("Select a row to see every run's output, with the words "
                                      "that differ from the baseline marked.")
                                       .toHtmlEscaped()));
        return;
    }
    const auto set = m_set;
    const quint64 request = ++m_detailRequest;
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    // Headings are translated here, on the GUI thread.
    const QString inputsTitle = tr("Inputs");
    const QString baselineTag = tr("baseline");
    const QString missing = tr("no line in this run");
    const QString lineTitle = tr("Line %1").arg(lineIndex);
    QPointer<CompareView> self(this);
    m_reader->post([self, request, set, lineIndex, row, dark, inputsTitle, baselineTag, missing,
                    lineTitle](fb::ExperimentStore &store, std::stop_token) {
        const QString removed = dark ? QStringLiteral("#6e2727") : QStringLiteral("#ffd7d5");
        const QString added = dark ? QStringLiteral("#1f5a2c") : QStringLiteral("#ccffd8");
        std::vector<std::optional<fb::LineRecord>> lines(set->runCount());
        for (std::size_t i = 0; i < set->runCount(); ++i) {
            auto got = store.linesAt(set->run(i).summary.id, {lineIndex});
            if (got && !got->empty()) {
                lines[i] = std::move(got->front());
            }
        }
        QString out = QStringLiteral("<h3>%1</h3>").arg(lineTitle.toHtmlEscaped());
        for (const auto &l : lines) {
            if (l && l->inputs.is_object() && !l->inputs.empty()) {
                out += QStringLiteral("<p><b>%1</b><br><span style=\"font-family:monospace\">%2"
                                      "</span></p>")
                           .arg(inputsTitle.toHtmlEscaped(),
                                html(QString::fromStdString(l->inputs.dump(
                                         -1, ' ', false, fb::Value::error_handler_t::replace))
                                         .left(kDetailChars)));
                break;
            }
        }
        const std::string base = lines[0] ? fullText(*lines[0]).toStdString() : std::string();
        for (std::size_t i = 0; i < lines.size(); ++i) {
            QString title = QString::fromStdString(set->run(i).summary.name).toHtmlEscaped();
            if (i == 0) {
                title += QStringLiteral(" (%1)").arg(baselineTag.toHtmlEscaped());
            }
            if (lines[i]) {
                title += QStringLiteral(" · ") + QString::fromStdString(lines[i]->status);
                const double score = set->score(row, i);
                if (!std::isnan(score)) {
                    title += QStringLiteral(" · %1 %2")
                                 .arg(QString::fromStdString(set->focusEvaluator()).toHtmlEscaped())
                                 .arg(score, 0, 'g', 4);
                }
            }
            out += QStringLiteral("<p><b>%1</b><br>").arg(title);
            if (!lines[i]) {
                out += QStringLiteral("<i>%1</i></p>").arg(missing.toHtmlEscaped());
                continue;
            }
            const QString text = fullText(*lines[i]);
            if (i == 0 || !lines[0]) {
                out += html(text) + QStringLiteral("</p>");
                continue;
            }
            for (const auto &seg : fb::WordDiff::diff(base, text.toStdString(), kDiffCells)) {
                const QString piece = html(QString::fromStdString(seg.text));
                switch (seg.kind) {
                case fb::DiffSegment::Kind::Same:
                    out += piece;
                    break;
                case fb::DiffSegment::Kind::Removed:
                    out += QStringLiteral("<span style=\"background-color:%1\"><s>%2</s></span>")
                               .arg(removed, piece);
                    break;
                case fb::DiffSegment::Kind::Added:
                    out += QStringLiteral("<span style=\"background-color:%1\">%2</span>")
                               .arg(added, piece);
                    break;
                }
            }
            out += QStringLiteral("</p>");
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, request, out] {
                if (self && request == self->m_detailRequest) {
                    self->m_detail->setHtml(out);
                }
            },
            Qt::QueuedConnection);
    });
}

} // namespace fb::ui
