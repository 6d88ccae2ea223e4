#include <ui/evaluate/runchartsview.h>

#include <ui/app/theme.h>
#include <ui/evaluate/runchartbuilder.h>

#include <core/report/chartdata.h>
#include <core/store/experimentstore.h>
#include <core/store/storereader.h>

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSvgGenerator>
#include <QVBoxLayout>

#include <utility>

namespace fb::ui {

namespace {

bool needsEvaluator(RunChartsView::Chart chart, int trendMetric)
{
    return chart == RunChartsView::Chart::Quality || chart == RunChartsView::Chart::QualityVsCost
           || (chart == RunChartsView::Chart::Trend
               && trendMetric == int(fb::TrendMetric::Quality));
}

fb::ChartKind kindOf(RunChartsView::Chart chart)
{
    switch (chart) {
    case RunChartsView::Chart::Quality:
        return fb::ChartKind::Quality;
    case RunChartsView::Chart::Latency:
        return fb::ChartKind::Latency;
    case RunChartsView::Chart::Ttft:
        return fb::ChartKind::Ttft;
    case RunChartsView::Chart::Tpot:
        return fb::ChartKind::Tpot;
    case RunChartsView::Chart::Cost:
        return fb::ChartKind::Cost;
    case RunChartsView::Chart::QualityVsCost:
        return fb::ChartKind::QualityVsCost;
    case RunChartsView::Chart::Trend:
        return fb::ChartKind::Trend;
    }
    return fb::ChartKind::Quality;
}

} // namespace

RunChartsView::RunChartsView(QWidget *parent)
    : QWidget(parent)
    , m_exportFolder(QDir::homePath())
{
    m_chartLabel = new QLabel(this);
    m_chartPicker = new QComboBox(this);
    m_chartPicker->setObjectName(QStringLiteral("chartKind"));
    m_evaluatorLabel = new QLabel(this);
    m_evaluatorPicker = new QComboBox(this);
    m_evaluatorPicker->setObjectName(QStringLiteral("chartEvaluator"));
    m_metricLabel = new QLabel(this);
    m_metricPicker = new QComboBox(this);
    m_metricPicker->setObjectName(QStringLiteral("chartMetric"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("chartStatus"));
    m_exportPng = new QPushButton(this);
    m_exportPng->setObjectName(QStringLiteral("exportChartPng"));
    m_exportSvg = new QPushButton(this);
    m_exportSvg->setObjectName(QStringLiteral("exportChartSvg"));
    m_chartLabel->setBuddy(m_chartPicker);
    m_evaluatorLabel->setBuddy(m_evaluatorPicker);
    m_metricLabel->setBuddy(m_metricPicker);

    m_view = new QChartView(this);
    m_view->setObjectName(QStringLiteral("chartView"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(240);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("chartNote"));
    m_note->setWordWrap(true);
    m_note->setVisible(false);

    // Pickers on one row, status and exports on the next: the view fits beside the setup form
    // in a 1,000-pixel window in every language.
    for (QComboBox *combo : {m_chartPicker, m_evaluatorPicker, m_metricPicker}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(8);
        combo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    }
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_chartLabel);
    bar->addWidget(m_chartPicker, 1);
    bar->addSpacing(12);
    bar->addWidget(m_evaluatorLabel);
    bar->addWidget(m_evaluatorPicker, 2);
    bar->addWidget(m_metricLabel);
    bar->addWidget(m_metricPicker, 2);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_status, 1);
    actions->addWidget(m_exportPng);
    actions->addWidget(m_exportSvg);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addLayout(actions);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_note);

    retranslate();
    updatePickers();

    connect(m_chartPicker, &QComboBox::currentIndexChanged, this, [this] {
        updatePickers();
        request();
    });
    connect(m_metricPicker, &QComboBox::currentIndexChanged, this, [this] {
        updatePickers();
        request();
    });
    connect(m_evaluatorPicker, &QComboBox::currentIndexChanged, this, [this] {
        // A quality chart has every evaluator's figures: draw again. The others ask for one.
        if (chart() == Chart::Quality && m_shown && !m_computing) {
            redraw();
        } else {
            request();
        }
    });
    connect(m_exportPng, &QPushButton::clicked, this, [this] { exportWithDialog(false); });
    connect(m_exportSvg, &QPushButton::clicked, this, [this] { exportWithDialog(true); });
}

RunChartsView::~RunChartsView()
{
    // The reader's destructor interrupts a running job and waits for it; its result, posted to
    // this object, is dropped with it.
    m_reader.reset();
}

void RunChartsView::setStorePath(const QString &path)
{
    if (path == m_storePath) {
        return;
    }
    m_storePath = path;
    m_reader.reset();
    m_cache.clear();
    request();
}

