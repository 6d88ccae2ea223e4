// FlowEditorWidget driven as the shell drives it: open every sample flow, edit through the
// scene and the real widgets, undo/redo to identical YAML, save a flow promptflow still loads.

#include <core/flow/flowloader.h>
#include <core/flow/flowvalidator.h>
#include <core/flow/flowwriter.h>
#include <ui/editor/connectionitem.h>
#include <ui/editor/floweditorwidget.h>
#include <ui/editor/flowgraphmodel.h>
#include <ui/editor/flowscene.h>
#include <ui/editor/flowview.h>
#include <ui/editor/nodeitem.h>
#include <ui/editor/problemsmodel.h>
#include <ui/editor/setnodecommand.h>
#include <ui/editor/varianttabbar.h>

#include <QAbstractItemModelTester>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QListView>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QUndoStack>

using namespace fb;
using namespace fb::ui;

// nlohmann values have no QTest::toString: compare them and print both on failure.
#define VALUE_EQ(actual, expected)                                                                 \
    QVERIFY2((actual) == (expected),                                                               \
             qPrintable(QString::fromStdString((actual).dump() + " != " + (expected).dump())))

namespace {

QString flowDir(const QString &name) { return QStringLiteral(FB_SOURCE_DIR "/flows/") + name; }

/// Copies a sample flow folder (flat) into `target`.
bool copyFlow(const QString &name, const QString &target)
{
    const QDir source(flowDir(name));
    for (const QString &file : source.entryList(QDir::Files)) {
        if (!QFile::copy(source.filePath(file), target + QLatin1Char('/') + file)) {
            return false;
        }
    }
    return true;
}

std::string yamlOf(const FlowEditorWidget &w) { return FlowWriter::toYaml(w.flow()); }

QPoint viewPos(const FlowEditorWidget &w, NodeItem *item, const QPointF &local)
{
    return w.view()->mapFromScene(item->mapToScene(local));
}

} // namespace

class TestFlowEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Any warning fails, except the offscreen platform's note when a window is shown.
    void init()
    {
        QTest::failOnWarning(QRegularExpression(
            QStringLiteral("^(?!This plugin does not support propagateSizeHints).*")));
    }

    void opensSampleFlow_data();
    void opensSampleFlow();
    void openReportsErrors();
    void sceneEditsUndoToIdenticalYaml();
    void dragMovesNodeAndConnects();
    void saveWritesFlowThatLoadsAndValidates();
    void renameVariantInTabs();
    void problemsShowOnNodesAndJump();
    void propertiesPanelEditsAreUndoable();
    void largeFlowOpensAndLaysOut();
    void screenshot_data();
    void screenshot();
};

void TestFlowEditor::opensSampleFlow_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("firstTemplateNode");
    QTest::newRow("chat") << "chat"
                          << "chat";
    QTest::newRow("classification") << "classification"
                                    << "classify";
    QTest::newRow("classification_eval") << "classification_eval"
                                         << "";
    QTest::newRow("summarization") << "summarization"
                                   << "build_instruction";
}

