#include <ui/editor/jinjahighlighter.h>

#include <QGuiApplication>
#include <QPalette>
#include <QRegularExpression>
#include <QSet>

namespace fb::ui {

namespace {

const QRegularExpression &roleLine()
{
    static const QRegularExpression re(
        QStringLiteral("^\\s*#?\\s*(system|user|assistant|function|tool)\\s*:\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QSet<QString> &keywords()
{
    static const QSet<QString> words{
        QStringLiteral("for"),     QStringLiteral("endfor"),   QStringLiteral("in"),
        QStringLiteral("if"),      QStringLiteral("elif"),     QStringLiteral("else"),
        QStringLiteral("endif"),   QStringLiteral("set"),      QStringLiteral("endset"),
        QStringLiteral("macro"),   QStringLiteral("endmacro"), QStringLiteral("call"),
        QStringLiteral("endcall"), QStringLiteral("filter"),   QStringLiteral("endfilter"),
        QStringLiteral("raw"),     QStringLiteral("endraw"),   QStringLiteral("with"),
        QStringLiteral("endwith"), QStringLiteral("not"),      QStringLiteral("and"),
        QStringLiteral("or"),      QStringLiteral("is"),       QStringLiteral("true"),
        QStringLiteral("false"),   QStringLiteral("none"),     QStringLiteral("True"),
        QStringLiteral("False"),   QStringLiteral("None"),     QStringLiteral("loop"),
        QStringLiteral("block"),   QStringLiteral("endblock"), QStringLiteral("include"),
        QStringLiteral("import"),  QStringLiteral("from"),     QStringLiteral("recursive"),
    };
    return words;
}

QTextCharFormat makeFormat(const QColor &colour, bool bold = false, bool italic = false)
{
    QTextCharFormat f;
    f.setForeground(colour);
    if (bold) {
        f.setFontWeight(QFont::Bold);
    }
    f.setFontItalic(italic);
    return f;
}

} // namespace

JinjaHighlighter::JinjaHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    const bool dark = QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
    m_delimiter = makeFormat(dark ? QColor(0xc6, 0x78, 0xdd) : QColor(0x8e, 0x3c, 0xb0), true);
    m_keyword = makeFormat(dark ? QColor(0x61, 0xaf, 0xef) : QColor(0x1f, 0x5f, 0xbf), true);
    m_variable = makeFormat(dark ? QColor(0x56, 0xc8, 0xd8) : QColor(0x00, 0x6e, 0x7f));
    m_string = makeFormat(dark ? QColor(0x98, 0xc3, 0x79) : QColor(0x3b, 0x7d, 0x23));
    m_number = makeFormat(dark ? QColor(0xd1, 0x9a, 0x66) : QColor(0xa6, 0x5e, 0x00));
    m_filter = makeFormat(dark ? QColor(0xe5, 0xc0, 0x7b) : QColor(0xb0, 0x5a, 0x00), false, true);
    m_comment = makeFormat(dark ? QColor(0x7f, 0x84, 0x8e) : QColor(0x8a, 0x8f, 0x98), false, true);
    m_operator = makeFormat(dark ? QColor(0xab, 0xb2, 0xbf) : QColor(0x55, 0x5b, 0x66));
    m_role = makeFormat(dark ? QColor(0xff, 0x8f, 0x70) : QColor(0xc2, 0x41, 0x0c), true);
    m_role.setBackground(dark ? QColor(0x3a, 0x2a, 0x25) : QColor(0xfd, 0xef, 0xe8));
}

QTextCharFormat JinjaHighlighter::format(Kind kind) const
{
    switch (kind) {
    case Kind::Delimiter:
        return m_delimiter;
    case Kind::Keyword:
        return m_keyword;
    case Kind::Variable:
        return m_variable;
    case Kind::String:
        return m_string;
    case Kind::Number:
        return m_number;
    case Kind::Filter:
        return m_filter;
    case Kind::Comment:
        return m_comment;
    case Kind::Role:
        return m_role;
    case Kind::Operator:
        return m_operator;
    }
    return {};
}

void JinjaHighlighter::highlightBlock(const QString &text)
{
    State state = State(std::max(0, previousBlockState()));
    if (state == Text && roleLine().match(text).hasMatch()) {
        setFormat(0, int(text.size()), m_role);
        setCurrentBlockState(Text);
        return;
    }
    int i = 0;
    const int n = int(text.size());
    while (i < n) {
        if (state == Text) {
            int best = -1;
            State opened = Text;
            for (const auto &[open, s] : {std::pair{QStringLiteral("{{"), InExpression},
                                          std::pair{QStringLiteral("{%"), InStatement},
                                          std::pair{QStringLiteral("{#"), InComment}}) {
                const int pos = int(text.indexOf(open, i));
                if (pos >= 0 && (best < 0 || pos < best)) {
                    best = pos;
                    opened = s;
                }
            }
            if (best < 0) {
                break;
            }
            int length = 2;
            if (best + 2 < n && (text[best + 2] == '-' || text[best + 2] == '+')) {
                length = 3;
            }
            setFormat(best, length, opened == InComment ? m_comment : m_delimiter);
            i = best + length;
            state = opened;
            continue;
        }
        if (state == InComment) {
            const int end = int(text.indexOf(QLatin1String("#}"), i));
            if (end < 0) {
                setFormat(i, n - i, m_comment);
                i = n;
            } else {
                setFormat(i, end + 2 - i, m_comment);
                i = end + 2;
                state = Text;
            }
            continue;
        }
        State next = state;
        i = highlightInsideTag(text, i, state, &next);
        state = next;
    }
    setCurrentBlockState(state);
}

int JinjaHighlighter::highlightInsideTag(const QString &text, int from, State state, State *next)
{
    const QChar close = state == InExpression ? QLatin1Char('}') : QLatin1Char('%');
    const int n = int(text.size());
    int i = from;
    bool afterPipe = false;
    while (i < n) {
        const QChar c = text[i];
        // Closing delimiter, with optional whitespace control.
        if ((c == '-' || c == '+') && i + 2 < n && text[i + 1] == close && text[i + 2] == '}') {
            setFormat(i, 3, m_delimiter);
            *next = Text;
            return i + 3;
        }
        if (c == close && i + 1 < n && text[i + 1] == '}') {
            setFormat(i, 2, m_delimiter);
            *next = Text;
            return i + 2;
        }
        if (c == '"' || c == '\'') {
            int j = i + 1;
            while (j < n && text[j] != c) {
                j += text[j] == '\\' ? 2 : 1;
            }
            j = std::min(j + 1, n);
            setFormat(i, j - i, m_string);
            i = j;
            continue;
        }
        if (c.isDigit()) {
            int j = i;
            while (j < n && (text[j].isDigit() || text[j] == '.')) {
                ++j;
            }
            setFormat(i, j - i, m_number);
            i = j;
            continue;
        }
        if (c.isLetter() || c == '_') {
            int j = i;
            while (j < n && (text[j].isLetterOrNumber() || text[j] == '_')) {
                ++j;
            }
            const QString word = text.mid(i, j - i);
            if (afterPipe) {
                setFormat(i, j - i, m_filter);
                afterPipe = false;
            } else if (keywords().contains(word)) {
                setFormat(i, j - i, m_keyword);
            } else {
                setFormat(i, j - i, m_variable);
            }
            i = j;
            continue;
        }
        if (c == '|') {
            afterPipe = true;
            setFormat(i, 1, m_operator);
        } else if (!c.isSpace()) {
            setFormat(i, 1, m_operator);
        }
        ++i;
    }
    *next = state;
    return n;
}

} // namespace fb::ui