void RunChartsView::setRuns(const std::vector<fb::RunId> &runs)
{
    if (runs == m_runs) {
        return;
    }
    m_runs = runs;
    m_cache.clear();
    request();
}

void RunChartsView::refresh()
{
    m_cache.clear();
    request();
}

void RunChartsView::setChart(Chart chart) { m_chartPicker->setCurrentIndex(int(chart)); }

RunChartsView::Chart RunChartsView::chart() const
{
    return Chart(std::max(0, m_chartPicker->currentIndex()));
}

QString RunChartsView::cacheKey() const
{
    return QStringLiteral("%1/%2/%3")
        .arg(int(chart()))
        .arg(chart() == Chart::Trend ? m_metricPicker->currentIndex() : 0)
        .arg(chart() == Chart::Quality ? QString() : m_evaluatorPicker->currentText());
}

void RunChartsView::request()
{
    ++m_generation;
    if (m_reader) {
        m_reader->dropPending();
    }
    m_error.clear();
    if (m_runs.empty() || m_storePath.isEmpty() || !QFileInfo::exists(m_storePath)) {
        m_computing = false;
        m_shown.reset();
        redraw();
        setStatus(m_runs.empty() ? tr("Select runs to chart.") : QString());
        Q_EMIT chartReady();
        return;
    }
    if (auto it = m_cache.find(cacheKey()); it != m_cache.end()) {
        m_computing = false;
        display(it->second);
        return;
    }
    if (!m_reader) {
        auto reader = fb::StoreReader::open(m_storePath.toStdString());
        if (!reader) {
            m_computing = false;
            m_error = QString::fromStdString(reader.error().message);
            setStatus(m_error);
            Q_EMIT failed(m_error);
            return;
        }
        m_reader = std::move(*reader);
    }
    fb::ChartRequest request;
    request.kind = kindOf(chart());
    request.runs = m_runs;
    request.trendMetric = fb::TrendMetric(std::max(0, m_metricPicker->currentIndex()));
    if (chart() != Chart::Quality) {
        request.evaluator = m_evaluatorPicker->currentText().toStdString();
    }
    m_computing = true;
    m_exportPng->setEnabled(false);
    m_exportSvg->setEnabled(false);
    setStatus(tr("Computing…"));
    const quint64 generation = m_generation;
    const QString key = cacheKey();
    m_reader->post([this, request, generation, key](fb::ExperimentStore &store, std::stop_token) {
        auto data = fb::ChartData::compute(store, request);
        auto shared = data ? std::make_shared<const fb::ChartData>(std::move(*data)) : nullptr;
        const QString error = data ? QString() : QString::fromStdString(data.error().message);
        // To the GUI thread; dropped with this object if it is gone by then.
        QMetaObject::invokeMethod(
            this,
            [this, shared, error, generation, key] {
                if (generation != m_generation) {
                    return; // the selection changed meanwhile
                }
                m_computing = false;
                if (!shared) {
                    m_error = error;
                    m_shown.reset();
                    redraw();
                    setStatus(tr("The chart could not be computed: %1").arg(error));
                    Q_EMIT failed(error);
                    return;
                }
                m_cache[key] = shared;
                display(shared);
            },
            Qt::QueuedConnection);
    });
}

void RunChartsView::display(std::shared_ptr<const fb::ChartData> shared)
{
    m_shown = std::move(shared);
    const fb::ChartData &data = *m_shown;
    if (!data.evaluators.empty()) {
        const QString current = data.evaluator.empty() ? m_evaluatorPicker->currentText()
                                                       : QString::fromStdString(data.evaluator);
        QStringList names;
        for (const auto &name : data.evaluators) {
            names << QString::fromStdString(name);
        }
        QStringList had;
        for (int i = 0; i < m_evaluatorPicker->count(); ++i) {
            had << m_evaluatorPicker->itemText(i);
        }
        QSignalBlocker block(m_evaluatorPicker);
        if (had != names) {
            m_evaluatorPicker->clear();
            m_evaluatorPicker->addItems(names);
        }
        m_evaluatorPicker->setCurrentIndex(std::max<qsizetype>(0, names.indexOf(current)));
    }
    // Also under the evaluator the figures turned out to be for (a request may leave it open).
    m_cache[cacheKey()] = m_shown;
    updatePickers();
    redraw();
    setStatus(QString());
    Q_EMIT chartReady();
}