void TestFlowEditor::opensSampleFlow()
{
    QFETCH(QString, name);
    QFETCH(QString, firstTemplateNode);
    FlowEditorWidget w;
    QAbstractItemModelTester tester(w.problemsModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy problems(&w, &FlowEditorWidget::problemsChanged);
    QString error;
    QVERIFY2(w.openFlow(flowDir(name), &error), qPrintable(error));
    QCOMPARE(problems.count(), 1);
    QCOMPARE(problems.front().front().toInt(), 0);
    QCOMPARE(w.problemsModel()->errorCount(), 0);
    QVERIFY(!w.isModified());
    QCOMPARE(w.scene()->nodeItems().size(), qsizetype(w.flow().nodes.size() + 2));
    QCOMPARE(w.scene()->connectionItems().size(), w.graphModel()->connections().size());
    QCOMPARE(w.selectedNode(), firstTemplateNode);
    // Every node got a place, and no two overlap.
    const QList<NodeItem *> items = w.scene()->nodeItems();
    for (int i = 0; i < items.size(); ++i) {
        for (int j = i + 1; j < items.size(); ++j) {
            QVERIFY(!items[i]->sceneBoundingRect().intersects(items[j]->sceneBoundingRect()));
        }
    }
    // Opening changes nothing in the flow.
    auto loaded = FlowLoader::load(flowDir(name).toStdString());
    QCOMPARE(yamlOf(w), FlowWriter::toYaml(*loaded));
}

void TestFlowEditor::openReportsErrors()
{
    FlowEditorWidget w;
    QString error;
    QVERIFY(!w.openFlow(QStringLiteral("/nonexistent/flow"), &error));
    QVERIFY(!error.isEmpty());
}

void TestFlowEditor::sceneEditsUndoToIdenticalYaml()
{
    QTemporaryDir dir;
    QVERIFY(copyFlow(QStringLiteral("summarization"), dir.path()));
    FlowEditorWidget w;
    QString error;
    QVERIFY2(w.openFlow(dir.path(), &error), qPrintable(error));
    QSignalSpy modified(&w, &FlowEditorWidget::modifiedChanged);
    const std::string original = yamlOf(w);
    FlowScene *scene = w.scene();
    FlowGraphModel *model = w.graphModel();

    scene->addNode(NodeType::Python, QPointF(500, 400));
    QCOMPARE(w.selectedNode(), QStringLiteral("python"));
    QVERIFY(w.isModified());
    QCOMPARE(modified.count(), 1);
    const NodeId python = model->nodeId(QStringLiteral("python"));
    QVERIFY(scene->nodeItem(python));
    // Give the node an input through the properties path, then connect the article to it.
    Node withInput = *model->effectiveNode(python);
    withInput.inputs.push_back({"article", Value(""), {}});
    w.undoStack()->push(new SetNodeCommand(model, QStringLiteral("python"), withInput));
    scene->connectPorts(NodeId::FlowInputs, QStringLiteral("article"), python,
                        QStringLiteral("article"));
    QVERIFY(scene->connectionItem(
        {NodeId::FlowInputs, QStringLiteral("article"), python, QStringLiteral("article"), {}}));
    const std::string edited = yamlOf(w);

    // Delete two nodes with connections from the scene selection.
    scene->clearSelection();
    scene->nodeItem(model->nodeId(QStringLiteral("check_length")))->setSelected(true);
    scene->nodeItem(model->nodeId(QStringLiteral("pick")))->setSelected(true);
    scene->deleteSelection();
    QCOMPARE(model->nodeId(QStringLiteral("pick")), NodeId::Invalid);
    QCOMPARE(scene->nodeItems().size(), qsizetype(model->flow().nodes.size() + 2));
    QCOMPARE(scene->connectionItems().size(), model->connections().size());
    const std::string deleted = yamlOf(w);

    // Undo everything: the identical YAML, and the scene matches the model again.
    w.undoStack()->undo();
    QCOMPARE(yamlOf(w), edited);
    while (w.undoStack()->canUndo()) {
        w.undoStack()->undo();
    }
    QCOMPARE(yamlOf(w), original);
    QVERIFY(!w.isModified());
    QCOMPARE(modified.count(), 2);
    QCOMPARE(scene->nodeItems().size(), qsizetype(model->flow().nodes.size() + 2));
    QCOMPARE(scene->connectionItems().size(), model->connections().size());
    while (w.undoStack()->canRedo()) {
        w.undoStack()->redo();
    }
    QCOMPARE(yamlOf(w), deleted);
    QCOMPARE(scene->connectionItems().size(), model->connections().size());
}

void TestFlowEditor::dragMovesNodeAndConnects()
{
    FlowEditorWidget w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QString error;
    QVERIFY2(w.openFlow(flowDir(QStringLiteral("classification")), &error), qPrintable(error));
    w.view()->resetTransform();
    FlowGraphModel *model = w.graphModel();
    const std::string original = yamlOf(w);
    const NodeId parse = model->nodeId(QStringLiteral("parse_category"));
    NodeItem *item = w.scene()->nodeItem(parse);
    w.view()->centerOn(item);
    const QPointF before = item->pos();

    // Drag the header by (60, 40).
    QWidget *viewport = w.view()->viewport();
    const QPoint start = viewPos(w, item, QPointF(item->size().width() / 2, 15));
    QTest::mousePress(viewport, Qt::LeftButton, {}, start);
    QTest::mouseMove(viewport, start + QPoint(30, 20));
    QTest::mouseMove(viewport, start + QPoint(60, 40));
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, start + QPoint(60, 40));
    QCOMPARE(item->pos(), before + QPointF(60, 40));
    QCOMPARE(w.undoStack()->count(), 1);
    QCOMPARE(model->savedPosition(parse), std::optional<QPointF>(before + QPointF(60, 40)));

    // Drag from the flow input "text" to parse_category's "answer" port.
    NodeItem *inputs = w.scene()->nodeItem(NodeId::FlowInputs);
    w.view()->fitToView();
    const QPoint from = viewPos(
        w, inputs, inputs->mapFromScene(inputs->portScenePos(QStringLiteral("text"), false)));
    const QPoint to
        = viewPos(w, item, item->mapFromScene(item->portScenePos(QStringLiteral("answer"), true)));
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    QTest::mouseMove(viewport, (from + to) / 2);
    QTest::mouseMove(viewport, to);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, to);
    QCOMPARE(w.undoStack()->count(), 2);
    VALUE_EQ(model->portValue(parse, QStringLiteral("answer")), Value("${inputs.text}"));

    w.undoStack()->undo();
    w.undoStack()->undo();
    QCOMPARE(yamlOf(w), original);
    QCOMPARE(item->pos(), before);
}

