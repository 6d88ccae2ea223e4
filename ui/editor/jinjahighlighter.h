#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace fb::ui {

/// Highlights Jinja2 prompt templates: `{{ }}`, `{% %}` (keywords, strings, numbers,
/// `| filters`) and `{# #}` comments, also across lines, and promptflow chat role lines
/// (`system:`, `# user:`, `assistant:` ...). Colours follow the application palette (light or
/// dark). Used when KSyntaxHighlighting (KF6) is not available.
class JinjaHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit JinjaHighlighter(QTextDocument *document);

    /// Block states, exposed for tests.
    enum State { Text = 0, InComment = 1, InExpression = 2, InStatement = 3 };

    enum class Kind {
        Delimiter,
        Keyword,
        Variable,
        String,
        Number,
        Filter,
        Comment,
        Role,
        Operator
    };
    [[nodiscard]] QTextCharFormat format(Kind kind) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    int highlightInsideTag(const QString &text, int from, State state, State *next);

    QTextCharFormat m_delimiter;
    QTextCharFormat m_keyword;
    QTextCharFormat m_variable;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_filter;
    QTextCharFormat m_comment;
    QTextCharFormat m_role;
    QTextCharFormat m_operator;
};

} // namespace fb::ui
