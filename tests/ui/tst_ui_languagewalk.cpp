// The language switch at run time: one main window with a workspace, the classification sample
// and its dataset is walked in English, then switched to Polish and to Chinese while it runs.
// Every mode page and every tab is visited and every visible text collected (labels, buttons,
// group boxes, tabs, placeholders, combo items, item-view headers, graph item tooltips, menus).
// A text that stays as it was in English fails unless it is a name or data (product and
// protocol names, or words taken from the loaded flow and dataset); a text that the Chinese
// walk still shows as the Polish walk did fails as stale. Each failure names the widget and
// says whether the .ts files have a finished translation for it (then the code does not set
// it again) or not (then the translation is missing). FB_LANGUAGEWALK_DUMP=1 prints every
// text of each walk beside its English one.

#include <ui/app/languagemanager.h>
#include <ui/app/mainwindow.h>
#include <ui/app/uiresources.h>
#include <ui/experiment/experimentpage.h>
#include <ui/experiment/runpanel.h>
#include <ui/experiment/tracemodel.h>
#include <ui/initialize/datasetpreviewmodel.h>
#include <ui/initialize/datasetspanel.h>
#include <ui/initialize/initializepage.h>

#include <core/data/datasetinfo.h>
#include <core/eval/evaluatorregistry.h>
#include <core/flow/apiparameters.h>
#include <core/flow/flow.h>

#include "../common/tsfile.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPointer>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QTextEdit>
#include <QToolButton>

#include <algorithm>
#include <memory>

using fb::ui::MainWindow;

namespace {

/// One text seen on screen, and where.
struct Seen
{
    QString where;
    QString text;
};
/// Texts by object and property ("<address>:label", "<address>:item:3", …): one window, so the
/// same keys in every walk.
using Walk = QMap<QString, Seen>;

QString key(const void *object, const char *what, int index = -1)
{
    QString k = QStringLiteral("%1:%2").arg(quintptr(object), 0, 16).arg(QLatin1String(what));
    if (index >= 0) {
        k += QLatin1Char(':') + QString::number(index);
    }
    return k;
}

/// "QLabel in flowEditor", or the object's own name when it has one.
QString describe(const QObject *object)
{
    const auto nameOf = [](const QObject *o) {
        return o->objectName().isEmpty() ? QString::fromLatin1(o->metaObject()->className())
                                         : o->objectName();
    };
    QString text = nameOf(object);
    for (const QObject *p = object->parent(); p; p = p->parent()) {
        if (!p->objectName().isEmpty() && !p->objectName().startsWith(QLatin1String("qt_"))) {
            return QStringLiteral("%1 in %2").arg(text, p->objectName());
        }
    }
    return text;
}

QString plain(const QString &text, bool rich)
{
    if (!rich) {
        return text;
    }
    QTextDocument doc;
    doc.setHtml(text);
    return doc.toPlainText().simplified();
}

/// The words of a text: runs of letters, digits, '_', '.', '-' (so "gpt-4o-mini",
/// "classify.jinja2" and "max_tokens" stay whole) holding at least one Latin letter.
QStringList latinWords(QString text)
{
    static const QRegularExpression mnemonic(QStringLiteral("&(?=\\w)"));
    static const QRegularExpression word(QStringLiteral("[A-Za-z0-9_][A-Za-z0-9_.\\-]*"));
    static const QRegularExpression letter(QStringLiteral("[A-Za-z]"));
    text.remove(mnemonic);
    QStringList words;
    for (auto it = word.globalMatch(text); it.hasNext();) {
        QString w = it.next().captured();
        while (w.endsWith(QLatin1Char('.')) || w.endsWith(QLatin1Char('-'))) {
            w.chop(1);
        }
        if (w.contains(letter)) {
            words.append(w);
        }
    }
    return words;
}

/// The finished translations of a .ts file (any context), to say why a text stayed English.
class Translations
{
public:
    enum class Verdict { Missing, Translated, SameInTranslation };

    [[nodiscard]] bool load(const QString &file)
    {
        const bool read = fb::test::readTsFile(
            file, [this](const QString &source, const QString &text, bool finished) {
                if (finished && !text.isEmpty()) {
                    add(source, text);
                }
            });
        return read && !m_exact.isEmpty();
    }

