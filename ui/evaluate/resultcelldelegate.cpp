#include <ui/evaluate/resultcelldelegate.h>

#include <QPainter>
#include <QStyle>

#include <algorithm>

namespace fb::ui {

void ResultCellDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    // The view has painted the row's (alternating) background already.
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = !(option.state & QStyle::State_Enabled) ? QPalette::Disabled
                                       : option.state & QStyle::State_Active   ? QPalette::Normal
                                                                               : QPalette::Inactive;
    if (selected) {
        painter->fillRect(option.rect, option.palette.brush(group, QPalette::Highlight));
    }
    QString text = index.data(Qt::DisplayRole).toString();
    if (text.isEmpty()) {
        return;
    }
    QColor color
        = option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    if (!selected) {
        if (const QVariant brush = index.data(Qt::ForegroundRole); brush.canConvert<QBrush>()) {
            color = brush.value<QBrush>().color();
        }
    }
    const QVariant align = index.data(Qt::TextAlignmentRole);
    const Qt::Alignment alignment = QStyle::visualAlignment(
        option.direction,
        align.isValid() ? Qt::Alignment(align.toInt()) : Qt::AlignLeft | Qt::AlignVCenter);
    const int margin = option.fontMetrics.horizontalAdvance(QLatin1Char(' '));
    const QRect area = option.rect.adjusted(margin, 0, -margin, 0);
    // Eliding shapes the whole string: give it only what could fit, three times the characters
    // of average width the cell holds.
    const int fits = 3 * area.width() / std::max(1, option.fontMetrics.averageCharWidth()) + 1;
    if (text.size() > fits) {
        text.truncate(fits);
    }
    painter->save();
    painter->setPen(color);
    painter->setFont(option.font);
    painter->drawText(area, int(alignment | Qt::AlignVCenter),
                      option.fontMetrics.elidedText(text, Qt::ElideRight, area.width()));
    painter->restore();
}

} // namespace fb::ui
