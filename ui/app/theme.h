#pragma once

#include <ui/app/appsettings.h>

#include <QColor>
#include <QPalette>

namespace fb::ui {

/// Fusion style with a light or dark palette; "System" follows the desktop's palette as it was
/// when the application started. GUI thread only.
class Theme
{
public:
    /// Remembers the desktop's palette; call once before the first apply().
    static void captureSystemPalette();
    /// Sets the Fusion style and the palette for `choice`.
    static void apply(AppSettings::Theme choice);
    /// True when the palette in use is dark.
    [[nodiscard]] static bool isDark();

    [[nodiscard]] static QPalette lightPalette();
    [[nodiscard]] static QPalette darkPalette();

    /// Accent colours used by our own painting (status, mode bar), for the current palette.
    [[nodiscard]] static QColor accent();
    [[nodiscard]] static QColor success();
    [[nodiscard]] static QColor warning();
    [[nodiscard]] static QColor error();
};

} // namespace fb::ui
