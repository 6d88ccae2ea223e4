#include <ui/editor/editorpalette_p.h>

namespace fb::ui {

EditorPalette EditorPalette::forPalette(const QPalette &palette)
{
    EditorPalette p;
    p.dark = palette.color(QPalette::Window).lightness() < 128;
    if (p.dark) {
        p.canvas = QColor(0x1e, 0x1f, 0x22);
        p.gridMinor = QColor(0x27, 0x29, 0x2d);
        p.gridMajor = QColor(0x31, 0x33, 0x38);
        p.nodeBody = QColor(0x2b, 0x2d, 0x31);
        p.nodeBorder = QColor(0x45, 0x48, 0x50);
        p.shadow = QColor(0, 0, 0, 110);
        p.text = QColor(0xe6, 0xe7, 0xea);
        p.mutedText = QColor(0x9a, 0x9e, 0xa8);
        p.edge = QColor(0x8c, 0x93, 0xa3);
    } else {
        p.canvas = QColor(0xf4, 0xf5, 0xf7);
        p.gridMinor = QColor(0xe9, 0xeb, 0xef);
        p.gridMajor = QColor(0xdc, 0xdf, 0xe5);
        p.nodeBody = QColor(0xff, 0xff, 0xff);
        p.nodeBorder = QColor(0xc9, 0xce, 0xd6);
        p.shadow = QColor(0x1a, 0x23, 0x33, 38);
        p.text = QColor(0x1f, 0x23, 0x29);
        p.mutedText = QColor(0x6b, 0x72, 0x80);
        p.edge = QColor(0x7d, 0x86, 0x96);
    }
    p.headerText = QColor(0xff, 0xff, 0xff);
    p.accent = palette.color(QPalette::Highlight);
    if (p.accent.saturation() < 40) {
        p.accent = QColor(0x2f, 0x80, 0xed);
    }
    p.error = p.dark ? QColor(0xf2, 0x5c, 0x54) : QColor(0xd9, 0x2d, 0x20);
    p.warning = p.dark ? QColor(0xe8, 0xb3, 0x39) : QColor(0xc7, 0x8a, 0x00);
    return p;
}

QColor EditorPalette::typeColor(const QString &type) const
{
    QColor c;
    if (type == QLatin1String("string") || type == QLatin1String("prompt_template")) {
        c = QColor(0x3b, 0xa7, 0x76);
    } else if (type == QLatin1String("int") || type == QLatin1String("double")) {
        c = QColor(0x3b, 0x82, 0xd6);
    } else if (type == QLatin1String("bool") || type == QLatin1String("condition")) {
        c = QColor(0xd9, 0x6b, 0x2b);
    } else if (type == QLatin1String("list") || type == QLatin1String("string|list")) {
        c = QColor(0x9b, 0x5d, 0xd6);
    } else if (type == QLatin1String("object")) {
        c = QColor(0xc9, 0x4f, 0x8c);
    } else {
        c = QColor(0x8a, 0x91, 0x9e);
    }
    return dark ? c.lighter(118) : c;
}

QColor EditorPalette::headerColor(GraphNodeKind kind, const Node *node) const
{
    QColor c;
    if (kind != GraphNodeKind::Node || !node) {
        c = QColor(0x55, 0x5f, 0x6e);
    } else if (!node->unknownType.empty()) {
        c = QColor(0x7a, 0x7a, 0x7a);
    } else {
        switch (node->type) {
        case NodeType::Llm:
            c = QColor(0x4f, 0x5f, 0xd9);
            break;
        case NodeType::CustomLlm:
            c = QColor(0x7b, 0x4f, 0xd1);
            break;
        case NodeType::Prompt:
            c = QColor(0x16, 0x8f, 0x86);
            break;
        case NodeType::Python:
            c = QColor(0xc0, 0x76, 0x1c);
            break;
        }
    }
    return dark ? c.darker(112) : c;
}

} // namespace fb::ui
