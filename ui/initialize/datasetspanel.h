#pragma once

#include <QStringList>
#include <QWidget>

#include <functional>

class QLabel;
class QListWidget;
class QPushButton;
class QTableView;

namespace fb::ui {

class DatasetPreviewModel;

/// The datasets attached to a flow: a list (drop .jsonl/.json/.csv/.tsv files on it or
/// add them), kept in FlowMetadata, and a preview table with the inferred column types.
/// Previews are read on a pool thread (core's DatasetInfo::preview) and shown when ready.
/// GUI thread only.
class DatasetsPanel final : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kPreviewRows = 200;

    explicit DatasetsPanel(QWidget *parent = nullptr);

    /// Shows the datasets attached to the flow in `flowDir` (empty: none).
    void setFlow(const QString &flowDir);
    [[nodiscard]] QStringList datasets() const { return m_files; }
    /// Attaches files (only dataset files are kept); returns how many were added.
    int attach(const QStringList &files);
    void removeCurrent();
    /// Previews the dataset at `row` of the list.
    void select(int row);
    [[nodiscard]] DatasetPreviewModel *previewModel() const { return m_model; }

Q_SIGNALS:
    void datasetsChanged(const QStringList &files);
    /// A preview finished loading (`error` empty on success).
    void previewReady(const QString &file, const QString &error);

protected:
    void changeEvent(QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void retranslateUi();
    void refreshList();
    void loadPreview(const QString &file);
    /// Shows the status line built by `text`, built again when the language changes
    /// (nullptr clears it).
    void showStatus(std::function<QString()> text);

    QString m_flowDir;
    QStringList m_files;
    int m_generation = 0;

    QLabel *m_title = nullptr;
    QLabel *m_hint = nullptr;
    QListWidget *m_list = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_status = nullptr;
    std::function<QString()> m_statusText;
    DatasetPreviewModel *m_model = nullptr;
};

} // namespace fb::ui
