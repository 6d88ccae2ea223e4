#include <ui/editor/connectionitem.h>

#include <ui/editor/editorpalette_p.h>

#include <QApplication>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>
#include <QWidget>

#include <algorithm>
#include <cmath>

namespace fb::ui {

ConnectionItem::ConnectionItem(const GraphConnection &connection, const QString &type)
    : m_connection(connection)
    , m_type(type)
{
    setFlags(ItemIsSelectable);
    setZValue(0);
    setAcceptHoverEvents(true);
    QString text = connection.inPort == activatePortName()
                       ? QApplication::translate("fb::ui::ConnectionItem", "activate condition")
                       : connection.inPort;
    setToolTip(text);
}

ConnectionItem::ConnectionItem(const QString &type)
    : m_type(type)
    , m_draft(true)
{
    setZValue(3);
}

void ConnectionItem::setType(const QString &type)
{
    m_type = type;
    update();
}

void ConnectionItem::setEnds(const QPointF &from, const QPointF &to)
{
    if (from == m_from && to == m_to && !m_path.isEmpty()) {
        return;
    }
    prepareGeometryChange();
    m_from = from;
    m_to = to;
    rebuildPath();
}

void ConnectionItem::rebuildPath()
{
    const qreal dx = std::max(50.0, std::abs(m_to.x() - m_from.x()) * 0.5);
    m_path = QPainterPath(m_from);
    m_path.cubicTo(m_from + QPointF(dx, 0), m_to - QPointF(dx, 0), m_to);
    QPainterPathStroker stroker;
    stroker.setWidth(12);
    stroker.setCapStyle(Qt::RoundCap);
    m_shape = stroker.createStroke(m_path);
}

QRectF ConnectionItem::boundingRect() const
{
    return m_path.boundingRect()
        .adjusted(-8, -8, 8, 8)
        .united(QRectF(m_path.pointAtPercent(0.5), QSizeF(1, 1)).adjusted(-60, -20, 60, 20));
}

QPainterPath ConnectionItem::shape() const { return m_shape; }

void ConnectionItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option,
                           QWidget *widget)
{
    // Cached items paint without a widget: take the palette of the view showing the scene.
    const QWidget *source = widget;
    if (!source && scene() && !scene()->views().isEmpty()) {
        source = scene()->views().constFirst();
    }
    const EditorPalette pal
        = EditorPalette::forPalette(source ? source->palette() : QApplication::palette());
    painter->setRenderHint(QPainter::Antialiasing);
    const bool selected = option->state & QStyle::State_Selected;
    const bool activate = m_connection.inPort == activatePortName();
    QColor colour = m_draft ? pal.accent : pal.typeColor(m_type);
    if (!selected && !m_draft) {
        colour.setAlphaF(0.85);
    }
    if (selected) {
        QColor glow = pal.accent;
        glow.setAlphaF(0.25);
        painter->setPen(QPen(glow, 8, Qt::SolidLine, Qt::RoundCap));
        painter->drawPath(m_path);
        colour = pal.accent;
    }
    QPen pen(colour, selected ? 2.6 : 2.0, activate || m_draft ? Qt::DashLine : Qt::SolidLine,
             Qt::RoundCap);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);

    if (!m_connection.key.isEmpty()) {
        const QFont font = scaledFont(widget ? widget->font() : QApplication::font(), 0.8);
        painter->setFont(font);
        const QString text = QLatin1Char('.') + m_connection.key;
        const QFontMetricsF metrics(font);
        const QPointF mid = m_path.pointAtPercent(0.5);
        const QRectF box(mid.x() - metrics.horizontalAdvance(text) / 2 - 6,
                         mid.y() - metrics.height() / 2 - 2, metrics.horizontalAdvance(text) + 12,
                         metrics.height() + 4);
        painter->setPen(QPen(colour, 1));
        painter->setBrush(pal.nodeBody);
        painter->drawRoundedRect(box, box.height() / 2, box.height() / 2);
        painter->setPen(pal.text);
        painter->drawText(box, Qt::AlignCenter, text);
    }
}

} // namespace fb::ui
