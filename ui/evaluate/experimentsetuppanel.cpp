#include <ui/evaluate/experimentsetuppanel.h>

#include <core/data/datasetinfo.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace fb::ui {

namespace {

/// Built-in evaluators offered in the form, and whether they compare with a reference column.
struct BuiltinEvaluator
{
    const char *type;
    bool needsReference;
};
constexpr BuiltinEvaluator kEvaluators[] = {
    {"exact_match", true}, {"contains", true}, {"bleu", true}, {"rouge_l", true},
    {"json_valid", false},
};

/// The column most likely to hold the expected answer.
int guessReference(const QStringList &columns)
{
    for (const char *name : {"groundtruth", "ground_truth", "expected", "answer", "label",
                             "reference", "target"}) {
        const int i = columns.indexOf(QLatin1String(name));
        if (i >= 0) {
            return i;
        }
    }
    return columns.isEmpty() ? -1 : int(columns.size()) - 1;
}

} // namespace

ExperimentSetupPanel::ExperimentSetupPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_flowLabel = new QLabel(this);
    m_flowLabel->setObjectName(QStringLiteral("experimentFlow"));
    m_flowLabel->setWordWrap(true);
    m_flowLabel->setTextFormat(Qt::PlainText);
    layout->addWidget(m_flowLabel);

    auto *dataForm = new QFormLayout;
    m_datasetLabel = new QLabel(this);
    m_dataset = new QComboBox(this);
    m_dataset->setObjectName(QStringLiteral("experimentDataset"));
    m_dataset->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_dataset->setMinimumContentsLength(16);
    m_datasetLabel->setBuddy(m_dataset);
    dataForm->addRow(m_datasetLabel, m_dataset);
    m_datasetInfo = new QLabel(this);
    m_datasetInfo->setObjectName(QStringLiteral("experimentDatasetInfo"));
    m_datasetInfo->setWordWrap(true);
    dataForm->addRow(QString(), m_datasetInfo);
    layout->addLayout(dataForm);

    m_variantsBox = new QGroupBox(this);
    m_variantsBox->setObjectName(QStringLiteral("experimentVariants"));
    m_variantsLayout = new QVBoxLayout(m_variantsBox);
    m_noVariants = new QLabel(m_variantsBox);
    m_noVariants->setWordWrap(true);
    m_variantsLayout->addWidget(m_noVariants);
    layout->addWidget(m_variantsBox);

    m_evaluatorsBox = new QGroupBox(this);
    auto *evalLayout = new QVBoxLayout(m_evaluatorsBox);
    m_evaluators = new QTableWidget(0, 2, m_evaluatorsBox);
    m_evaluators->setObjectName(QStringLiteral("experimentEvaluators"));
    m_evaluators->verticalHeader()->hide();
    m_evaluators->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_evaluators->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_evaluators->setSelectionMode(QAbstractItemView::NoSelection);
    m_evaluators->setFocusPolicy(Qt::NoFocus);
    for (const auto &e : kEvaluators) {
        EvaluatorRow row;
        row.type = QString::fromLatin1(e.type);
        row.needsReference = e.needsReference;
        row.enabled = new QCheckBox(row.type, m_evaluators);
        row.enabled->setObjectName(QStringLiteral("evaluator_") + row.type);
        const int r = m_evaluators->rowCount();
        m_evaluators->insertRow(r);
        m_evaluators->setCellWidget(r, 0, row.enabled);
        if (e.needsReference) {
            row.reference = new QComboBox(m_evaluators);
            row.reference->setObjectName(QStringLiteral("evaluatorReference_") + row.type);
            m_evaluators->setCellWidget(r, 1, row.reference);
            connect(row.reference, &QComboBox::currentIndexChanged, this,
                    &ExperimentSetupPanel::changed);
        }
        connect(row.enabled, &QCheckBox::toggled, this, &ExperimentSetupPanel::changed);
        m_evaluatorRows << row;
    }
    m_evaluators->resizeRowsToContents();
    const int tableHeight = m_evaluators->horizontalHeader()->sizeHint().height()
                            + m_evaluators->rowCount() * m_evaluators->rowHeight(0)
                            + 2 * m_evaluators->frameWidth() + 4;
    m_evaluators->setFixedHeight(tableHeight);
    evalLayout->addWidget(m_evaluators);
    layout->addWidget(m_evaluatorsBox);

    m_optionsBox = new QGroupBox(this);
    m_options = new QFormLayout(m_optionsBox);
    m_target = new QComboBox(m_optionsBox);
    m_target->setObjectName(QStringLiteral("experimentTarget"));
    m_target->addItems({QString(), QString()});
    m_concurrency = new QSpinBox(m_optionsBox);
    m_concurrency->setObjectName(QStringLiteral("experimentConcurrency"));
    m_concurrency->setRange(1, fb::ExperimentRequest::kMaxConcurrency);
    m_concurrency->setValue(16);
    m_budget = new QDoubleSpinBox(m_optionsBox);
    m_budget->setObjectName(QStringLiteral("experimentBudget"));
    m_budget->setRange(0, 1e6);
    m_budget->setDecimals(2);
    m_budget->setPrefix(QStringLiteral("$"));
    m_cache = new QCheckBox(m_optionsBox);
    m_cache->setObjectName(QStringLiteral("experimentCache"));
    m_cache->setChecked(true);
    m_name = new QLineEdit(m_optionsBox);
    m_name->setObjectName(QStringLiteral("experimentName"));
    m_name->setClearButtonEnabled(true);
    for (QWidget *w : {static_cast<QWidget *>(m_target), static_cast<QWidget *>(m_concurrency),
                       static_cast<QWidget *>(m_budget), static_cast<QWidget *>(m_cache),
                       static_cast<QWidget *>(m_name)}) {
        m_options->addRow(new QLabel(m_optionsBox), w);
    }
    layout->addWidget(m_optionsBox);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("experimentSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    layout->addStretch(1);

    connect(m_dataset, &QComboBox::currentIndexChanged, this, [this] {
        loadColumns();
        Q_EMIT changed();
    });
    connect(m_target, &QComboBox::currentIndexChanged, this, &ExperimentSetupPanel::changed);
    connect(m_concurrency, &QSpinBox::valueChanged, this, &ExperimentSetupPanel::changed);
    connect(m_budget, &QDoubleSpinBox::valueChanged, this, &ExperimentSetupPanel::changed);
    connect(this, &ExperimentSetupPanel::changed, this, &ExperimentSetupPanel::updateSummary);
    retranslateUi();
}

void ExperimentSetupPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void ExperimentSetupPanel::retranslateUi()
{
    m_datasetLabel->setText(tr("&Dataset:"));
    m_variantsBox->setTitle(tr("Variants (one run per combination)"));
    m_noVariants->setText(tr("This flow has no variants: the experiment is one run."));
    m_evaluatorsBox->setTitle(tr("Evaluators"));
    m_evaluators->setHorizontalHeaderLabels({tr("Evaluator"), tr("Reference column")});
    m_optionsBox->setTitle(tr("Options"));
    m_target->setItemText(0, tr("Simulator (simulated answers)"));
    m_target->setItemText(1, tr("Workspace connections"));
    auto label = [this](QWidget *field) {
        return qobject_cast<QLabel *>(m_options->labelForField(field));
    };
    label(m_target)->setText(tr("&Target:"));
    label(m_concurrency)->setText(tr("&Concurrency:"));
    label(m_budget)->setText(tr("&Budget cap:"));
    label(m_cache)->setText(tr("Cache:"));
    label(m_name)->setText(tr("&Name:"));
    for (QWidget *field : {static_cast<QWidget *>(m_target), static_cast<QWidget *>(m_concurrency),
                           static_cast<QWidget *>(m_budget), static_cast<QWidget *>(m_name)}) {
        label(field)->setBuddy(field);
    }
    m_concurrency->setToolTip(tr("Lines in flight at once"));
    m_budget->setSpecialValueText(tr("No limit"));
    m_budget->setToolTip(tr("Stop starting lines once the cost so far reaches this"));
    m_cache->setText(tr("Reuse cached answers to identical requests"));
    m_name->setPlaceholderText(m_hasFlow ? tr("%1-YYYYMMDD-hhmmss (default)").arg(QString::fromStdString(
                                               m_flow.name.empty() ? m_flow.dir.filename().string()
                                                                   : m_flow.name))
                                         : QString());
    if (!m_hasFlow) {
        m_flowLabel->setText(tr("Open a flow to set up an experiment."));
    } else {
        m_flowLabel->setText(
            tr("Flow: %1").arg(QDir::toNativeSeparators(QString::fromStdString(m_flow.dir.string()))));
    }
    updateSummary();
}

