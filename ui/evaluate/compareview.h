#pragma once

#include <QString>
#include <QWidget>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QScrollArea;
class QSplitter;
class QTableView;
class QTextBrowser;

namespace fb {
class CompareSet;
class ExperimentStore;
class StoreReader;
struct RunId;
}

namespace fb::ui {

class CompareRowsModel;
class CompareVerdictModel;

/// Evaluate mode's compare view of 2–20 runs: a baseline (chosen in a combo), the verdict per
/// candidate and metric in words with Holm-corrected p-values, warnings when the runs are not
/// comparable, the rows aligned by dataset line with each run's output (cells that regressed or
/// improved against the baseline tinted), filters (rows that differ, regressions, improvements,
/// failed in any), and the selected row's outputs side by side with word-level differences
/// from the baseline. Everything is read and computed on a reader thread (core CompareSet);
/// the GUI thread only shows it. GUI thread only.
class CompareView final : public QWidget
{
    Q_OBJECT

public:
    /// The filter combo's entries, in order.
    enum class Filter { All, Differs, Regressions, Improvements, FailedInAny };

    explicit CompareView(QWidget *parent = nullptr);
    ~CompareView() override;

    /// The store the runs are in; a new path drops what is shown.
    void setStorePath(const QString &path);
    /// Compares `runs` (the first is the baseline; 2 to 20). False with `error` when it cannot
    /// start; the result arrives later (ready() or failed()).
    bool compare(const std::vector<fb::RunId> &runs, QString *error = nullptr);
    [[nodiscard]] bool isLoading() const { return m_loading; }
    [[nodiscard]] const std::shared_ptr<const fb::CompareSet> &compareSet() const { return m_set; }

    [[nodiscard]] QTableView *rowsTable() const { return m_rowsView; }
    [[nodiscard]] QTableView *verdictTable() const { return m_verdictView; }

Q_SIGNALS:
    /// A comparison was loaded (or re-based / re-focused) and is shown.
    void ready();
    void failed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    /// Makes a set on the reader thread; null with `error` set when it cannot.
    using SetMaker = std::function<std::shared_ptr<const fb::CompareSet>(
        fb::ExperimentStore &store, const std::atomic<bool> &stop, QString *error)>;
    /// Runs `make` on the reader thread and shows the set it returns.
    void computeSet(SetMaker make);
    void showSet(std::shared_ptr<const fb::CompareSet> set);
    void showSentences();
    void updateSummary();
    void showRowDetail();
    void applyFilter();

    QString m_storePath;
    std::shared_ptr<fb::StoreReader> m_reader;
    std::shared_ptr<const fb::CompareSet> m_set;
    std::shared_ptr<std::atomic<bool>> m_stop;
    quint64 m_request = 0;
    quint64 m_detailRequest = 0;
    bool m_loading = false;
    bool m_updatingCombos = false;

    QLabel *m_baselineLabel = nullptr;
    QComboBox *m_baseline = nullptr;
    QLabel *m_focusLabel = nullptr;
    QComboBox *m_focus = nullptr;
    QLabel *m_filterLabel = nullptr;
    QComboBox *m_filter = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_warnings = nullptr;
    QLabel *m_sentences = nullptr;
    QScrollArea *m_sentencesScroll = nullptr;
    QSplitter *m_splitter = nullptr;
    CompareVerdictModel *m_verdicts = nullptr;
    QTableView *m_verdictView = nullptr;
    CompareRowsModel *m_rows = nullptr;
    QTableView *m_rowsView = nullptr;
    QTextBrowser *m_detail = nullptr;
};

} // namespace fb::ui
