#include <ui/editor/nodeitem.h>

#include <ui/editor/editorpalette_p.h>
#include <ui/editor/flowgraphmodel.h>
#include <ui/editor/flowscene.h>

#include <QApplication>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QGraphicsSceneHoverEvent>
#include <QGraphicsView>
#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>
#include <QWidget>

#include <algorithm>

namespace fb::ui {

namespace {

constexpr qreal kWidth = 236;
constexpr qreal kPseudoWidth = 190;
constexpr qreal kHeader = 46;
constexpr qreal kRow = 24;
constexpr qreal kPad = 8;
constexpr qreal kRadius = 8;
constexpr qreal kPortRadius = 5;

QString shortValue(const Value &value)
{
    if (value.is_null()) {
        return {};
    }
    QString text = value.is_string() ? QString::fromStdString(value.get<std::string>())
                                     : QString::fromStdString(value.dump());
    text.replace('\n', ' ');
    return text;
}

} // namespace

NodeItem::NodeItem(const FlowGraphModel *model, NodeId id)
    : m_model(model)
    , m_id(id)
    , m_kind(model->kind(id))
{
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);
    setCacheMode(DeviceCoordinateCache);
    setZValue(1);
    refresh();
}

QSizeF NodeItem::sizeFor(GraphNodeKind kind, int inPorts, int outPorts)
{
    // A flow node shows its output on the first row and its inputs below.
    const int rows = kind == GraphNodeKind::Node ? std::max(1, outPorts + inPorts)
                                                 : std::max({inPorts, outPorts, 1});
    return {kind == GraphNodeKind::Node ? kWidth : kPseudoWidth, kHeader + kRow * rows + kPad};
}

void NodeItem::refresh()
{
    prepareGeometryChange();
    m_inPorts = m_model->inPorts(m_id);
    m_outPorts = m_model->outPorts(m_id);
    m_inTypes.clear();
    m_outTypes.clear();
    m_inHints.clear();
    m_outHints.clear();
    for (const auto &p : std::as_const(m_inPorts)) {
        m_inTypes.append(m_model->portType(m_id, p, true));
        m_inHints.append(portHint(p, true));
    }
    for (const auto &p : std::as_const(m_outPorts)) {
        m_outTypes.append(m_model->portType(m_id, p, false));
        m_outHints.append(portHint(p, false));
    }
    m_badge.clear();
    switch (m_kind) {
    case GraphNodeKind::FlowInputs:
        m_title = tr("Inputs");
        m_subtitle = tr("flow inputs");
        break;
    case GraphNodeKind::FlowOutputs:
        m_title = tr("Outputs");
        m_subtitle = tr("flow outputs");
        break;
    case GraphNodeKind::Node: {
        m_title = m_model->nodeName(m_id);
        const Node *n = m_model->effectiveNode(m_id);
        const QString type = n->unknownType.empty() ? QString::fromLatin1(nodeTypeName(n->type))
                                                    : QString::fromStdString(n->unknownType);
        QString detail;
        if (n->type == NodeType::Llm || n->type == NodeType::CustomLlm) {
            const NodeInput *model = n->input("deployment_name");
            if (!model) {
                model = n->input("model");
            }
            detail = model ? shortValue(model->value) : QString();
        }
        if (detail.isEmpty()) {
            detail
                = QString::fromStdString(n->source.path.empty() ? n->source.tool : n->source.path);
        }
        m_subtitle = detail.isEmpty() ? type : type + QStringLiteral(" · ") + detail;
        if (n->aggregation) {
            m_subtitle += QStringLiteral(" · ") + tr("aggregation");
        }
        if (const NodeVariants *nv = m_model->variants(m_id)) {
            m_badge = m_model->activeVariant(m_id);
            if (nv->variants.size() > 1) {
                m_badge += QStringLiteral(" / %1").arg(nv->variants.size());
            }
        }
        break;
    }
    }
    m_size = sizeFor(m_kind, int(m_inPorts.size()), int(m_outPorts.size()));
    updateToolTip();
    update();
}

QString NodeItem::portLabel(const QString &port) const
{
    return port == activatePortName() ? tr("activate when") : port;
}

