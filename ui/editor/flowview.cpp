#include <ui/editor/flowview.h>

#include <ui/editor/editorpalette_p.h>

#include <QEvent>
#include <QGraphicsItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QScrollBar>
#include <QWheelEvent>

#include <cmath>

namespace fb::ui {

namespace {
constexpr qreal kMinZoom = 0.15;
constexpr qreal kMaxZoom = 3.0;
constexpr qreal kGrid = 20;
constexpr qreal kReadableZoom = 0.75;
constexpr qreal kFitMargin = 40;
} // namespace

FlowView::FlowView(QWidget *parent)
    : QGraphicsView(parent)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing
                   | QPainter::SmoothPixmapTransform);
    setDragMode(QGraphicsView::RubberBandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus);
    setSceneRect(-50000, -50000, 100000, 100000);
    setAccessibleName(tr("Flow graph"));
}

void FlowView::changeEvent(QEvent *event)
{
    QGraphicsView::changeEvent(event);
    if (event->type() == QEvent::LanguageChange) {
        setAccessibleName(tr("Flow graph"));
    }
    if (event->type() == QEvent::PaletteChange && scene()) {
        // Node items cache their pixels: a new palette (light/dark) must repaint every one.
        const QList<QGraphicsItem *> all = scene()->items();
        for (QGraphicsItem *item : all) {
            item->update();
        }
        resetCachedContent();
        viewport()->update();
    }
}

qreal FlowView::zoom() const { return transform().m11(); }

void FlowView::zoomBy(qreal factor)
{
    const qreal target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    const qreal applied = target / zoom();
    scale(applied, applied);
}

void FlowView::fitToView()
{
    if (!scene()) {
        return;
    }
    QRectF bounds = scene()->itemsBoundingRect();
    if (bounds.isEmpty()) {
        return;
    }
    bounds.adjust(-kFitMargin, -kFitMargin, kFitMargin, kFitMargin);
    const ViewportAnchor anchor = transformationAnchor();
    setTransformationAnchor(QGraphicsView::NoAnchor);
    fitInView(bounds, Qt::KeepAspectRatio);
    if (zoom() > 1.0) {
        resetTransform();
    } else if (zoom() < kMinZoom) {
        const qreal s = kMinZoom / zoom();
        scale(s, s);
    }
    centerOn(bounds.center());
    setTransformationAnchor(anchor);
}

void FlowView::fitForReading()
{
    fitToView();
    if (!scene() || zoom() >= kReadableZoom) {
        return;
    }
    const QRectF bounds
        = scene()->itemsBoundingRect().adjusted(-kFitMargin, -kFitMargin, kFitMargin, kFitMargin);
    const ViewportAnchor anchor = transformationAnchor();
    setTransformationAnchor(QGraphicsView::NoAnchor);
    resetTransform();
    scale(kReadableZoom, kReadableZoom);
    const QSizeF visible = QSizeF(viewport()->size()) / kReadableZoom;
    // Keep the vertical centre when the height fits; otherwise start at the top-left corner.
    const qreal x = bounds.left() + visible.width() / 2;
    const qreal y = bounds.height() <= visible.height() ? bounds.center().y()
                                                        : bounds.top() + visible.height() / 2;
    centerOn(QPointF(x, y));
    setTransformationAnchor(anchor);
}

void FlowView::centerOnItem(const QGraphicsItem *item)
{
    if (item) {
        centerOn(item->sceneBoundingRect().center());
    }
}

void FlowView::drawBackground(QPainter *painter, const QRectF &rect)
{
    const EditorPalette pal = EditorPalette::forPalette(palette());
    painter->fillRect(rect, pal.canvas);
    if (zoom() < 0.35) {
        return;
    }
    const qreal left = std::floor(rect.left() / kGrid) * kGrid;
    const qreal top = std::floor(rect.top() / kGrid) * kGrid;
    QVector<QPointF> minor;
    QVector<QPointF> major;
    for (qreal x = left; x < rect.right(); x += kGrid) {
        for (qreal y = top; y < rect.bottom(); y += kGrid) {
            const bool isMajor = std::fmod(std::abs(x), kGrid * 5) < 0.5
                                 && std::fmod(std::abs(y), kGrid * 5) < 0.5;
            (isMajor ? major : minor).append(QPointF(x, y));
        }
    }
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(QPen(pal.gridMajor, 2.0 / zoom()));
    painter->drawPoints(major.constData(), int(major.size()));
    painter->setPen(QPen(pal.gridMinor.darker(pal.dark ? 70 : 104), 1.5 / zoom()));
    painter->drawPoints(minor.constData(), int(minor.size()));
}

void FlowView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const qreal steps = event->angleDelta().y() / 120.0;
        zoomBy(std::pow(1.15, steps));
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void FlowView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton || (m_spaceHeld && event->button() == Qt::LeftButton)) {
        m_panning = true;
        m_lastPan = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void FlowView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        const QPoint delta = event->position().toPoint() - m_lastPan;
        m_lastPan = event->position().toPoint();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void FlowView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning) {
        m_panning = false;
        viewport()->setCursor(m_spaceHeld ? Qt::OpenHandCursor : Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void FlowView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        viewport()->setCursor(Qt::OpenHandCursor);
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_F && event->modifiers() == Qt::NoModifier) {
        fitToView();
        event->accept();
        return;
    }
    if (event->modifiers() & Qt::ControlModifier) {
        if (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal) {
            zoomBy(1.2);
            event->accept();
            return;
        }
        if (event->key() == Qt::Key_Minus) {
            zoomBy(1 / 1.2);
            event->accept();
            return;
        }
        if (event->key() == Qt::Key_0) {
            resetTransform();
            event->accept();
            return;
        }
    }
    QGraphicsView::keyPressEvent(event);
}

void FlowView::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        if (!m_panning) {
            viewport()->unsetCursor();
        }
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

} // namespace fb::ui
