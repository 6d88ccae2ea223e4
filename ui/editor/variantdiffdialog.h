#pragma once

#include <core/flow/flow.h>
#include <ui/editor/linediff.h>

#include <QDialog>

#include <functional>

class QComboBox;
class QLabel;
class QPlainTextEdit;

namespace fb::ui {

/// Two variants of a node side by side: their settings (connection, api, source, inputs)
/// and their template text, aligned line by line with the differences marked (removed,
/// added, changed). The template text comes from `templateText` so unsaved edits count.
class VariantDiffDialog final : public QDialog
{
    Q_OBJECT

public:
    using TemplateText = std::function<QString(const QString &relativePath)>;

    VariantDiffDialog(const fb::Flow &flow, const QString &nodeName, TemplateText templateText,
                      const QString &leftVariant, const QString &rightVariant,
                      QWidget *parent = nullptr);

    /// The lines compared for one variant: settings, a blank line, then the template.
    [[nodiscard]] static QStringList describe(const fb::Variant &variant,
                                              const TemplateText &templateText);
    [[nodiscard]] const QList<LineDiff::Row> &rows() const { return m_rows; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void refresh();

    fb::Flow m_flow;
    QString m_nodeName;
    TemplateText m_templateText;
    QComboBox *m_left;
    QComboBox *m_right;
    QPlainTextEdit *m_leftText;
    QPlainTextEdit *m_rightText;
    QLabel *m_summary;
    QList<LineDiff::Row> m_rows;
};

} // namespace fb::ui
