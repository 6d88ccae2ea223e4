#pragma once

#include <ui/editor/graphtypes.h>

#include <QCoreApplication>
#include <QGraphicsItem>
#include <QSet>
#include <QStringList>

namespace fb::ui {

class FlowGraphModel;

/// A node drawn in the FlowScene: a coloured header with the name and a subtitle (type and
/// model or file), input ports on the left with their literal values, the output port on the
/// right. Reads everything from the model; never edits it (the scene pushes commands).
class NodeItem final : public QGraphicsItem
{
    Q_DECLARE_TR_FUNCTIONS(fb::ui::NodeItem)

public:
    enum { Type = UserType + 1 };

    NodeItem(const FlowGraphModel *model, NodeId id);

    [[nodiscard]] NodeId nodeId() const { return m_id; }
    [[nodiscard]] int type() const override { return Type; }

    /// Re-reads ports and labels from the model.
    void refresh();
    /// Ports with a connection are drawn filled.
    void setConnectedPorts(const QSet<QString> &inPorts, bool outputConnected);
    /// Validation messages for this node: errors draw a red border, warnings an amber one.
    void setProblems(const QStringList &errors, const QStringList &warnings);
    [[nodiscard]] bool hasErrors() const { return !m_errors.isEmpty(); }
    /// Highlights a port while a connection is dragged over it.
    void setHighlightedPort(const QString &port, bool isInput);

    [[nodiscard]] QStringList inPorts() const { return m_inPorts; }
    [[nodiscard]] QStringList outPorts() const { return m_outPorts; }
    [[nodiscard]] QPointF portScenePos(const QString &port, bool isInput) const;

    struct PortHit
    {
        QString port;
        bool isInput = false;
        [[nodiscard]] bool isValid() const { return !port.isEmpty(); }
    };
    /// The port under `itemPos` (item coordinates), with a generous hit area.
    [[nodiscard]] PortHit portAt(const QPointF &itemPos) const;

    [[nodiscard]] QSizeF size() const { return m_size; }
    /// The size a node with `inPorts`/`outPorts` ports gets.
    [[nodiscard]] static QSizeF sizeFor(GraphNodeKind kind, int inPorts, int outPorts);

    [[nodiscard]] QRectF boundingRect() const override;
    [[nodiscard]] QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;
    void hoverMoveEvent(QGraphicsSceneHoverEvent *event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent *event) override;

private:
    [[nodiscard]] QPointF portPos(const QString &port, bool isInput) const;
    [[nodiscard]] QString portLabel(const QString &port) const;
    [[nodiscard]] QString portHint(const QString &port, bool isInput) const;
    void updateToolTip();

    const FlowGraphModel *m_model;
    NodeId m_id;
    GraphNodeKind m_kind;
    QString m_title;
    QString m_subtitle;
    QString m_badge;
    QStringList m_inPorts;
    QStringList m_outPorts;
    QStringList m_inTypes;
    QStringList m_outTypes;
    QStringList m_inHints;
    QStringList m_outHints;
    QSet<QString> m_connectedIn;
    bool m_outputConnected = false;
    QStringList m_errors;
    QStringList m_warnings;
    QSizeF m_size;
    QString m_hoverPort;
    bool m_hoverInput = false;
};

} // namespace fb::ui
