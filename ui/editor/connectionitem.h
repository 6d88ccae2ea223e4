#pragma once

#include <ui/editor/graphtypes.h>

#include <QGraphicsItem>
#include <QPainterPath>

namespace fb::ui {

/// An edge of the FlowScene: a horizontal cubic curve from an output port to an input port,
/// coloured by the port type, dashed for activate conditions, labelled with `.key` for
/// `${node.output.key}`. A draft connection (while dragging) has only one end attached.
class ConnectionItem final : public QGraphicsItem
{
public:
    enum { Type = UserType + 2 };

    /// A connection of the model.
    ConnectionItem(const GraphConnection &connection, const QString &type);
    /// A draft connection following the mouse.
    explicit ConnectionItem(const QString &type);

    [[nodiscard]] int type() const override { return Type; }
    [[nodiscard]] const GraphConnection &connection() const { return m_connection; }
    [[nodiscard]] bool isDraft() const { return m_draft; }

    void setEnds(const QPointF &from, const QPointF &to);
    void setType(const QString &type);

    [[nodiscard]] QRectF boundingRect() const override;
    [[nodiscard]] QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    void rebuildPath();

    GraphConnection m_connection;
    QString m_type;
    bool m_draft = false;
    QPointF m_from;
    QPointF m_to;
    QPainterPath m_path;
    QPainterPath m_shape;
};

} // namespace fb::ui