void TestFlowEditor::saveWritesFlowThatLoadsAndValidates()
{
    QTemporaryDir dir;
    QVERIFY(copyFlow(QStringLiteral("classification"), dir.path()));
    FlowEditorWidget w;
    QString error;
    QVERIFY2(w.openFlow(dir.path(), &error), qPrintable(error));
    QCOMPARE(w.selectedNode(), QStringLiteral("classify"));

    // A new variant from variant_1 (its template is copied), a new prompt node, a move.
    w.variantTabBar()->tabBar()->setCurrentIndex(1);
    QVERIFY(w.variantTabBar()->createVariant(&error));
    VALUE_EQ(w.variantSelection(), Value({{"classify", "variant_2"}}));
    w.scene()->addNode(NodeType::Prompt, QPointF(-300, 300));
    QVERIFY(w.isModified());
    QVERIFY2(w.save(&error), qPrintable(error));
    QVERIFY(!w.isModified());

    auto reloaded = FlowLoader::load(dir.path().toStdString());
    QVERIFY2(reloaded.has_value(), reloaded ? "" : reloaded.error().message.c_str());
    const auto diagnostics = FlowValidator::validate(*reloaded);
    for (const auto &d : diagnostics) {
        qInfo("%s", d.toString().c_str());
    }
    QVERIFY(!hasErrors(diagnostics));
    QCOMPARE(FlowWriter::toYaml(*reloaded), yamlOf(w));
    // The copied template holds variant_1's text; the new node got a starter template.
    QFile copied(dir.filePath(QStringLiteral("classify_few_shot_variant_2.jinja2")));
    QVERIFY(copied.open(QIODevice::ReadOnly));
    QFile source(dir.filePath(QStringLiteral("classify_few_shot.jinja2")));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QCOMPARE(copied.readAll(), source.readAll());
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("prompt.jinja2"))));
    // Every node's position was saved, and opening again restores them.
    FlowEditorWidget second;
    QVERIFY(second.openFlow(dir.path(), &error));
    for (const auto &node : reloaded->nodes) {
        const QString name = QString::fromStdString(node.name);
        const auto saved = second.graphModel()->savedPosition(second.graphModel()->nodeId(name));
        QVERIFY2(saved.has_value(), qPrintable(name));
        QCOMPARE(second.scene()->nodeItem(second.graphModel()->nodeId(name))->pos(), *saved);
    }
}

