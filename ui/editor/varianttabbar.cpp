#include <ui/editor/varianttabbar.h>

#include <ui/editor/flowgraphmodel.h>
#include <ui/editor/variantcommand.h>

#include <QDialog>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QTabBar>
#include <QToolButton>
#include <QUndoStack>
#include <algorithm>

namespace fb::ui {

VariantTabBar::VariantTabBar(FlowGraphModel *model, QUndoStack *undoStack, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_undoStack(undoStack)
    , m_label(new QLabel(this))
    , m_tabs(new QTabBar(this))
    , m_add(new QToolButton(this))
    , m_menu(new QToolButton(this))
{
    m_tabs->setObjectName(QStringLiteral("variantTabs"));
    m_add->setObjectName(QStringLiteral("variantAdd"));
    m_menu->setObjectName(QStringLiteral("variantMenu"));
    m_tabs->setDocumentMode(true);
    m_tabs->setDrawBase(false);
    m_tabs->setExpanding(false);
    // Whole names, never "v…": more tabs than room scroll with the bar's arrows.
    m_tabs->setElideMode(Qt::ElideNone);
    m_tabs->setUsesScrollButtons(true);
    m_add->setText(QStringLiteral("+"));
    m_add->setAutoRaise(true);
    m_menu->setPopupMode(QToolButton::InstantPopup);
    m_menu->setAutoRaise(true);
    auto *menu = new QMenu(m_menu);
    m_renameAction = menu->addAction(QString(), this, &VariantTabBar::renameInteractively);
    m_describeAction = menu->addAction(QString(), this, &VariantTabBar::describeInteractively);
    m_defaultAction = menu->addAction(QString(), this, [this] {
        QString error;
        if (!setDefaultVariant(currentVariant(), &error)) {
            report(error);
        }
    });
    m_compareAction = menu->addAction(QString(), this, [this] {
        const QString current = currentVariant();
        QString other;
        for (int i = 0; i < m_tabs->count(); ++i) {
            const QString id = m_tabs->tabData(i).toString();
            if (id != current) {
                other = id;
                break;
            }
        }
        if (!other.isEmpty()) {
            Q_EMIT compareRequested(m_model->nodeName(m_id), current, other);
        }
    });
    menu->addSeparator();
    m_deleteAction = menu->addAction(QString(), this, [this] {
        QString error;
        if (!removeVariant(currentVariant(), &error)) {
            report(error);
        }
    });
    m_menu->setMenu(menu);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 2, 8, 2);
    layout->addWidget(m_label);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_add);
    layout->addWidget(m_menu);

    connect(m_add, &QToolButton::clicked, this, [this] {
        QString error;
        if (!createVariant(&error)) {
            report(error);
        }
    });
    connect(m_tabs, &QTabBar::currentChanged, this, [this](int index) {
        if (!m_rebuilding && index >= 0) {
            m_model->setActiveVariant(m_id, m_tabs->tabData(index).toString());
        }
    });
    connect(m_tabs, &QTabBar::tabBarDoubleClicked, this, &VariantTabBar::renameInteractively);
    connect(model, &FlowGraphModel::variantsChanged, this, [this](NodeId id) {
        if (id == m_id) {
            rebuild();
        }
    });
    connect(model, &FlowGraphModel::nodeUpdated, this, [this](NodeId id) {
        if (id == m_id) {
            rebuild();
        }
    });
    connect(model, &FlowGraphModel::nodeDeleted, this, [this](NodeId id) {
        if (id == m_id) {
            setNode(NodeId::Invalid);
        }
    });
    connect(model, &FlowGraphModel::modelReset, this, [this] { setNode(NodeId::Invalid); });
    retranslateUi();
    setNode(NodeId::Invalid);
}

void VariantTabBar::retranslateUi()
{
    m_label->setText(tr("Variants:"));
    m_add->setToolTip(tr("New variant from the current one"));
    m_menu->setText(tr("Variant"));
    m_renameAction->setText(tr("Rename…"));
    m_describeAction->setText(tr("Describe…"));
    m_defaultAction->setText(tr("Make default"));
    m_compareAction->setText(tr("Compare…"));
    m_deleteAction->setText(tr("Delete"));
}

void VariantTabBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        rebuild(); // tab texts ("%1 (default)", "single variant") and their tooltips
    }
    QWidget::changeEvent(event);
}

void VariantTabBar::setNode(NodeId id)
{
    m_id = id;
    rebuild();
}

QString VariantTabBar::currentVariant() const
{
    return m_tabs->currentIndex() < 0 ? QString()
                                      : m_tabs->tabData(m_tabs->currentIndex()).toString();
}