    /// Whether `text` (as shown, arguments filled in) has a finished translation, and whether
    /// the translators kept it as it is ("Model" in Polish, a URL).
    [[nodiscard]] Verdict verdict(const QString &text) const
    {
        if (const auto it = m_exact.constFind(text); it != m_exact.cend()) {
            return *it == text ? Verdict::SameInTranslation : Verdict::Translated;
        }
        for (const auto &[pattern, same] : m_patterns) {
            if (pattern.match(text).hasMatch()) {
                return same ? Verdict::SameInTranslation : Verdict::Translated;
            }
        }
        return Verdict::Missing;
    }

private:
    void add(const QString &source, const QString &translation)
    {
        m_exact.insert(source, translation);
        // "Workspace %1" shows as "Workspace /tmp/…": match it with (.*) for each argument.
        static const QRegularExpression placeholder(QStringLiteral("%L?(\\d+|n)"));
        if (!source.contains(placeholder)) {
            return;
        }
        QString re;
        qsizetype at = 0;
        for (auto it = placeholder.globalMatch(source); it.hasNext();) {
            const auto m = it.next();
            re += QRegularExpression::escape(source.mid(at, m.capturedStart() - at))
                  + QStringLiteral("(.*)");
            at = m.capturedEnd();
        }
        re += QRegularExpression::escape(source.mid(at));
        m_patterns.append({QRegularExpression(QRegularExpression::anchoredPattern(re),
                                              QRegularExpression::DotMatchesEverythingOption),
                           translation == source});
    }

    QHash<QString, QString> m_exact;
    QList<QPair<QRegularExpression, bool>> m_patterns;
};

} // namespace