void TestFlowEditor::renameVariantInTabs()
{
    // As in the main window: the editor sits on a page that is hidden while the flow opens.
    QStackedWidget pages;
    auto *other = new QWidget(&pages);
    auto *editor = new FlowEditorWidget(&pages);
    FlowEditorWidget &w = *editor;
    pages.addWidget(other);
    pages.addWidget(editor);
    pages.resize(1000, 600);
    QString error;
    QVERIFY(w.openFlow(flowDir(QStringLiteral("classification")), &error));
    pages.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pages));
    VariantTabBar *tabs = w.variantTabBar();
    QCOMPARE(tabs->tabBar()->count(), 2);
    QCOMPARE(tabs->tabBar()->tabText(0), QStringLiteral("variant_0 (default)"));
    // Shown after being filled while hidden, the tabs get their full height (not a 0-px bar).
    pages.setCurrentWidget(editor);
    QCoreApplication::sendPostedEvents();
    QVERIFY(tabs->isVisible());
    QVERIFY2(tabs->tabBar()->height() >= tabs->tabBar()->tabRect(0).height()
                 && tabs->tabBar()->height() > 10,
             qPrintable(QString::number(tabs->tabBar()->height())));
    QVERIFY(!tabs->renameVariant(QStringLiteral("variant_1"), QStringLiteral("bad name"), &error));
    QVERIFY(tabs->renameVariant(QStringLiteral("variant_1"), QStringLiteral("few_shot"), &error));
    QCOMPARE(tabs->tabBar()->tabText(1), QStringLiteral("few_shot"));
    tabs->tabBar()->setCurrentIndex(1);
    VALUE_EQ(w.variantSelection(), Value({{"classify", "few_shot"}}));
    QVERIFY(tabs->describeVariant(QStringLiteral("few_shot"), QStringLiteral("Few-shot."),
                                  QStringLiteral("Better on shipping."), &error));
    QVERIFY(tabs->setDefaultVariant(QStringLiteral("few_shot"), &error));
    QCOMPARE(tabs->tabBar()->tabText(1), QStringLiteral("few_shot (default)"));
    QVERIFY(tabs->tabBar()->tabToolTip(1).contains(QStringLiteral("Better on shipping.")));
    const std::string yaml = yamlOf(w);
    QVERIFY(yaml.find("few_shot:") != std::string::npos);
    QVERIFY(yaml.find("default_variant_id: few_shot") != std::string::npos);
    w.undoStack()->undo();
    w.undoStack()->undo();
    w.undoStack()->undo();
    QCOMPARE(tabs->tabBar()->tabText(1), QStringLiteral("variant_1"));
}