void ExperimentSetupPanel::setFlow(const fb::Flow &flow)
{
    m_flow = flow;
    m_hasFlow = true;
    rebuildVariants();
    retranslateUi();
    Q_EMIT changed();
}

void ExperimentSetupPanel::rebuildVariants()
{
    // An edit of the same flow keeps the choices of the variants that are still there.
    std::map<std::string, bool> before;
    for (const VariantBox &v : std::as_const(m_variantBoxes)) {
        for (const QCheckBox *c : v.checks) {
            before[c->objectName().toStdString()] = c->isChecked();
        }
        delete v.box;
    }
    m_variantBoxes.clear();
    for (const fb::NodeVariants &nv : m_flow.nodeVariants) {
        VariantBox v;
        v.node = nv.nodeName;
        v.box = new QGroupBox(QString::fromStdString(nv.nodeName), m_variantsBox);
        v.box->setObjectName(QStringLiteral("variants_") + QString::fromStdString(nv.nodeName));
        auto *row = new QHBoxLayout(v.box);
        for (const fb::Variant &variant : nv.variants) {
            auto *check = new QCheckBox(QString::fromStdString(variant.id), v.box);
            check->setObjectName(QString::fromStdString(nv.nodeName + "." + variant.id));
            check->setProperty("variantId", QString::fromStdString(variant.id));
            const auto kept = before.find(nv.nodeName + "." + variant.id);
            check->setChecked(kept != before.end() ? kept->second
                                                   : variant.id == nv.defaultVariantId);
            connect(check, &QCheckBox::toggled, this, &ExperimentSetupPanel::changed);
            row->addWidget(check);
            v.checks << check;
        }
        row->addStretch(1);
        m_variantsLayout->addWidget(v.box);
        m_variantBoxes << v;
    }
    m_noVariants->setVisible(m_variantBoxes.isEmpty());
}

void ExperimentSetupPanel::setDatasets(const QStringList &files)
{
    const QString current = dataset();
    QSignalBlocker block(m_dataset);
    m_dataset->clear();
    for (const QString &file : files) {
        m_dataset->addItem(QFileInfo(file).fileName(), file);
        m_dataset->setItemData(m_dataset->count() - 1, QDir::toNativeSeparators(file),
                               Qt::ToolTipRole);
    }
    const int keep = m_dataset->findData(current);
    m_dataset->setCurrentIndex(keep >= 0 ? keep : 0);
    loadColumns();
    Q_EMIT changed();
}

QString ExperimentSetupPanel::dataset() const { return m_dataset->currentData().toString(); }

