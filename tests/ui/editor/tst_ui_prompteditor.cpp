// The prompt editor (live preview, error underline), the Jinja highlighter, the line diff
// and the variant diff dialog.

#include <core/flow/flowloader.h>
#include <ui/editor/floweditorwidget.h>
#include <ui/editor/jinjahighlighter.h>
#include <ui/editor/linediff.h>
#include <ui/editor/prompteditor.h>
#include <ui/editor/variantdiffdialog.h>

#include <QPlainTextDocumentLayout>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextLayout>
#include <QUndoStack>

using namespace fb;
using namespace fb::ui;

namespace {

QString flowDir(const QString &name) { return QStringLiteral(FB_SOURCE_DIR "/flows/") + name; }

/// The character format the highlighter gave position `pos` of the first block.
QTextCharFormat formatAt(const QTextBlock &block, int pos)
{
    for (const QTextLayout::FormatRange &range : block.layout()->formats()) {
        if (pos >= range.start && pos < range.start + range.length) {
            return range.format;
        }
    }
    return {};
}

} // namespace

class TestPromptEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Any warning fails, except the offscreen platform's note when a window is shown.
    void init()
    {
        QTest::failOnWarning(QRegularExpression(
            QStringLiteral("^(?!This plugin does not support propagateSizeHints).*")));
    }

    void previewFollowsEditsAndSampleInputs();
    void templateErrorIsUnderlined_data();
    void templateErrorIsUnderlined();
    void highlighter_data();
    void highlighter();
    void highlighterCarriesStateAcrossLines();
    void lineDiff_data();
    void lineDiff();
    void variantDiffMarksDifferences();
};

void TestPromptEditor::previewFollowsEditsAndSampleInputs()
{
    FlowEditorWidget w;
    QString error;
    QVERIFY2(w.openFlow(flowDir(QStringLiteral("chat")), &error), qPrintable(error));
    auto *editor = qobject_cast<PromptEditor *>(w.promptEditor());
    QVERIFY(editor);
    QCOMPARE(editor->fileName(), QStringLiteral("chat.jinja2"));
    // The default of the question input fills the preview.
    QVERIFY2(editor->previewText().contains(QStringLiteral("What can you help me with?")),
             qPrintable(editor->previewText()));
    QVERIFY(editor->previewText().contains(QStringLiteral("SYSTEM")));
    QVERIFY(editor->errorMessage().isEmpty());

    w.setSampleInputs(Value({{"question", "Where is my parcel?"}}));
    QVERIFY(editor->previewText().contains(QStringLiteral("Where is my parcel?")));
    QVERIFY(!editor->previewText().contains(QStringLiteral("What can you help me with?")));

    // Type into the editor: the preview follows after the pause, and the flow is modified.
    QSignalSpy updated(editor, &PromptEditor::previewUpdated);
    QPlainTextEdit *edit = editor->textEdit();
    QTextCursor cursor(edit->document());
    cursor.movePosition(QTextCursor::End);
    edit->setTextCursor(cursor);
    QTest::keyClick(edit, Qt::Key_Return);
    QTest::keyClicks(edit, QStringLiteral("Always answer in French."));
    QVERIFY(updated.wait(2000));
    QVERIFY(editor->previewText().contains(QStringLiteral("Always answer in French.")));
    QVERIFY(w.isModified());
    // The typing is a step of the flow's one undo history, named after the template.
    QVERIFY(w.undoStack()->count() > 0);
    QVERIFY2(w.undoStack()->undoText().contains(QStringLiteral("chat.jinja2")),
             qPrintable(w.undoStack()->undoText()));
    // Ctrl+Z in the editor takes the text back, step by step, through that history.
    while (w.undoStack()->canUndo()) {
        QTest::keyClick(edit, Qt::Key_Z, Qt::ControlModifier);
    }
    editor->refreshPreview();
    QVERIFY(!editor->previewText().contains(QStringLiteral("Always answer in French.")));
    QVERIFY(!w.isModified());
}