void TestFlowEditor::problemsShowOnNodesAndJump()
{
    FlowEditorWidget w;
    QAbstractItemModelTester tester(w.problemsModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QString error;
    QVERIFY(w.openFlow(flowDir(QStringLiteral("summarization")), &error));
    FlowGraphModel *model = w.graphModel();
    const NodeId pick = model->nodeId(QStringLiteral("pick"));
    QVERIFY(!w.scene()->nodeItem(pick)->hasErrors());
    Node broken = *model->effectiveNode(pick);
    broken.source.path = "missing_tool.py";
    QSignalSpy problems(&w, &FlowEditorWidget::problemsChanged);
    w.undoStack()->push(new SetNodeCommand(model, QStringLiteral("pick"), broken));
    QVERIFY(problems.wait(2000));
    QVERIFY(problems.back().front().toInt() >= 1);
    QVERIFY(w.scene()->nodeItem(pick)->hasErrors());
    QVERIFY(w.scene()->nodeItem(pick)->toolTip().contains(QStringLiteral("missing_tool.py")));
    const QModelIndex row = w.problemsModel()->index(0, 0);
    QCOMPARE(row.data(ProblemsModel::NodeNameRole).toString(), QStringLiteral("pick"));
    w.selectNode(QString());
    auto *view = qobject_cast<QListView *>(w.problemsView());
    QVERIFY(view);
    Q_EMIT view->activated(row);
    QCOMPARE(w.selectedNode(), QStringLiteral("pick"));
    w.undoStack()->undo();
    w.validateNow();
    QCOMPARE(w.problemsModel()->errorCount(), 0);
    QVERIFY(!w.scene()->nodeItem(pick)->hasErrors());
}

void TestFlowEditor::propertiesPanelEditsAreUndoable()
{
    FlowEditorWidget w;
    QString error;
    QVERIFY(w.openFlow(flowDir(QStringLiteral("chat")), &error));
    w.setConnectionNames({QStringLiteral("open_ai_connection"), QStringLiteral("azure")});
    w.selectNode(QStringLiteral("chat"));
    const std::string original = yamlOf(w);
    auto *panel = w.propertiesPanel();
    auto *temperature = panel->findChild<QDoubleSpinBox *>();
    QVERIFY(temperature);
    QCOMPARE(temperature->value(), 0.7);
    temperature->setValue(0.9);
    temperature->setValue(1.2);
    const NodeId chat = w.graphModel()->nodeId(QStringLiteral("chat"));
    VALUE_EQ(w.graphModel()->effectiveNode(chat)->input("temperature")->value, Value(1.2));
    QCOMPARE(w.undoStack()->count(), 1); // typing in one field merges
    w.undoStack()->undo();
    QCOMPARE(yamlOf(w), original);
    QCOMPARE(temperature->value(), 0.7);
}

void TestFlowEditor::largeFlowOpensAndLaysOut()
{
    QTemporaryDir dir;
    Flow flow;
    flow.dir = dir.path().toStdString();
    flow.file = flow.dir / "flow.dag.yaml";
    FlowInput in;
    in.name = "seed";
    flow.inputs.push_back(in);
    for (int i = 0; i < 100; ++i) {
        Node node;
        node.name = "step_" + std::to_string(i);
        node.type = NodeType::Python;
        node.source.type = "code";
        node.source.path = "tool.py";
        NodeInput a;
        a.name = "value";
        a.value = i < 10 ? std::string("${inputs.seed}")
                         : "${step_" + std::to_string(i - 10) + ".output}";
        node.inputs.push_back(a);
        if (i >= 10) {
            NodeInput b;
            b.name = "other";
            b.value = "${step_" + std::to_string((i * 7) % (i - i % 10)) + ".output}";
            node.inputs.push_back(b);
        }
        flow.nodes.push_back(node);
    }
    FlowOutput out;
    out.name = "result";
    out.reference = "${step_99.output}";
    flow.outputs.push_back(out);
    QVERIFY(FlowWriter::save(flow).has_value());
    QFile tool(dir.filePath(QStringLiteral("tool.py")));
    QVERIFY(tool.open(QIODevice::WriteOnly));
    tool.write("from promptflow.core import tool\n\n\n@tool\ndef step(value, other=None):\n"
               "    return value\n");
    tool.close();

    FlowEditorWidget w;
    w.resize(1280, 800);
    QElapsedTimer timer;
    timer.start();
    QString error;
    QVERIFY2(w.openFlow(dir.path(), &error), qPrintable(error));
    qInfo("100-node flow opened and laid out in %lld ms", timer.elapsed());
    QCOMPARE(w.scene()->nodeItems().size(), 102);
    QCOMPARE(w.scene()->connectionItems().size(), w.graphModel()->connections().size());
    QCOMPARE(w.problemsModel()->errorCount(), 0);
    const QList<NodeItem *> items = w.scene()->nodeItems();
    for (int i = 0; i < items.size(); ++i) {
        for (int j = i + 1; j < items.size(); ++j) {
            QVERIFY(!items[i]->sceneBoundingRect().intersects(items[j]->sceneBoundingRect()));
        }
    }
    for (const ConnectionItem *edge : w.scene()->connectionItems()) {
        const auto &c = edge->connection();
        QVERIFY(w.scene()->nodeItem(c.outNode)->x() < w.scene()->nodeItem(c.inNode)->x());
    }
}

void TestFlowEditor::screenshot_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestFlowEditor::screenshot()
{
    QFETCH(bool, dark);
    QPalette palette;
    if (dark) {
        palette.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
        palette.setColor(QPalette::WindowText, QColor(0xe6, 0xe7, 0xea));
        palette.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
        palette.setColor(QPalette::Text, QColor(0xe6, 0xe7, 0xea));
        palette.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3c));
        palette.setColor(QPalette::ButtonText, QColor(0xe6, 0xe7, 0xea));
    }
    FlowEditorWidget w;
    w.setPalette(palette);
    w.resize(1280, 800);
    QString error;
    QVERIFY(w.openFlow(flowDir(QStringLiteral("classification")), &error));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.fitToView();
    const QImage image = w.grab().toImage();
    QCOMPARE(image.size(), QSize(1280, 800));
    // The canvas colour follows the palette.
    const QColor corner = image.pixelColor(image.width() - 5, image.height() - 5);
    QCOMPARE(corner.lightness() < 128, dark);
    const QByteArray target = qgetenv("FB_EDITOR_SCREENSHOT_DIR");
    if (!target.isEmpty()) {
        QVERIFY(image.save(
            QString::fromLocal8Bit(target)
            + (dark ? QStringLiteral("/editor-dark.png") : QStringLiteral("/editor-light.png"))));
    }
}

QTEST_MAIN(TestFlowEditor)
#include "tst_ui_floweditor.moc"
