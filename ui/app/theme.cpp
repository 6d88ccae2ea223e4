#include <ui/app/theme.h>

#include <QApplication>
#include <QStyleFactory>

namespace fb::ui {

namespace {

QPalette s_systemPalette;
bool s_captured = false;

bool paletteIsDark(const QPalette &p) { return p.color(QPalette::Window).lightness() < 128; }

} // namespace

void Theme::captureSystemPalette()
{
    if (!s_captured) {
        s_systemPalette = QApplication::palette();
        s_captured = true;
    }
}

QPalette Theme::lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xf3, 0xf4, 0xf6));
    p.setColor(QPalette::WindowText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::Base, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::AlternateBase, QColor(0xf6, 0xf8, 0xfa));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf2));
    p.setColor(QPalette::ToolTipText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x95, 0x9f));
    p.setColor(QPalette::Text, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::Button, QColor(0xf6, 0xf8, 0xfa));
    p.setColor(QPalette::ButtonText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::Midlight, QColor(0xe4, 0xe7, 0xeb));
    p.setColor(QPalette::Mid, QColor(0xc9, 0xcf, 0xd6));
    p.setColor(QPalette::Dark, QColor(0xa0, 0xa8, 0xb2));
    p.setColor(QPalette::Shadow, QColor(0x6e, 0x77, 0x81));
    p.setColor(QPalette::Highlight, QColor(0x25, 0x63, 0xeb));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x1d, 0x4e, 0xd8));
    p.setColor(QPalette::LinkVisited, QColor(0x6d, 0x28, 0xd9));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        p.setColor(QPalette::Disabled, role, QColor(0x9a, 0xa1, 0xa9));
    }
    return p;
}

QPalette Theme::darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x1e, 0x20, 0x24));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::Base, QColor(0x16, 0x18, 0x1b));
    p.setColor(QPalette::AlternateBase, QColor(0x22, 0x25, 0x2a));
    p.setColor(QPalette::ToolTipBase, QColor(0x2b, 0x2e, 0x34));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::PlaceholderText, QColor(0x7d, 0x85, 0x90));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::Button, QColor(0x2a, 0x2d, 0x33));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x3a, 0x3e, 0x45));
    p.setColor(QPalette::Midlight, QColor(0x32, 0x36, 0x3c));
    p.setColor(QPalette::Mid, QColor(0x26, 0x29, 0x2e));
    p.setColor(QPalette::Dark, QColor(0x12, 0x13, 0x16));
    p.setColor(QPalette::Shadow, QColor(0x08, 0x09, 0x0a));
    p.setColor(QPalette::Highlight, QColor(0x3b, 0x82, 0xf6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x60, 0xa5, 0xfa));
    p.setColor(QPalette::LinkVisited, QColor(0xa7, 0x8b, 0xfa));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        p.setColor(QPalette::Disabled, role, QColor(0x6b, 0x72, 0x7b));
    }
    return p;
}

void Theme::apply(AppSettings::Theme choice)
{
    captureSystemPalette();
    if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion"))) {
        QApplication::setStyle(fusion);
    }
    bool dark = false;
    switch (choice) {
    case AppSettings::Theme::Light:
        dark = false;
        break;
    case AppSettings::Theme::Dark:
        dark = true;
        break;
    case AppSettings::Theme::System:
        dark = paletteIsDark(s_systemPalette);
        break;
    }
    QApplication::setPalette(dark ? darkPalette() : lightPalette());
    // Fusion draws text-field frames a shade darker than the window, which on the dark
    // palette is as dark as the field itself: the fields lose their borders. Give them one.
    if (auto *app = qobject_cast<QApplication *>(QCoreApplication::instance())) {
        app->setStyleSheet(
            dark ? QStringLiteral("QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox "
                                  "{ border: 1px solid #4b515b; border-radius: 2px; }"
                                  "QListView, QTableView, QTreeView "
                                  "{ border: 1px solid #4b515b; }"
                                  "QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, "
                                  "QAbstractSpinBox:focus { border-color: #3b82f6; }")
                 : QString());
    }
}

bool Theme::isDark() { return paletteIsDark(QApplication::palette()); }

QColor Theme::accent() { return QApplication::palette().color(QPalette::Highlight); }

QColor Theme::success() { return isDark() ? QColor(0x4a, 0xde, 0x80) : QColor(0x15, 0x80, 0x3d); }

QColor Theme::warning() { return isDark() ? QColor(0xfb, 0xbf, 0x24) : QColor(0xb4, 0x53, 0x09); }

QColor Theme::error() { return isDark() ? QColor(0xf8, 0x71, 0x71) : QColor(0xb9, 0x1c, 0x1c); }

} // namespace fb::ui