void TestPromptEditor::templateErrorIsUnderlined_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("line");
    QTest::newRow("stray-endfor") << "# user:\nhello\n{% endfor %}\nyes\n" << 3;
    QTest::newRow("bad-expression") << "# system:\nok\n# user:\n{{ x + }}\n" << 4;
    QTest::newRow("unknown-filter") << "# user:\n{{ x | nosuchfilter }}\n" << 2;
}

void TestPromptEditor::templateErrorIsUnderlined()
{
    QFETCH(QString, text);
    QFETCH(int, line);
    PromptEditor editor;
    QTextDocument doc;
    doc.setDocumentLayout(new QPlainTextDocumentLayout(&doc));
    doc.setPlainText(text);
    editor.setTemplate(&doc, QStringLiteral("t.jinja2"), true, Value({{"x", "1"}}));
    QVERIFY2(!editor.errorMessage().isEmpty(), qPrintable(editor.previewText()));
    QCOMPARE(editor.errorLine(), line);
    const QList<QTextEdit::ExtraSelection> marks = editor.textEdit()->extraSelections();
    QCOMPARE(marks.size(), 1);
    QCOMPARE(marks.front().cursor.blockNumber(), line - 1);
    QCOMPARE(marks.front().format.underlineStyle(), QTextCharFormat::WaveUnderline);
    // Fixing the template clears the mark.
    doc.setPlainText(QStringLiteral("# user:\n{{ x }}\n"));
    editor.refreshPreview();
    QCOMPARE(editor.errorLine(), 0);
    QVERIFY(editor.textEdit()->extraSelections().isEmpty());
    QVERIFY(editor.previewText().contains(QStringLiteral("USER")));
}

void TestPromptEditor::highlighter_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("pos");
    QTest::addColumn<int>("kind");
    using K = JinjaHighlighter::Kind;
    QTest::newRow("role-line") << "# system:" << 3 << int(K::Role);
    QTest::newRow("bare-role-line") << "assistant:" << 0 << int(K::Role);
    QTest::newRow("heading-not-role") << "# Example" << 2 << -1;
    QTest::newRow("expression-open") << "Hi {{ name }}" << 3 << int(K::Delimiter);
    QTest::newRow("expression-variable") << "Hi {{ name }}" << 6 << int(K::Variable);
    QTest::newRow("filter") << "{{ name | upper }}" << 10 << int(K::Filter);
    QTest::newRow("keyword") << "{% for x in items %}" << 3 << int(K::Keyword);
    QTest::newRow("string") << "{% if a == 'b' %}" << 11 << int(K::String);
    QTest::newRow("number") << "{{ 42 }}" << 3 << int(K::Number);
    QTest::newRow("comment") << "a {# note #} b" << 5 << int(K::Comment);
    QTest::newRow("text-after-comment") << "a {# note #} b" << 13 << -1;
    QTest::newRow("trim-close") << "{{- x -}}" << 6 << int(K::Delimiter);
}

void TestPromptEditor::highlighter()
{
    QFETCH(QString, line);
    QFETCH(int, pos);
    QFETCH(int, kind);
    QTextDocument doc;
    auto *highlighter = new JinjaHighlighter(&doc);
    doc.setPlainText(line);
    highlighter->rehighlight();
    const QTextCharFormat got = formatAt(doc.firstBlock(), pos);
    if (kind < 0) {
        QVERIFY(got == QTextCharFormat());
        return;
    }
    const QTextCharFormat expected = highlighter->format(JinjaHighlighter::Kind(kind));
    QCOMPARE(got.foreground().color(), expected.foreground().color());
    QCOMPARE(got.fontWeight(), expected.fontWeight());
}