class TestLanguageWalk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("FLOWBENCH_SECRET_STORE", "file");
        QCoreApplication::setOrganizationName(QStringLiteral("FlowbenchTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_ui_languagewalk"));
        fb::ui::initResources();
        QSettings().clear();

        QVERIFY(m_tmp.isValid());
        const QString root = m_tmp.filePath(QStringLiteral("workspace"));
        const QString flowDir = QDir(root).filePath(QStringLiteral("classification"));
        QVERIFY(QDir().mkpath(flowDir));
        const QDir sample(QStringLiteral(FB_SOURCE_DIR "/flows/classification"));
        for (const QString &name : sample.entryList(QDir::Files)) {
            QVERIFY(QFile::copy(sample.filePath(name), QDir(flowDir).filePath(name)));
        }

        m_window = std::make_unique<MainWindow>(&m_language);
        QString error;
        QVERIFY2(m_window->openWorkspace(root, &error), qPrintable(error));
        fb::ui::DatasetsPanel *datasets = m_window->initializePage()->datasets();
        QSignalSpy preview(datasets, &fb::ui::DatasetsPanel::previewReady);
        QVERIFY2(m_window->openFlow(flowDir, &error), qPrintable(error));
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        // The dataset preview and the run panel's rows are read on pool threads.
        QTRY_VERIFY_WITH_TIMEOUT(preview.count() > 0, 10000);
        QCOMPARE(preview.last().at(1).toString(), QString());
        fb::ui::RunPanel *run = m_window->experimentPage()->runPanel();
        const auto rowsShown = [run] {
            for (QComboBox *combo : run->findChildren<QComboBox *>()) {
                if (combo->count() > 2) {
                    return true; // the row picker has the dataset's rows
                }
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(rowsShown(), 10000);
        settle();

        collectDataWords(root);
        m_english = walk();
        QVERIFY(!m_english.isEmpty());
        for (const QString &code : {QStringLiteral("pl"), QStringLiteral("zh_CN")}) {
            const QString ts = QStringLiteral(FB_SOURCE_DIR "/translations/flowbench_%1.ts");
            QVERIFY2(m_translations[code].load(ts.arg(code)), qPrintable(ts.arg(code)));
        }
    }

    void init()
    {
        // Every warning fails the test, except the offscreen platform's note about size hints.
        QTest::failOnWarning(QRegularExpression(
            QStringLiteral("^(?!This plugin does not support propagateSizeHints).*")));
    }

    void cleanupTestCase()
    {
        if (m_window) {
            m_language.apply(QStringLiteral("en"));
            settle();
            m_window.reset();
        }
    }

    void everyTextFollowsTheLanguage_data()
    {
        QTest::addColumn<QString>("code");
        // In this order: the Chinese row also checks that nothing Polish is left.
        QTest::newRow("polish") << QStringLiteral("pl");
        QTest::newRow("chinese") << QStringLiteral("zh_CN");
    }

    void everyTextFollowsTheLanguage()
    {
        QFETCH(QString, code);
        const bool chinese = code == QLatin1String("zh_CN");
        QStringList problems;
        if (chinese && !m_walks.contains(QStringLiteral("pl"))) {
            switchTo(QStringLiteral("pl"), nullptr); // run alone: Polish first, for the stale check
        }
        switchTo(code, &problems);
        if (QTest::currentTestFailed()) {
            return;
        }
        const Walk &now = m_walks.value(code);

        const Translations &translations = m_translations[code];
        for (auto it = now.cbegin(); it != now.cend(); ++it) {
            const QString &text = it->text;
            const auto english = m_english.constFind(it.key());
            if (english != m_english.cend() && english->text == text
                && !untranslatableWords(text).isEmpty()) {
                switch (translations.verdict(text)) {
                case Translations::Verdict::SameInTranslation:
                    break; // the translators kept it as it is
                case Translations::Verdict::Translated:
                    problems.append(QStringLiteral("still English: \"%1\" [%2] — translated in "
                                                   "the .ts: the code does not set it again")
                                        .arg(text, it->where));
                    break;
                case Translations::Verdict::Missing:
                    problems.append(QStringLiteral("still English: \"%1\" [%2] — no finished "
                                                   "translation in the .ts")
                                        .arg(text, it->where));
                    break;
                }
            }
            if (chinese) {
                const Walk &polish = m_walks.value(QStringLiteral("pl"));
                const auto before = polish.constFind(it.key());
                // Texts of names and data only (a recent flow's path) are the same in every
                // language; keys are object addresses, which a rebuilt menu may reuse.
                if (before != polish.cend() && before->text == text
                    && (english == m_english.cend() || english->text != text)
                    && !untranslatableWords(text).isEmpty()) {
                    problems.append(
                        QStringLiteral("still Polish: \"%1\" [%2]").arg(text, it->where));
                }
            }
        }
        problems.sort();
        // QtTest cuts long failure messages: each problem gets a line of its own first.
        for (const QString &problem : std::as_const(problems)) {
            qInfo().noquote() << problem;
        }
        QVERIFY2(problems.isEmpty(),
                 qPrintable(QStringLiteral("%1 text(s) did not follow the switch to %2 (listed "
                                           "above), the first: %3")
                                .arg(problems.size())
                                .arg(code, problems.value(0))));
    }

private:
    static void settle()
    {
        for (int i = 0; i < 3; ++i) {
            QCoreApplication::sendPostedEvents();
            QCoreApplication::processEvents();
        }
    }

    /// Applies `code` at run time and walks the window in it.
    void switchTo(const QString &code, QStringList *problems)
    {
        fb::ui::TraceModel *trace = m_window->experimentPage()->runPanel()->traceModel();
        QSignalSpy headers(trace, &QAbstractItemModel::headerDataChanged);
        QCOMPARE(m_language.apply(code), code);
        settle(); // LanguageChange is delivered as an event
        // Views size their columns by the header texts: they must hear about the change.
        if (problems && headers.isEmpty()) {
            problems->append(QStringLiteral("the trace model did not announce new header texts "
                                            "(headerDataChanged)"));
        }
        m_walks.insert(code, walk());
        if (qEnvironmentVariableIsSet("FB_LANGUAGEWALK_DUMP")) {
            for (auto it = m_walks[code].cbegin(); it != m_walks[code].cend(); ++it) {
                qInfo().noquote() << m_english.value(it.key()).text << "=>" << it->text << "|"
                                  << it->where;
            }
        }
    }

    /// Names and data the flow and dataset bring: node names, variant ids, input and output
    /// names, connection and model names, file names and paths, dataset columns and types.
    void collectDataWords(const QString &workspaceRoot)
    {
        const auto add = [this](const QString &text) {
            for (const QString &w : latinWords(text)) {
                m_dataWords.insert(w);
            }
        };
        add(workspaceRoot);
        add(m_window->currentFlowDir());
        const fb::Flow &flow = m_window->experimentPage()->flow();
        const auto addNode = [&](const fb::Node &node) {
            add(QString::fromStdString(node.name));
            add(QString::fromStdString(node.connection));
            add(QString::fromStdString(node.api));
            add(QString::fromStdString(node.source.path));
            add(QString::fromStdString(node.source.tool));
            for (const auto &in : node.inputs) {
                add(QString::fromStdString(in.name));
                if (in.value.is_string()) {
                    add(QString::fromStdString(in.value.get<std::string>()));
                }
            }
        };
        for (const auto &in : flow.inputs) {
            add(QString::fromStdString(in.name));
        }
        for (const auto &out : flow.outputs) {
            add(QString::fromStdString(out.name));
            add(QString::fromStdString(out.reference));
        }
        for (const auto &node : flow.nodes) {
            addNode(node);
        }
        for (const auto &nv : flow.nodeVariants) {
            add(QString::fromStdString(nv.nodeName));
            for (const auto &v : nv.variants) {
                add(QString::fromStdString(v.id));
                addNode(v.node);
            }
        }
        for (auto type : {fb::NodeType::Llm, fb::NodeType::Prompt, fb::NodeType::Python,
                          fb::NodeType::CustomLlm}) {
            add(QString::fromLatin1(fb::nodeTypeName(type)));
        }
        const fb::DatasetInfo &dataset
            = m_window->initializePage()->datasets()->previewModel()->preview();
        for (const auto &column : dataset.columns) {
            add(QString::fromStdString(column.name));
        }
        for (const QString &file : m_window->initializePage()->datasets()->datasets()) {
            add(QFileInfo(file).fileName());
        }
        // Evaluators are offered by their names in specs (exact_match, rouge_l, ...).
        for (const auto &name : fb::EvaluatorRegistry::withBuiltins().names()) {
            add(QString::fromStdString(name));
        }
        for (auto type : {fb::ColumnType::Int, fb::ColumnType::Double, fb::ColumnType::Bool,
                          fb::ColumnType::String, fb::ColumnType::List, fb::ColumnType::Object,
                          fb::ColumnType::Mixed}) {
            add(QString::fromLatin1(fb::columnTypeName(type)));
        }
    }

    /// The words of `text` that are neither names nor data.
    [[nodiscard]] QStringList untranslatableWords(const QString &text) const
    {
        // Product and protocol names, and the promptflow/OpenAI values offered as they are
        // written in flow.dag.yaml (api: chat | completion, response_format: json_object).
        static const QSet<QString> names{
            QStringLiteral("Flowbench"),  QStringLiteral("OpenAI"),
            QStringLiteral("Azure"),      QStringLiteral("Anthropic"),
            QStringLiteral("TTFT"),       QStringLiteral("TPOT"),
            QStringLiteral("API"),        QStringLiteral("JSON"),
            QStringLiteral("LLM"),        QStringLiteral("chat"),
            QStringLiteral("completion"), QStringLiteral("json_object"),
        };
        QStringList left;
        for (const QString &w : latinWords(text)) {
            if (!names.contains(w) && !m_dataWords.contains(w)
                && !fb::ApiParameters::type(w.toStdString())) {
                left.append(w);
            }
        }
        return left;
    }

    /// Every mode (by its shortcut) and every tab of every tab widget on it.
    Walk walk()
    {
        Walk texts;
        static const char *const modes[] = {"Initialize", "Experiment", "Evaluate", "Deploy"};
        for (int i = 0; i < MainWindow::kModeCount; ++i) {
            QTest::keyClick(m_window.get(), Qt::Key(Qt::Key_1 + i), Qt::ControlModifier);
            settle();
            if (int(m_window->mode()) != i) {
                QTest::qFail(qPrintable(QStringLiteral("Ctrl+%1 did not open mode %2")
                                            .arg(i + 1)
                                            .arg(QLatin1String(modes[i]))),
                             __FILE__, __LINE__);
                return {};
            }
            const QString mode = QString::fromLatin1(modes[i]);
            collect(mode, texts);
            // Visit every tab; tabs inside tabs show up once their page is current.
            QList<QPair<QPointer<QTabWidget>, int>> restore;
            QSet<QPair<QTabWidget *, int>> visited;
            for (bool more = true; more;) {
                more = false;
                for (QTabWidget *tabs : m_window->findChildren<QTabWidget *>()) {
                    if (!tabs->isVisible()) {
                        continue;
                    }
                    for (int t = 0; t < tabs->count(); ++t) {
                        if (visited.contains({tabs, t})) {
                            continue;
                        }
                        visited.insert({tabs, t});
                        restore.append({tabs, tabs->currentIndex()});
                        tabs->setCurrentIndex(t);
                        settle();
                        collect(mode, texts);
                        more = true;
                    }
                }
            }
            for (auto r = restore.crbegin(); r != restore.crend(); ++r) {
                if (r->first) {
                    r->first->setCurrentIndex(r->second);
                }
            }
            settle();
        }
        collectMenus(m_window->menuBar(), QStringLiteral("menu bar"), texts);
        return texts;
    }

    static void collect(const QString &mode, Walk &texts)
    {
        const auto put = [&](const void *object, const char *what, int index, const QObject *owner,
                             const QString &text) {
            if (!text.trimmed().isEmpty() && !texts.contains(key(object, what, index))) {
                texts.insert(key(object, what, index),
                             {QStringLiteral("%1, %2 mode").arg(describe(owner), mode), text});
            }
        };
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (!w->isVisible() || qobject_cast<QMenu *>(w)) {
                continue;
            }
            QList<QWidget *> widgets = w->findChildren<QWidget *>();
            widgets.prepend(w);
            for (QWidget *c : std::as_const(widgets)) {
                if (!c->isVisible()) {
                    continue;
                }
                if (auto *label = qobject_cast<QLabel *>(c)) {
                    const bool rich = label->textFormat() == Qt::RichText
                                      || (label->textFormat() == Qt::AutoText
                                          && Qt::mightBeRichText(label->text()));
                    put(c, "label", -1, c, plain(label->text(), rich));
                } else if (auto *button = qobject_cast<QAbstractButton *>(c)) {
                    put(c, "button", -1, c, button->text());
                    auto *tool = qobject_cast<QToolButton *>(c);
                    if (tool && tool->menu()) {
                        collectMenus(tool->menu(),
                                     QStringLiteral("menu of %1, %2 mode").arg(describe(c), mode),
                                     texts);
                    }
                } else if (auto *box = qobject_cast<QGroupBox *>(c)) {
                    put(c, "title", -1, c, box->title());
                } else if (auto *bar = qobject_cast<QTabBar *>(c)) {
                    for (int i = 0; i < bar->count(); ++i) {
                        put(c, "tab", i, c, bar->tabText(i));
                    }
                } else if (auto *line = qobject_cast<QLineEdit *>(c)) {
                    put(c, "placeholder", -1, c, line->placeholderText());
                } else if (auto *plainEdit = qobject_cast<QPlainTextEdit *>(c)) {
                    put(c, "placeholder", -1, c, plainEdit->placeholderText());
                } else if (auto *edit = qobject_cast<QTextEdit *>(c)) {
                    put(c, "placeholder", -1, c, edit->placeholderText());
                } else if (auto *combo = qobject_cast<QComboBox *>(c)) {
                    for (int i = 0; i < combo->count(); ++i) {
                        put(c, "item", i, c, combo->itemText(i));
                    }
                } else if (auto *header = qobject_cast<QHeaderView *>(c)) {
                    QAbstractItemModel *model = header->model();
                    const int count = model ? std::min(header->count(), 50) : 0;
                    for (int i = 0; i < count; ++i) {
                        put(c, "header", i, c->parent() ? c->parent() : c,
                            model->headerData(i, header->orientation()).toString());
                    }
                } else if (auto *view = qobject_cast<QGraphicsView *>(c)) {
                    // Graph items get no LanguageChange; their tooltips show what they cache.
                    if (view->scene()) {
                        for (QGraphicsItem *item : view->scene()->items()) {
                            put(item, "item tooltip", -1, c, plain(item->toolTip(), true));
                        }
                    }
                }
            }
        }
    }

    static void collectMenus(QWidget *menuOwner, const QString &where, Walk &texts)
    {
        for (QAction *a : menuOwner->actions()) {
            if (a->isSeparator() || a->text().isEmpty()) {
                continue;
            }
            const QString k = key(a, "action");
            if (!texts.contains(k)) {
                texts.insert(k, {QStringLiteral("%1 (%2)").arg(describe(a), where), a->text()});
            }
            if (QMenu *menu = a->menu()) {
                collectMenus(menu, QStringLiteral("menu %1").arg(a->text()), texts);
            }
        }
    }

    QTemporaryDir m_tmp;
    fb::ui::LanguageManager m_language;
    std::unique_ptr<MainWindow> m_window;
    QSet<QString> m_dataWords;
    Walk m_english;
    QMap<QString, Walk> m_walks;
    QMap<QString, Translations> m_translations;
};

QTEST_MAIN(TestLanguageWalk)
#include "tst_ui_languagewalk.moc"
