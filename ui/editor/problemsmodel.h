#pragma once

#include <core/flow/flow.h>
#include <core/flow/flowvalidator.h>

#include <QAbstractListModel>
#include <QList>

namespace fb::ui {

/// The flow's validation problems as a list: one row per FlowValidator diagnostic, with the
/// node it belongs to (activating a row in the view selects that node). Holds a snapshot.
class ProblemsModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        NodeNameRole = Qt::UserRole, ///< QString: the node, empty for flow-level problems
        TargetRole,                  ///< int: Target
        SeverityRole,                ///< int: 0 error, 1 warning
        FileRole,                    ///< QString: the file the problem is in
        LineRole,                    ///< int: its line (1-based; 0 unknown)
    };
    Q_ENUM(Role)

    enum class Target { Flow, Inputs, Outputs, Node };

    struct Problem
    {
        Target target = Target::Flow;
        QString nodeName;
        bool isError = true;
        QString message;
        QString file;
        int line = 0;
        int column = 0;
    };

    explicit ProblemsModel(QObject *parent = nullptr);

    /// Validates `flow` as it would be written (FlowWriter, then FlowLoader, so positions match
    /// the saved file) and maps each diagnostic to the node whose YAML or template holds it.
    /// `texts`: unsaved template and code texts by absolute path, checked instead of the files
    /// (a new variant's template exists only in the editor until the flow is saved).
    [[nodiscard]] static QList<Problem> validate(const fb::Flow &flow,
                                                 const fb::FlowValidator::Texts &texts = {});

    void setProblems(const QList<Problem> &problems);
    [[nodiscard]] const QList<Problem> &problems() const { return m_problems; }
    [[nodiscard]] int errorCount() const;
    /// Tells views the rows' texts changed language ("inputs", "outputs"); the owning widget
    /// calls it on QEvent::LanguageChange.
    void retranslate();

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

private:
    QList<Problem> m_problems;
};

} // namespace fb::ui