void TestPromptEditor::highlighterCarriesStateAcrossLines()
{
    QTextDocument doc;
    auto *highlighter = new JinjaHighlighter(&doc);
    doc.setPlainText(QStringLiteral("{# a comment\nstill comment #}\n{{ x\n| upper }}\ntext"));
    highlighter->rehighlight();
    QTextBlock block = doc.firstBlock();
    QCOMPARE(block.userState(), int(JinjaHighlighter::InComment));
    block = block.next();
    QCOMPARE(formatAt(block, 2).foreground().color(),
             highlighter->format(JinjaHighlighter::Kind::Comment).foreground().color());
    QCOMPARE(block.userState(), int(JinjaHighlighter::Text));
    block = block.next();
    QCOMPARE(block.userState(), int(JinjaHighlighter::InExpression));
    block = block.next();
    QCOMPARE(formatAt(block, 2).foreground().color(),
             highlighter->format(JinjaHighlighter::Kind::Filter).foreground().color());
    QCOMPARE(block.userState(), int(JinjaHighlighter::Text));
}

void TestPromptEditor::lineDiff_data()
{
    QTest::addColumn<QStringList>("left");
    QTest::addColumn<QStringList>("right");
    QTest::addColumn<QString>("kinds"); // one letter per row: S same, C changed, R removed, A added
    QTest::newRow("equal") << QStringList{"a", "b"} << QStringList{"a", "b"} << "SS";
    QTest::newRow("changed-middle")
        << QStringList{"a", "b", "c"} << QStringList{"a", "x", "c"} << "SCS";
    QTest::newRow("added-end") << QStringList{"a"} << QStringList{"a", "b", "c"} << "SAA";
    QTest::newRow("removed-start") << QStringList{"x", "a"} << QStringList{"a"} << "RS";
    QTest::newRow("empty-left") << QStringList{} << QStringList{"a"} << "A";
}

void TestPromptEditor::lineDiff()
{
    QFETCH(QStringList, left);
    QFETCH(QStringList, right);
    QFETCH(QString, kinds);
    const QList<LineDiff::Row> rows = LineDiff::compare(left, right);
    QString got;
    for (const auto &row : rows) {
        switch (row.kind) {
        case LineDiff::Row::Kind::Same:
            got += 'S';
            break;
        case LineDiff::Row::Kind::Changed:
            got += 'C';
            break;
        case LineDiff::Row::Kind::Removed:
            got += 'R';
            break;
        case LineDiff::Row::Kind::Added:
            got += 'A';
            break;
        }
    }
    QCOMPARE(got, kinds);
    QCOMPARE(LineDiff::differenceCount(rows), int(kinds.size() - kinds.count('S')));
}

void TestPromptEditor::variantDiffMarksDifferences()
{
    auto flow = FlowLoader::load((flowDir(QStringLiteral("classification"))).toStdString());
    QVERIFY(flow.has_value());
    const QString dir = flowDir(QStringLiteral("classification"));
    const auto text = [dir](const QString &rel) {
        QFile f(dir + QLatin1Char('/') + rel);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    };
    VariantDiffDialog dialog(*flow, QStringLiteral("classify"), text, QStringLiteral("variant_0"),
                             QStringLiteral("variant_1"));
    const QList<LineDiff::Row> &rows = dialog.rows();
    QVERIFY(LineDiff::differenceCount(rows) > 0);
    bool modelChanged = false;
    bool examplesAdded = false;
    for (const auto &row : rows) {
        if (row.kind == LineDiff::Row::Kind::Changed && row.left == "model: gpt-4o-mini"
            && row.right == "model: gpt-4o") {
            modelChanged = true;
        }
        if (row.right == "examples: ${inputs.examples}" && row.kind != LineDiff::Row::Kind::Same) {
            examplesAdded = true;
        }
    }
    QVERIFY(modelChanged);
    QVERIFY(examplesAdded);
    VariantDiffDialog same(*flow, QStringLiteral("classify"), text, QStringLiteral("variant_0"),
                           QStringLiteral("variant_0"));
    QCOMPARE(LineDiff::differenceCount(same.rows()), 0);
}

QTEST_MAIN(TestPromptEditor)
#include "tst_ui_prompteditor.moc"