QString NodeItem::portHint(const QString &port, bool isInput) const
{
    if (m_kind == GraphNodeKind::FlowInputs) {
        return m_model->portType(m_id, port, false);
    }
    if (!isInput || m_kind == GraphNodeKind::FlowOutputs) {
        return m_kind == GraphNodeKind::FlowOutputs ? m_model->portType(m_id, port, true)
                                                    : QString();
    }
    const Value value = m_model->portValue(m_id, port);
    if (port == activatePortName()) {
        const Node *n = m_model->effectiveNode(m_id);
        return n && n->activate ? QStringLiteral("= %1").arg(shortValue(n->activate->is))
                                : QString();
    }
    if (Reference::looksLikeReference(value)) {
        return {};
    }
    return shortValue(value);
}

void NodeItem::setConnectedPorts(const QSet<QString> &inPorts, bool outputConnected)
{
    if (inPorts == m_connectedIn && outputConnected == m_outputConnected) {
        return;
    }
    m_connectedIn = inPorts;
    m_outputConnected = outputConnected;
    update();
}

void NodeItem::setProblems(const QStringList &errors, const QStringList &warnings)
{
    if (errors == m_errors && warnings == m_warnings) {
        return;
    }
    m_errors = errors;
    m_warnings = warnings;
    updateToolTip();
    update();
}

void NodeItem::setHighlightedPort(const QString &port, bool isInput)
{
    if (port == m_hoverPort && isInput == m_hoverInput) {
        return;
    }
    m_hoverPort = port;
    m_hoverInput = isInput;
    update();
}

void NodeItem::updateToolTip()
{
    QStringList lines;
    lines.append(
        QStringLiteral("<b>%1</b> — %2").arg(m_title.toHtmlEscaped(), m_subtitle.toHtmlEscaped()));
    for (const auto &e : std::as_const(m_errors)) {
        lines.append(
            QStringLiteral("<span style='color:#d92d20'>&#9679; %1</span>").arg(e.toHtmlEscaped()));
    }
    for (const auto &w : std::as_const(m_warnings)) {
        lines.append(
            QStringLiteral("<span style='color:#c78a00'>&#9679; %1</span>").arg(w.toHtmlEscaped()));
    }
    setToolTip(lines.join(QStringLiteral("<br>")));
}

QPointF NodeItem::portPos(const QString &port, bool isInput) const
{
    const QStringList &ports = isInput ? m_inPorts : m_outPorts;
    int row = std::max<int>(0, int(ports.indexOf(port)));
    if (isInput && m_kind == GraphNodeKind::Node) {
        row += int(m_outPorts.size());
    }
    return {isInput ? 0.0 : m_size.width(), kHeader + kRow * row + kRow / 2 + 2};
}

QPointF NodeItem::portScenePos(const QString &port, bool isInput) const
{
    return mapToScene(portPos(port, isInput));
}

NodeItem::PortHit NodeItem::portAt(const QPointF &itemPos) const
{
    const auto near = [&](const QPointF &p) {
        return std::abs(itemPos.x() - p.x()) <= 14 && std::abs(itemPos.y() - p.y()) <= kRow / 2;
    };
    for (const auto &p : m_inPorts) {
        if (near(portPos(p, true))) {
            return {p, true};
        }
    }
    for (const auto &p : m_outPorts) {
        if (near(portPos(p, false))) {
            return {p, false};
        }
    }
    return {};
}

QRectF NodeItem::boundingRect() const
{
    return QRectF(QPointF(0, 0), m_size).adjusted(-kPortRadius - 4, -4, kPortRadius + 4, 8);
}

QPainterPath NodeItem::shape() const
{
    QPainterPath path;
    path.addRoundedRect(QRectF(QPointF(0, 0), m_size), kRadius, kRadius);
    for (const auto &p : m_inPorts) {
        path.addEllipse(portPos(p, true), kPortRadius + 4, kPortRadius + 4);
    }
    for (const auto &p : m_outPorts) {
        path.addEllipse(portPos(p, false), kPortRadius + 4, kPortRadius + 4);
    }
    return path;
}

void NodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget)
{
    // Cached items paint without a widget: take the palette of the view showing the scene.
    const QWidget *source = widget;
    if (!source && scene() && !scene()->views().isEmpty()) {
        source = scene()->views().constFirst();
    }
    const EditorPalette pal
        = EditorPalette::forPalette(source ? source->palette() : QApplication::palette());
    const QRectF body(QPointF(0, 0), m_size);
    painter->setRenderHint(QPainter::Antialiasing);

    // Soft shadow.
    for (int i = 0; i < 3; ++i) {
        QColor shadow = pal.shadow;
        shadow.setAlphaF(shadow.alphaF() / (i + 1));
        painter->setPen(Qt::NoPen);
        painter->setBrush(shadow);
        painter->drawRoundedRect(body.translated(0, 2 + i).adjusted(-i, -i + 1, i, i), kRadius + i,
                                 kRadius + i);
    }

    // Body and header.
    QPainterPath bodyPath;
    bodyPath.addRoundedRect(body, kRadius, kRadius);
    painter->fillPath(bodyPath, pal.nodeBody);
    QPainterPath headerPath;
    headerPath.addRoundedRect(QRectF(0, 0, m_size.width(), kHeader), kRadius, kRadius);
    QPainterPath headerBottom;
    headerBottom.addRect(QRectF(0, kHeader - kRadius, m_size.width(), kRadius));
    headerPath = headerPath.united(headerBottom);
    const Node *n = m_kind == GraphNodeKind::Node ? m_model->effectiveNode(m_id) : nullptr;
    QColor header = pal.headerColor(m_kind, n);
    QLinearGradient gradient(0, 0, 0, kHeader);
    gradient.setColorAt(0, header.lighter(108));
    gradient.setColorAt(1, header);
    painter->fillPath(headerPath, gradient);

    // Border: selection, errors, warnings.
    const bool selected = option->state & QStyle::State_Selected;
    QPen border(pal.nodeBorder, 1);
    if (!m_errors.isEmpty()) {
        border = QPen(pal.error, 2);
    } else if (!m_warnings.isEmpty()) {
        border = QPen(pal.warning, 2);
    }
    if (selected) {
        border = QPen(pal.accent, 2.5);
    }
    painter->setPen(border);
    painter->setBrush(Qt::NoBrush);
    painter->drawRoundedRect(body, kRadius, kRadius);
    if (selected && !m_errors.isEmpty()) {
        painter->setPen(QPen(pal.error, 1.5, Qt::DashLine));
        painter->drawRoundedRect(body.adjusted(-4, -4, 4, 4), kRadius + 3, kRadius + 3);
    }

    // Title, subtitle, badge.
    const QFont baseFont = widget ? widget->font() : QApplication::font();
    QFont titleFont = baseFont;
    titleFont.setBold(true);
    const QFont smallFont = scaledFont(baseFont, 0.85);
    const QFontMetricsF titleMetrics(titleFont);
    const QFontMetricsF smallMetrics(smallFont);

    qreal badgeWidth = 0;
    if (!m_badge.isEmpty()) {
        badgeWidth = smallMetrics.horizontalAdvance(m_badge) + 12;
        const QRectF pill(m_size.width() - badgeWidth - 8, 8, badgeWidth,
                          smallMetrics.height() + 4);
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(255, 255, 255, 56));
        painter->drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
        painter->setPen(pal.headerText);
        painter->setFont(smallFont);
        painter->drawText(pill, Qt::AlignCenter, m_badge);
    }
    qreal iconWidth = 0;
    if (!m_errors.isEmpty() || !m_warnings.isEmpty()) {
        iconWidth = 18;
        const QRectF icon(m_size.width() - badgeWidth - (badgeWidth > 0 ? 12 : 8) - 14, 9, 14, 14);
        painter->setPen(QPen(QColor(255, 255, 255), 1.2));
        painter->setBrush(m_errors.isEmpty() ? pal.warning : pal.error);
        painter->drawEllipse(icon);
        QFont bang = smallFont;
        bang.setBold(true);
        painter->setFont(bang);
        painter->drawText(icon, Qt::AlignCenter, QStringLiteral("!"));
    }
    painter->setPen(pal.headerText);
    painter->setFont(titleFont);
    const qreal titleSpace = m_size.width() - 24 - badgeWidth - iconWidth;
    painter->drawText(QRectF(12, 6, titleSpace, titleMetrics.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      titleMetrics.elidedText(m_title, Qt::ElideRight, titleSpace));
    QColor subtitleColour = pal.headerText;
    subtitleColour.setAlpha(200);
    painter->setPen(subtitleColour);
    painter->setFont(smallFont);
    painter->drawText(
        QRectF(12, 8 + titleMetrics.height(), m_size.width() - 24, smallMetrics.height()),
        Qt::AlignLeft | Qt::AlignVCenter,
        smallMetrics.elidedText(m_subtitle, Qt::ElideRight, m_size.width() - 24));

    // Ports.
    const QFont portFont = scaledFont(baseFont, 0.92);
    const QFontMetricsF portMetrics(portFont);
    const auto drawPort = [&](const QString &port, const QString &type, const QString &hint,
                              bool isInput, bool connected) {
        const QPointF c = portPos(port, isInput);
        const QColor colour = pal.typeColor(type);
        const bool hot = port == m_hoverPort && isInput == m_hoverInput;
        const qreal r = hot ? kPortRadius + 2 : kPortRadius;
        painter->setPen(QPen(connected ? colour.darker(115) : colour, 1.6));
        painter->setBrush(connected || hot ? colour : pal.nodeBody);
        if (port == activatePortName()) {
            QPolygonF diamond;
            diamond << c + QPointF(0, -r - 1) << c + QPointF(r + 1, 0) << c + QPointF(0, r + 1)
                    << c + QPointF(-r - 1, 0);
            painter->drawPolygon(diamond);
        } else {
            painter->drawEllipse(c, r, r);
        }
        const qreal inner = m_size.width() - 2 * 14;
        const QString label = portLabel(port);
        const qreal labelWidth
            = std::min(portMetrics.horizontalAdvance(label), hint.isEmpty() ? inner : inner * 0.6);
        const QRectF row(14, c.y() - kRow / 2, inner, kRow);
        painter->setFont(portFont);
        painter->setPen(pal.text);
        const Qt::Alignment align = (isInput ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter;
        painter->drawText(row, align, portMetrics.elidedText(label, Qt::ElideRight, labelWidth));
        if (!hint.isEmpty()) {
            const qreal hintWidth = inner - labelWidth - 10;
            painter->setFont(smallFont);
            painter->setPen(pal.mutedText);
            const Qt::Alignment hintAlign
                = (isInput ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter;
            painter->drawText(row, hintAlign,
                              smallMetrics.elidedText(hint, Qt::ElideRight, hintWidth));
        }
    };
    for (int i = 0; i < m_inPorts.size(); ++i) {
        drawPort(m_inPorts[i], m_inTypes.value(i), m_inHints.value(i), true,
                 m_connectedIn.contains(m_inPorts[i]));
    }
    for (int i = 0; i < m_outPorts.size(); ++i) {
        const bool connected = m_kind == GraphNodeKind::FlowInputs
                                   ? m_connectedIn.contains(m_outPorts[i])
                                   : m_outputConnected;
        drawPort(m_outPorts[i], m_outTypes.value(i), m_outHints.value(i), false, connected);
    }
    if (m_inPorts.isEmpty() && m_outPorts.isEmpty()) {
        painter->setFont(smallFont);
        painter->setPen(pal.mutedText);
        painter->drawText(QRectF(0, kHeader, m_size.width(), kRow), Qt::AlignCenter, tr("(none)"));
    }
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemPositionHasChanged) {
        if (auto *flowScene = qobject_cast<FlowScene *>(scene())) {
            flowScene->nodeItemMoved(this);
        }
    }
    return QGraphicsItem::itemChange(change, value);
}

void NodeItem::hoverMoveEvent(QGraphicsSceneHoverEvent *event)
{
    const PortHit hit = portAt(event->pos());
    setHighlightedPort(hit.port, hit.isInput);
    setCursor(hit.isValid() ? Qt::CrossCursor : Qt::ArrowCursor);
    QGraphicsItem::hoverMoveEvent(event);
}

void NodeItem::hoverLeaveEvent(QGraphicsSceneHoverEvent *event)
{
    setHighlightedPort({}, false);
    unsetCursor();
    QGraphicsItem::hoverLeaveEvent(event);
}

} // namespace fb::ui
