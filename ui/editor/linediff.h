#pragma once

#include <QList>
#include <QStringList>

namespace fb::ui {

/// A side-by-side line diff (longest common subsequence), aligned in rows: equal lines, lines
/// only on the left (removed), only on the right (added), and removed+added pairs shown as
/// changed rows. Pure computation; quadratic in the line counts (meant for templates).
class LineDiff
{
public:
    struct Row
    {
        enum class Kind { Same, Changed, Removed, Added };
        Kind kind = Kind::Same;
        QString left;  ///< empty for Added
        QString right; ///< empty for Removed
    };

    [[nodiscard]] static QList<Row> compare(const QStringList &left, const QStringList &right);
    /// Rows that are not Same.
    [[nodiscard]] static int differenceCount(const QList<Row> &rows);
};

} // namespace fb::ui