void VariantTabBar::rebuild()
{
    m_rebuilding = true;
    while (m_tabs->count() > 0) {
        m_tabs->removeTab(0);
    }
    const Node *node = m_model->node(m_id);
    const Node *effective = m_model->effectiveNode(m_id);
    const bool canHaveVariants
        = effective && effective->type != NodeType::Python && effective->unknownType.empty();
    setVisible(canHaveVariants);
    if (const NodeVariants *nv = m_model->variants(m_id)) {
        const QString active = m_model->activeVariant(m_id);
        for (const auto &v : nv->variants) {
            const QString id = QString::fromStdString(v.id);
            const bool isDefault = v.id == nv->defaultVariantId;
            const int index = m_tabs->addTab(isDefault ? tr("%1 (default)").arg(id) : id);
            m_tabs->setTabData(index, id);
            QString tip = QString::fromStdString(v.description);
            const QString notes = VariantCommand::notes(v);
            if (!notes.isEmpty()) {
                tip += (tip.isEmpty() ? QString() : QStringLiteral("\n\n")) + notes;
            }
            m_tabs->setTabToolTip(index, tip);
            if (id == active) {
                m_tabs->setCurrentIndex(index);
            }
        }
        m_menu->setEnabled(true);
    } else if (node) {
        const int index = m_tabs->addTab(tr("single variant"));
        m_tabs->setTabData(index, QString());
        m_tabs->setTabToolTip(index, tr("Press + to create a second variant of this node."));
        m_menu->setEnabled(false);
    }
    // QTabBar only re-announces its size hint while visible; this bar is rebuilt while hidden
    // too, so pin the height to the tabs' own or the layout keeps a zero-height bar.
    m_tabs->setMinimumHeight(
        m_tabs->count() > 0 ? std::max(m_tabs->tabRect(0).height(), fontMetrics().height() + 10)
                            : 0);
    m_tabs->updateGeometry();
    m_rebuilding = false;
}

void VariantTabBar::report(const QString &error)
{
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Variants"), error);
    }
}

bool VariantTabBar::createVariant(QString *error)
{
    const QString name = m_model->nodeName(m_id);
    auto cmd = VariantCommand::createFrom(m_model, name, currentVariant(), error);
    if (!cmd) {
        return false;
    }
    if (!cmd->copiedTemplateTo().isEmpty()) {
        Q_EMIT templateCopyNeeded(cmd->copiedTemplateFrom(), cmd->copiedTemplateTo());
    }
    m_undoStack->push(cmd.release());
    return true;
}

bool VariantTabBar::renameVariant(const QString &variantId, const QString &newId, QString *error)
{
    auto cmd = VariantCommand::rename(m_model, m_model->nodeName(m_id), variantId, newId, error);
    if (!cmd) {
        return false;
    }
    m_undoStack->push(cmd.release());
    return true;
}

bool VariantTabBar::describeVariant(const QString &variantId, const QString &description,
                                    const QString &notes, QString *error)
{
    auto cmd = VariantCommand::describe(m_model, m_model->nodeName(m_id), variantId, description,
                                        notes, error);
    if (!cmd) {
        return false;
    }
    m_undoStack->push(cmd.release());
    return true;
}

bool VariantTabBar::setDefaultVariant(const QString &variantId, QString *error)
{
    auto cmd = VariantCommand::setDefault(m_model, m_model->nodeName(m_id), variantId, error);
    if (!cmd) {
        return false;
    }
    m_undoStack->push(cmd.release());
    return true;
}

bool VariantTabBar::removeVariant(const QString &variantId, QString *error)
{
    auto cmd = VariantCommand::remove(m_model, m_model->nodeName(m_id), variantId, error);
    if (!cmd) {
        return false;
    }
    m_undoStack->push(cmd.release());
    return true;
}

void VariantTabBar::renameInteractively()
{
    const QString current = currentVariant();
    if (current.isEmpty()) {
        return;
    }
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename variant"), tr("New name:"),
                                               QLineEdit::Normal, current, &ok)
                             .trimmed();
    if (!ok || name == current) {
        return;
    }
    QString error;
    if (!renameVariant(current, name, &error)) {
        report(error);
    }
}

void VariantTabBar::describeInteractively()
{
    const NodeVariants *nv = m_model->variants(m_id);
    const QString current = currentVariant();
    const Variant *variant = nv ? nv->variant(current.toStdString()) : nullptr;
    if (!variant) {
        return;
    }
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Describe %1").arg(current));
    auto *description = new QLineEdit(QString::fromStdString(variant->description), &dialog);
    auto *notes = new QPlainTextEdit(VariantCommand::notes(*variant), &dialog);
    notes->setPlaceholderText(tr("What this variant tries, and what you learned from it."));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("Description"), description);
    form->addRow(tr("Notes"), notes);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    QString error;
    if (!describeVariant(current, description->text(), notes->toPlainText(), &error)) {
        report(error);
    }
}

} // namespace fb::ui
