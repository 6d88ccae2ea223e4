#pragma once

#include <core/flow/flow.h>
#include <ui/editor/graphtypes.h>

#include <QColor>
#include <QFont>
#include <QPalette>

#include <algorithm>

namespace fb::ui {

/// The flow editor's colours, derived from the widget palette so that light and dark
/// desktop themes both read well.
struct EditorPalette
{
    bool dark = false;
    QColor canvas;
    QColor gridMinor;
    QColor gridMajor;
    QColor nodeBody;
    QColor nodeBorder;
    QColor shadow;
    QColor text;
    QColor mutedText;
    QColor headerText;
    QColor accent;
    QColor error;
    QColor warning;
    QColor edge;

    [[nodiscard]] static EditorPalette forPalette(const QPalette &palette);
    /// Port and edge colour for a port type name ("string", "int", ...).
    [[nodiscard]] QColor typeColor(const QString &type) const;
    /// Header colour of a node.
    [[nodiscard]] QColor headerColor(GraphNodeKind kind, const fb::Node *node) const;
};

/// `font` scaled by `factor`, whether it is sized in points or pixels.
[[nodiscard]] inline QFont scaledFont(QFont font, qreal factor)
{
    if (font.pointSizeF() > 0) {
        font.setPointSizeF(font.pointSizeF() * factor);
    } else if (font.pixelSize() > 0) {
        font.setPixelSize(std::max(1, qRound(font.pixelSize() * factor)));
    }
    return font;
}

} // namespace fb::ui