void ExperimentSetupPanel::loadColumns()
{
    m_columns.clear();
    m_rows = -1;
    m_rowsComplete = false;
    const QString file = dataset();
    QString info;
    if (!file.isEmpty()) {
        auto preview = fb::DatasetInfo::preview(file.toStdString(), 1000);
        if (preview) {
            for (const auto &c : preview->columns) {
                m_columns << QString::fromStdString(c.name);
            }
            m_rows = qint64(preview->rows.size());
            m_rowsComplete = preview->complete;
        } else {
            info = QString::fromStdString(preview.error().message);
        }
    }
    const int guess = guessReference(m_columns);
    for (const EvaluatorRow &row : std::as_const(m_evaluatorRows)) {
        if (!row.reference) {
            continue;
        }
        const QString kept = row.reference->currentText();
        QSignalBlocker block(row.reference);
        row.reference->clear();
        row.reference->addItems(m_columns);
        const int i = m_columns.indexOf(kept);
        row.reference->setCurrentIndex(i >= 0 ? i : guess);
    }
    m_datasetInfo->setText(info);
}

int ExperimentSetupPanel::runCount() const
{
    int runs = 1;
    for (const VariantBox &v : m_variantBoxes) {
        int checked = 0;
        for (const QCheckBox *c : v.checks) {
            checked += c->isChecked() ? 1 : 0;
        }
        runs *= checked;
    }
    return runs;
}

bool ExperimentSetupPanel::useSimulator() const { return m_target->currentIndex() == 0; }

void ExperimentSetupPanel::setUseSimulator(bool simulator)
{
    m_target->setCurrentIndex(simulator ? 0 : 1);
}

QString ExperimentSetupPanel::problem() const
{
    if (!m_hasFlow) {
        return tr("Open a flow first.");
    }
    if (dataset().isEmpty()) {
        return tr("Attach a dataset to the flow in Initialize first.");
    }
    for (const VariantBox &v : m_variantBoxes) {
        if (std::none_of(v.checks.begin(), v.checks.end(),
                         [](const QCheckBox *c) { return c->isChecked(); })) {
            return tr("Choose at least one variant of %1.").arg(QString::fromStdString(v.node));
        }
    }
    for (const EvaluatorRow &row : m_evaluatorRows) {
        if (row.enabled->isChecked() && row.reference && row.reference->currentIndex() < 0) {
            return tr("%1 needs a reference column, and the dataset has none.").arg(row.type);
        }
    }
    return {};
}

void ExperimentSetupPanel::updateSummary()
{
    if (!m_hasFlow || dataset().isEmpty()) {
        m_summary->clear();
        return;
    }
    const QLocale locale;
    const int runs = runCount();
    if (m_rows < 0) {
        m_summary->setText(tr("Runs: %1").arg(runs));
    } else if (m_rowsComplete) {
        m_summary->setText(tr("Runs: %1 · rows: %2 · lines: %3")
                               .arg(locale.toString(runs), locale.toString(m_rows),
                                    locale.toString(m_rows * runs)));
    } else {
        m_summary->setText(tr("Runs: %1 · rows: more than %2")
                               .arg(locale.toString(runs), locale.toString(m_rows)));
    }
}

fb::ExperimentRequest ExperimentSetupPanel::request() const
{
    fb::ExperimentRequest r;
    r.flow = m_flow.dir;
    r.data = dataset().toStdString();
    for (const VariantBox &v : m_variantBoxes) {
        for (const QCheckBox *c : v.checks) {
            if (c->isChecked()) {
                r.variants[v.node].push_back(c->property("variantId").toString().toStdString());
            }
        }
    }
    for (const EvaluatorRow &row : m_evaluatorRows) {
        if (!row.enabled->isChecked()) {
            continue;
        }
        fb::Value spec = {{"type", row.type.toStdString()}};
        if (row.reference && row.reference->currentIndex() >= 0) {
            spec["reference"] = row.reference->currentText().toStdString();
        }
        r.evaluators.push_back(std::move(spec));
    }
    r.concurrency = m_concurrency->value();
    r.budgetUsd = m_budget->value();
    r.useCache = m_cache->isChecked();
    r.name = m_name->text().trimmed().toStdString();
    return r;
}

} // namespace fb::ui
