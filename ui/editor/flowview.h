#pragma once

#include <QGraphicsView>

namespace fb::ui {

/// The view on a FlowScene: antialiased, a dotted grid, zoom with Ctrl+wheel (and Ctrl+=/-),
/// pan with the middle button or Space+drag, rubber-band selection, and F to fit the flow.
class FlowView final : public QGraphicsView
{
    Q_OBJECT

public:
    explicit FlowView(QWidget *parent = nullptr);

    /// Fits the whole flow, never zooming in beyond 100 %.
    void fitToView();
    /// Like fitToView(), but never zooms out below a size where node text stays readable
    /// (75 %); a flow wider than that shows its start (the inputs) and is panned from there.
    void fitForReading();
    void zoomBy(qreal factor);
    [[nodiscard]] qreal zoom() const;
    void centerOnItem(const QGraphicsItem *item);

protected:
    void changeEvent(QEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;

private:
    bool m_panning = false;
    bool m_spaceHeld = false;
    QPoint m_lastPan;
};

} // namespace fb::ui