void RunChartsView::redraw()
{
    QChart *old = m_view->chart();
    QString note;
    if (m_shown) {
        m_view->setChart(RunChartBuilder::build(*m_shown, m_evaluatorPicker->currentText(),
                                                Theme::isDark(), &note));
    } else {
        auto *empty = new QChart;
        empty->setTheme(Theme::isDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        empty->legend()->hide();
        m_view->setChart(empty);
    }
    // setChart() leaves the old chart to us.
    delete old;
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    m_exportPng->setEnabled(m_shown != nullptr);
    m_exportSvg->setEnabled(m_shown != nullptr);
}

void RunChartsView::updatePickers()
{
    const bool evaluator = needsEvaluator(chart(), m_metricPicker->currentIndex());
    m_evaluatorLabel->setVisible(evaluator);
    m_evaluatorPicker->setVisible(evaluator);
    m_metricLabel->setVisible(chart() == Chart::Trend);
    m_metricPicker->setVisible(chart() == Chart::Trend);
}

void RunChartsView::setStatus(const QString &text) { m_status->setText(text); }

bool RunChartsView::exportPng(const QString &path, QString *error)
{
    const QImage image = m_view->grab().toImage();
    if (image.isNull() || !image.save(path, "PNG")) {
        if (error) {
            *error = tr("Could not write %1.").arg(QDir::toNativeSeparators(path));
        }
        return false;
    }
    return true;
}

bool RunChartsView::exportSvg(const QString &path, QString *error)
{
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(m_view->size());
    svg.setViewBox(QRect(QPoint(0, 0), m_view->size()));
    svg.setTitle(m_view->chart() ? m_view->chart()->title() : QString());
    svg.setDescription(tr("A chart exported from Flowbench"));
    QPainter painter;
    if (!painter.begin(&svg)) {
        if (error) {
            *error = tr("Could not write %1.").arg(QDir::toNativeSeparators(path));
        }
        return false;
    }
    m_view->render(&painter);
    painter.end();
    if (!QFileInfo(path).isFile()) {
        if (error) {
            *error = tr("Could not write %1.").arg(QDir::toNativeSeparators(path));
        }
        return false;
    }
    return true;
}

void RunChartsView::exportWithDialog(bool svg)
{
    if (!m_shown) {
        return;
    }
    QFileDialog dialog(this, svg ? tr("Export Chart as SVG") : tr("Export Chart as PNG"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setOption(QFileDialog::DontUseNativeDialog, true);
    dialog.setNameFilters({svg ? tr("SVG image (*.svg)") : tr("PNG image (*.png)")});
    const QString suffix = svg ? QStringLiteral("svg") : QStringLiteral("png");
    dialog.setDefaultSuffix(suffix);
    const QDir folder(m_exportFolder.isEmpty() ? QDir::homePath() : m_exportFolder);
    dialog.setDirectory(folder);
    // Suggest a name that is free, so saving never replaces an earlier chart unasked.
    QString suggested = QStringLiteral("chart.") + suffix;
    for (int n = 2; folder.exists(suggested); ++n) {
        suggested = QStringLiteral("chart-%1.%2").arg(n).arg(suffix);
    }
    dialog.selectFile(suggested);
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty()) {
        return;
    }
    const QString path = dialog.selectedFiles().constFirst();
    QString error;
    if (svg ? exportSvg(path, &error) : exportPng(path, &error)) {
        setStatus(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
    } else {
        setStatus(error);
    }
}

void RunChartsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        redraw();
    } else if (event->type() == QEvent::PaletteChange) {
        redraw(); // light or dark chart theme
    }
    QWidget::changeEvent(event);
}

void RunChartsView::retranslate()
{
    m_chartLabel->setText(tr("&Chart:"));
    m_evaluatorLabel->setText(tr("&Evaluator:"));
    m_metricLabel->setText(tr("&Metric:"));
    m_exportPng->setText(tr("Export PNG…"));
    m_exportSvg->setText(tr("Export SVG…"));
    const QStringList charts{tr("Quality"), tr("Latency"),         tr("TTFT"), tr("TPOT"),
                             tr("Cost"),    tr("Quality vs cost"), tr("Trend")};
    const QStringList metrics{tr("Quality"), tr("p50 latency"), tr("p95 latency"),
                              tr("Cost per 1,000 lines")};
    QSignalBlocker blockCharts(m_chartPicker);
    QSignalBlocker blockMetrics(m_metricPicker);
    for (auto [combo, texts] :
         {std::pair{m_chartPicker, charts}, std::pair{m_metricPicker, metrics}}) {
        const int current = std::max(0, combo->currentIndex());
        combo->clear();
        combo->addItems(texts);
        combo->setCurrentIndex(current);
    }
    if (m_computing) {
        setStatus(tr("Computing…"));
    } else if (m_runs.empty()) {
        setStatus(tr("Select runs to chart."));
    }
    // A drawn chart's titles and axes are words too: draw it again in this language.
    if (m_shown) {
        redraw();
    }
}

} // namespace fb::ui
