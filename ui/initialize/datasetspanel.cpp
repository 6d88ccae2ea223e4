#include <ui/initialize/datasetspanel.h>

#include <ui/initialize/datasetpreviewmodel.h>
#include <ui/initialize/flowmetadata.h>

#include <QCoreApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QPointer>
#include <QPushButton>
#include <QTableView>
#include <QThreadPool>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

namespace fb::ui {

DatasetsPanel::DatasetsPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new DatasetPreviewModel(this))
{
    setObjectName(QStringLiteral("datasetsPanel"));
    setAcceptDrops(true);
    m_title = new QLabel(this);
    QFont f = m_title->font();
    f.setBold(true);
    m_title->setFont(f);
    m_hint = new QLabel(this);
    m_hint->setEnabled(false);
    m_hint->setWordWrap(true);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("datasetList"));
    m_list->setMaximumHeight(90);
    m_add = new QPushButton(this);
    m_remove = new QPushButton(this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("datasetPreview"));
    m_table->setModel(m_model);
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setDefaultSectionSize(160);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->setWordWrap(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("datasetStatus"));

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    auto *top = new QHBoxLayout;
    top->addWidget(m_list, 1);
    top->addLayout(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_hint);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    connect(m_list, &QListWidget::currentRowChanged, this, &DatasetsPanel::select);
    connect(m_add, &QPushButton::clicked, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Attach Datasets"), m_flowDir, tr("Datasets (*.jsonl *.json *.csv *.tsv)"));
        attach(files);
    });
    connect(m_remove, &QPushButton::clicked, this, &DatasetsPanel::removeCurrent);
    retranslateUi();
    setFlow({});
}

void DatasetsPanel::retranslateUi()
{
    m_title->setText(tr("Datasets"));
    m_hint->setText(tr("Drop .jsonl, .json, .csv or .tsv files here to attach them to the flow."));
    m_add->setText(tr("Attach…"));
    m_remove->setText(tr("Detach"));
    if (m_statusText) {
        m_status->setText(m_statusText());
    }
}

void DatasetsPanel::showStatus(std::function<QString()> text)
{
    m_statusText = std::move(text);
    m_status->setText(m_statusText ? m_statusText() : QString());
}

void DatasetsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void DatasetsPanel::setFlow(const QString &flowDir)
{
    m_flowDir = flowDir;
    m_files = flowDir.isEmpty() ? QStringList() : FlowMetadata::datasets(flowDir);
    m_add->setEnabled(!flowDir.isEmpty());
    refreshList();
    Q_EMIT datasetsChanged(m_files);
}

void DatasetsPanel::refreshList()
{
    {
        const QSignalBlocker block(m_list);
        m_list->clear();
        for (const QString &file : m_files) {
            auto *item = new QListWidgetItem(QFileInfo(file).fileName(), m_list);
            item->setToolTip(QDir::toNativeSeparators(file));
        }
    }
    m_remove->setEnabled(!m_files.isEmpty());
    if (m_files.isEmpty()) {
        ++m_generation;
        m_model->clear();
        showStatus(nullptr);
    } else {
        m_list->setCurrentRow(0);
        select(0);
    }
}

int DatasetsPanel::attach(const QStringList &files)
{
    if (m_flowDir.isEmpty()) {
        return 0;
    }
    int added = 0;
    for (const QString &file : files) {
        const QString path = QDir::cleanPath(QFileInfo(file).absoluteFilePath());
        if (FlowMetadata::isDatasetFile(path) && QFileInfo(path).isFile()
            && !m_files.contains(path)) {
            m_files.append(path);
            ++added;
        }
    }
    if (added > 0) {
        QString error;
        if (!FlowMetadata::setDatasets(m_flowDir, m_files, &error)) {
            showStatus([error] { return error; });
        }
        refreshList();
        m_list->setCurrentRow(int(m_files.size()) - 1);
        Q_EMIT datasetsChanged(m_files);
    }
    return added;
}

void DatasetsPanel::removeCurrent()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_files.size()) {
        return;
    }
    m_files.removeAt(row);
    QString error;
    if (!FlowMetadata::setDatasets(m_flowDir, m_files, &error)) {
        showStatus([error] { return error; });
    }
    refreshList();
    Q_EMIT datasetsChanged(m_files);
}

void DatasetsPanel::select(int row)
{
    if (row < 0 || row >= m_files.size()) {
        return;
    }
    loadPreview(m_files.at(row));
}

void DatasetsPanel::loadPreview(const QString &file)
{
    const int generation = ++m_generation;
    const QString name = QFileInfo(file).fileName();
    showStatus([name] { return tr("Reading %1…").arg(name); });
    QPointer<DatasetsPanel> self(this);
    const std::string path = file.toStdString();
    // Reading and type inference run on a pool thread; the result hops back queued.
    QThreadPool::globalInstance()->start([self, path, file, generation] {
        fb::DatasetReaderOptions options;
        options.onBadRow = fb::OnBadRow::Skip;
        auto result = std::make_shared<fb::Result<fb::DatasetInfo>>(
            fb::DatasetInfo::preview(path, kPreviewRows, options));
        // The application object outlives the panel; the QPointer is read on the GUI thread only.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, result, file, generation] {
                if (!self || generation != self->m_generation) {
                    return; // superseded by a newer selection
                }
                if (!*result) {
                    self->m_model->clear();
                    const QString error = QString::fromStdString(result->error().message);
                    self->showStatus([error] { return error; });
                    Q_EMIT self->previewReady(file, error);
                    return;
                }
                const auto &info = **result;
                const int rows = int(info.rows.size());
                const auto columns = info.columns.size();
                const bool complete = info.complete;
                const int skipped = int(info.skipped.size());
                self->showStatus([rows, columns, complete, skipped] {
                    QString status
                        = complete
                              ? tr("%n row(s), %1 column(s)", nullptr, rows).arg(columns)
                              : tr("first %n row(s), %1 column(s)", nullptr, rows).arg(columns);
                    if (skipped > 0) {
                        status += QStringLiteral(" · ")
                                  + tr("%n bad row(s) skipped", nullptr, skipped);
                    }
                    return status;
                });
                self->m_model->setPreview(std::move(**result));
                self->m_table->resizeColumnsToContents();
                for (int c = 0; c < self->m_model->columnCount(); ++c) {
                    self->m_table->setColumnWidth(c, std::min(self->m_table->columnWidth(c), 420));
                }
                Q_EMIT self->previewReady(file, {});
            },
            Qt::QueuedConnection);
    });
}

void DatasetsPanel::dragEnterEvent(QDragEnterEvent *event)
{
    if (!m_flowDir.isEmpty() && event->mimeData()->hasUrls()) {
        for (const QUrl &url : event->mimeData()->urls()) {
            if (url.isLocalFile() && FlowMetadata::isDatasetFile(url.toLocalFile())) {
                event->acceptProposedAction();
                return;
            }
        }
    }
    event->ignore();
}

void DatasetsPanel::dropEvent(QDropEvent *event)
{
    QStringList files;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            files.append(url.toLocalFile());
        }
    }
    if (attach(files) > 0) {
        event->acceptProposedAction();
    }
}

} // namespace fb::ui
