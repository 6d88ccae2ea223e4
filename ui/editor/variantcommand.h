#pragma once

#include <core/flow/flow.h>

#include <QCoreApplication>
#include <QString>
#include <QUndoCommand>

#include <memory>
#include <optional>

namespace fb::ui {

class FlowGraphModel;

/// One edit of a node's variants (create, rename, describe, set default, remove), as a swap of
/// the node's stub and its node_variants entry, so that undo restores the identical flow.
/// Build one with the static factories; they return nullptr (and set `error`) when the edit is
/// impossible. Variant notes persist in the variant-level key `flowbench: {notes: …}`, which
/// promptflow ignores (it reads node_variants as plain dictionaries); descriptions use
/// promptflow's own `description`.
class VariantCommand final : public QUndoCommand
{
    Q_DECLARE_TR_FUNCTIONS(fb::ui::VariantCommand)

public:
    /// A new variant copied from `fromVariant` (or, for a node without variants, turns the
    /// node into a variant node: variant_0 = the node, plus the copy). The copy gets its own
    /// template file `<stem>_<id>.<ext>` (see copiedTemplate()); it becomes the active variant.
    [[nodiscard]] static std::unique_ptr<VariantCommand> createFrom(FlowGraphModel *model,
                                                                    const QString &nodeName,
                                                                    const QString &fromVariant,
                                                                    QString *error = nullptr);
    [[nodiscard]] static std::unique_ptr<VariantCommand>
    rename(FlowGraphModel *model, const QString &nodeName, const QString &variantId,
           const QString &newId, QString *error = nullptr);
    [[nodiscard]] static std::unique_ptr<VariantCommand>
    describe(FlowGraphModel *model, const QString &nodeName, const QString &variantId,
             const QString &description, const QString &notes, QString *error = nullptr);
    [[nodiscard]] static std::unique_ptr<VariantCommand> setDefault(FlowGraphModel *model,
                                                                    const QString &nodeName,
                                                                    const QString &variantId,
                                                                    QString *error = nullptr);
    [[nodiscard]] static std::unique_ptr<VariantCommand> remove(FlowGraphModel *model,
                                                                const QString &nodeName,
                                                                const QString &variantId,
                                                                QString *error = nullptr);

    /// The notes stored for a variant (empty when none).
    [[nodiscard]] static QString notes(const fb::Variant &variant);

    void redo() override;
    void undo() override;

    /// For createFrom: the template path (relative to the flow folder) the new variant reads
    /// and the one it was copied from; empty otherwise.
    [[nodiscard]] QString copiedTemplateFrom() const { return m_templateFrom; }
    [[nodiscard]] QString copiedTemplateTo() const { return m_templateTo; }
    [[nodiscard]] QString newVariantId() const { return m_activeAfter; }

private:
    VariantCommand(FlowGraphModel *model, const QString &nodeName, const QString &text);
    void apply(const fb::Node &stub, const std::optional<fb::NodeVariants> &variants,
               const QString &active);

    FlowGraphModel *m_model;
    QString m_nodeName;
    fb::Node m_stubBefore;
    fb::Node m_stubAfter;
    std::optional<fb::NodeVariants> m_before;
    std::optional<fb::NodeVariants> m_after;
    int m_variantsIndex = -1;
    QString m_activeBefore;
    QString m_activeAfter;
    QString m_templateFrom;
    QString m_templateTo;
};

} // namespace fb::ui
