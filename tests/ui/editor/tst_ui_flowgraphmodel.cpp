// The graph model over fb::Flow and the undo commands: every edit undoes back to the
// identical YAML and redoes forward to the identical YAML.

#include <core/flow/flowloader.h>
#include <core/flow/flowvalidator.h>
#include <core/flow/flowwriter.h>
#include <ui/editor/addnodecommand.h>
#include <ui/editor/autolayout.h>
#include <ui/editor/connectcommand.h>
#include <ui/editor/deletenodescommand.h>
#include <ui/editor/disconnectcommand.h>
#include <ui/editor/flowgraphmodel.h>
#include <ui/editor/movenodescommand.h>
#include <ui/editor/renamenodecommand.h>
#include <ui/editor/setnodecommand.h>
#include <ui/editor/variantcommand.h>

#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using namespace fb;
using namespace fb::ui;

// nlohmann values have no QTest::toString: compare them and print both on failure.
#define VALUE_EQ(actual, expected)                                                                 \
    QVERIFY2((actual) == (expected),                                                               \
             qPrintable(QString::fromStdString((actual).dump() + " != " + (expected).dump())))

namespace {

QString flowDir(const char *name)
{
    return QStringLiteral(FB_SOURCE_DIR "/flows/") + QLatin1String(name);
}

Flow loadFlow(const QString &dir)
{
    auto flow = FlowLoader::load(dir.toStdString());
    if (!flow) {
        qFatal("cannot load %s: %s", qPrintable(dir), flow.error().message.c_str());
    }
    return *flow;
}

std::string yamlOf(const FlowGraphModel &model) { return FlowWriter::toYaml(model.flow()); }

/// The number of `${...}` references that name an existing input or node, in the nodes the
/// graph shows (active variants) and the outputs.
int countReferences(const FlowGraphModel &model)
{
    int count = 0;
    const Flow &flow = model.flow();
    const auto resolves = [&](const std::string &text) {
        const auto ref = Reference::parse(text);
        if (!ref) {
            return false;
        }
        return ref->kind == Reference::Kind::FlowInput ? flow.input(ref->name) != nullptr
                                                       : flow.node(ref->name) != nullptr;
    };
    for (const NodeId id : model.nodeIds()) {
        if (const Node *n = model.effectiveNode(id)) {
            for (const auto &in : n->inputs) {
                count += in.value.is_string() && resolves(in.value.get<std::string>());
            }
            count += n->activate && resolves(n->activate->when);
        }
    }
    for (const auto &out : flow.outputs) {
        count += resolves(out.reference);
    }
    return count;
}

QSizeF fixedSize(NodeId) { return {200, 80}; }

} // namespace

class TestFlowGraphModel : public QObject
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
    void editsUndoToIdenticalYaml_data();
    void editsUndoToIdenticalYaml();
    void renameRewritesReferences();
    void deleteClearsAndRestoresReferences();
    void connectRejectsCycles();
    void positionsRoundTrip_data();
    void positionsRoundTrip();
    void movesMerge();
    void variantEdits();
    void variantSelectionFollowsActiveVariant();
    void largeFlowLaysOut();
};

void TestFlowGraphModel::opensSampleFlow_data()
{
    QTest::addColumn<QString>("dir");
    for (const char *name : {"chat", "classification", "classification_eval", "summarization"}) {
        QTest::newRow(name) << flowDir(name);
    }
}

void TestFlowGraphModel::opensSampleFlow()
{
    QFETCH(QString, dir);
    FlowGraphModel model;
    QSignalSpy reset(&model, &FlowGraphModel::modelReset);
    const Flow flow = loadFlow(dir);
    model.resetFlow(flow);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.nodeIds().size(), qsizetype(flow.nodes.size() + 2));
    QCOMPARE(model.outPorts(NodeId::FlowInputs).size(), qsizetype(flow.inputs.size()));
    QCOMPARE(model.inPorts(NodeId::FlowOutputs).size(), qsizetype(flow.outputs.size()));
    QCOMPARE(model.connections().size(), qsizetype(countReferences(model)));
    QVERIFY(!model.connections().isEmpty());
    for (const auto &node : flow.nodes) {
        const NodeId id = model.nodeId(QString::fromStdString(node.name));
        QVERIFY(id != NodeId::Invalid);
        QCOMPARE(model.nodeName(id), QString::fromStdString(node.name));
        QCOMPARE(model.outPorts(id), QStringList{outputPortName()});
    }
    // The model does not change the flow: it writes the same YAML the loader read.
    QCOMPARE(yamlOf(model), FlowWriter::toYaml(flow));
}

void TestFlowGraphModel::editsUndoToIdenticalYaml_data() { opensSampleFlow_data(); }

void TestFlowGraphModel::editsUndoToIdenticalYaml()
{
    QFETCH(QString, dir);
    FlowGraphModel model;
    model.resetFlow(loadFlow(dir));
    QUndoStack stack;
    const std::string original = yamlOf(model);
    std::vector<std::string> states{original};
    const auto push = [&](QUndoCommand *cmd) {
        stack.push(cmd);
        states.push_back(yamlOf(model));
    };

    const QString firstInput = model.outPorts(NodeId::FlowInputs).value(0);
    QVERIFY(!firstInput.isEmpty());

    // Add an llm node and connect the first flow input to a new input of it.
    const QString added = model.uniqueNodeName(QStringLiteral("new_llm"));
    push(new AddNodeCommand(&model, AddNodeCommand::defaultNode(NodeType::Llm, added),
                            QPointF(40, 60)));
    const NodeId addedId = model.nodeId(added);
    QVERIFY(addedId != NodeId::Invalid);
    QCOMPARE(model.savedPosition(addedId), std::optional<QPointF>(QPointF(40, 60)));
    QSignalSpy created(&model, &FlowGraphModel::connectionCreated);
    QVERIFY(model.canConnect(NodeId::FlowInputs, firstInput, addedId, QStringLiteral("model")));
    push(new ConnectCommand(&model, NodeId::FlowInputs, firstInput, addedId,
                            QStringLiteral("model")));
    QCOMPARE(created.count(), 1);
    VALUE_EQ(model.portValue(addedId, QStringLiteral("model")),
             Value("${inputs." + firstInput.toStdString() + "}"));

    // Route the first flow output through the new node.
    const QString firstOutput = model.inPorts(NodeId::FlowOutputs).value(0);
    push(new ConnectCommand(&model, addedId, outputPortName(), NodeId::FlowOutputs, firstOutput));

    // Move, rename, edit a property, disconnect.
    push(new MoveNodesCommand(&model, {{addedId, QPointF(300, 120)}}));
    const QString renamed = model.uniqueNodeName(QStringLiteral("renamed"));
    push(new RenameNodeCommand(&model, added, renamed));
    QCOMPARE(model.nodeId(renamed), addedId);
    QCOMPARE(QString::fromStdString(model.flow().output(firstOutput.toStdString())->reference),
             QStringLiteral("${%1.output}").arg(renamed));
    Node edited = *model.effectiveNode(addedId);
    edited.aggregation = true;
    edited.connection = "azure_open_ai_connection";
    push(new SetNodeCommand(&model, renamed, edited, QStringLiteral("connection")));
    const GraphConnection toOutput{addedId, outputPortName(), NodeId::FlowOutputs, firstOutput, {}};
    QVERIFY(model.connections().contains(toOutput));
    push(new DisconnectCommand(&model, toOutput));
    QVERIFY(!model.connections().contains(toOutput));

    // Delete the first original node (with its connections), then the added one.
    const QString firstNode = QString::fromStdString(model.flow().nodes.front().name);
    push(new DeleteNodesCommand(&model, {firstNode, renamed}));
    QCOMPARE(model.nodeId(firstNode), NodeId::Invalid);
    QCOMPARE(model.connections().size(), qsizetype(countReferences(model)));

    QCOMPARE(stack.count(), int(states.size() - 1));
    for (int i = stack.count(); i > 0; --i) {
        stack.undo();
        QCOMPARE(yamlOf(model), states[std::size_t(i - 1)]);
        QCOMPARE(model.connections().size(), qsizetype(countReferences(model)));
    }
    QCOMPARE(yamlOf(model), original);
    for (int i = 1; i <= stack.count(); ++i) {
        stack.redo();
        QCOMPARE(yamlOf(model), states[std::size_t(i)]);
    }
    while (stack.canUndo()) {
        stack.undo();
    }
    QCOMPARE(yamlOf(model), original);
}

void TestFlowGraphModel::renameRewritesReferences()
{
    FlowGraphModel model;
    model.resetFlow(loadFlow(flowDir("classification")));
    QUndoStack stack;
    const std::string before = yamlOf(model);
    QVERIFY(!model.isNameAvailable(QStringLiteral("classify")));
    QVERIFY(!model.isNameAvailable(QStringLiteral("inputs")));
    QVERIFY(!model.isNameAvailable(QStringLiteral("bad name")));
    QVERIFY(model.isNameAvailable(QStringLiteral("clean")));
    stack.push(
        new RenameNodeCommand(&model, QStringLiteral("preprocess"), QStringLiteral("clean")));
    const Flow &flow = model.flow();
    for (const auto &variant : flow.variantsOf("classify")->variants) {
        VALUE_EQ(variant.node.input("text")->value, Value("${clean.output}"));
    }
    stack.push(new RenameNodeCommand(&model, QStringLiteral("classify"), QStringLiteral("triage")));
    QCOMPARE(model.flow().output("raw")->reference, std::string("${triage.output}"));
    QCOMPARE(model.flow().nodeVariants.front().nodeName, std::string("triage"));
    VALUE_EQ(model.flow().node("parse_category")->input("answer")->value,
             Value("${triage.output}"));
    auto reloaded = FlowLoader::loadFromString(yamlOf(model), model.flow().file);
    QVERIFY(reloaded.has_value());
    QVERIFY(!hasErrors(FlowValidator::validate(*reloaded)));
    stack.undo();
    stack.undo();
    QCOMPARE(yamlOf(model), before);
}

void TestFlowGraphModel::deleteClearsAndRestoresReferences()
{
    FlowGraphModel model;
    model.resetFlow(loadFlow(flowDir("summarization")));
    QUndoStack stack;
    const std::string before = yamlOf(model);
    const NodeId check = model.nodeId(QStringLiteral("check_length"));
    const QList<GraphConnection> outgoing = [&] {
        QList<GraphConnection> list;
        for (const auto &c : model.connectionsOf(check)) {
            if (c.outNode == check) {
                list.append(c);
            }
        }
        return list;
    }();
    // summarize.activate, keep_short.activate and the 'summarized' output.
    QCOMPARE(outgoing.size(), 3);
    QSignalSpy deleted(&model, &FlowGraphModel::nodeDeleted);
    QSignalSpy connectionsDeleted(&model, &FlowGraphModel::connectionDeleted);
    stack.push(new DeleteNodesCommand(&model, {QStringLiteral("check_length")}));
    QCOMPARE(deleted.count(), 1);
    QCOMPARE(connectionsDeleted.count(), model.connectionsOf(check).size() + 5);
    QCOMPARE(model.flow().node("summarize")->activate->when, std::string());
    QCOMPARE(model.flow().output("summarized")->reference, std::string());
    QSignalSpy created(&model, &FlowGraphModel::nodeCreated);
    stack.undo();
    QCOMPARE(created.count(), 1);
    QCOMPARE(yamlOf(model), before);
    QCOMPARE(model.connections().size(), qsizetype(countReferences(model)));
}

void TestFlowGraphModel::connectRejectsCycles()
{
    FlowGraphModel model;
    model.resetFlow(loadFlow(flowDir("classification")));
    const NodeId pre = model.nodeId(QStringLiteral("preprocess"));
    const NodeId parse = model.nodeId(QStringLiteral("parse_category"));
    QVERIFY(!model.canConnect(parse, outputPortName(), pre, QStringLiteral("text")));
    QVERIFY(!model.canConnect(pre, outputPortName(), pre, QStringLiteral("text")));
    QVERIFY(!model.canConnect(pre, outputPortName(), parse, QStringLiteral("nonexistent")));
    QVERIFY(model.canConnect(pre, outputPortName(), parse, QStringLiteral("answer")));

    // A cycle through a variant the graph does not show counts too, as in FlowValidator:
    // only variant_0 of classify reads preprocess, and variant_1 is shown.
    Flow flow = loadFlow(flowDir("classification"));
    for (auto &variant : flow.nodeVariants.front().variants) {
        if (variant.id == "variant_1") {
            for (auto &in : variant.node.inputs) {
                if (in.name == "text") {
                    in.value = "${inputs.text}";
                }
            }
        }
    }
    model.resetFlow(flow);
    const NodeId classify = model.nodeId(QStringLiteral("classify"));
    model.setActiveVariant(classify, QStringLiteral("variant_1"));
    QCOMPARE(model.activeVariant(classify), QStringLiteral("variant_1"));
    const NodeId preprocess = model.nodeId(QStringLiteral("preprocess"));
    QVERIFY(!model.canConnect(classify, outputPortName(), preprocess, QStringLiteral("text")));
}

void TestFlowGraphModel::positionsRoundTrip_data() { opensSampleFlow_data(); }

void TestFlowGraphModel::positionsRoundTrip()
{
    QFETCH(QString, dir);
    FlowGraphModel model;
    model.resetFlow(loadFlow(dir));
    const QHash<NodeId, QPointF> layout = AutoLayout::layout(model, fixedSize);
    model.setLayoutPositions(layout);
    model.commitPositions();
    const std::string yaml = yamlOf(model);
    auto reloaded = FlowLoader::loadFromString(yaml, model.flow().file);
    QVERIFY2(reloaded.has_value(), reloaded ? "" : reloaded.error().message.c_str());
    QVERIFY(!hasErrors(FlowValidator::validate(*reloaded)));
    FlowGraphModel second;
    second.resetFlow(*reloaded);
    for (const auto &node : model.flow().nodes) {
        const QString name = QString::fromStdString(node.name);
        const auto saved = second.savedPosition(second.nodeId(name));
        QVERIFY2(saved.has_value(), qPrintable(name));
        const QPointF expected = layout.value(model.nodeId(name));
        QCOMPARE(saved->x(), qreal(std::lround(expected.x())));
        QCOMPARE(saved->y(), qreal(std::lround(expected.y())));
    }
    QCOMPARE(FlowWriter::toYaml(*reloaded), yaml);
}

void TestFlowGraphModel::movesMerge()
{
    FlowGraphModel model;
    model.resetFlow(loadFlow(flowDir("chat")));
    QUndoStack stack;
    const std::string before = yamlOf(model);
    const NodeId chat = model.nodeId(QStringLiteral("chat"));
    stack.push(new MoveNodesCommand(&model, {{chat, QPointF(10, 10)}}));
    stack.push(new MoveNodesCommand(&model, {{chat, QPointF(20, 30)}}));
    stack.push(new MoveNodesCommand(&model, {{chat, QPointF(50.4, 70.6)}}));
    QCOMPARE(stack.count(), 1);
    QCOMPARE(model.savedPosition(chat), std::optional<QPointF>(QPointF(50, 71)));
    stack.undo();
    QCOMPARE(model.savedPosition(chat), std::nullopt);
    QCOMPARE(yamlOf(model), before);
}

void TestFlowGraphModel::variantEdits()
{
    FlowGraphModel model;
    model.resetFlow(loadFlow(flowDir("classification")));
    QUndoStack stack;
    const std::string before = yamlOf(model);
    QString error;

    QVERIFY(!VariantCommand::rename(&model, QStringLiteral("classify"), QStringLiteral("variant_0"),
                                    QStringLiteral("variant_1"), &error));
    QVERIFY(!error.isEmpty());
    auto rename
        = VariantCommand::rename(&model, QStringLiteral("classify"), QStringLiteral("variant_0"),
                                 QStringLiteral("zero_shot"), &error);
    QVERIFY(rename);
    stack.push(rename.release());
    const NodeVariants *nv = model.flow().variantsOf("classify");
    QCOMPARE(nv->defaultVariantId, std::string("zero_shot"));
    QVERIFY(nv->variant("zero_shot"));
    QVERIFY(!nv->variant("variant_0"));

    stack.push(VariantCommand::describe(&model, QStringLiteral("classify"),
                                        QStringLiteral("zero_shot"), QStringLiteral("Short."),
                                        QStringLiteral("Cheaper, 3 points less accurate."))
                   .release());
    const std::string described = yamlOf(model);
    QVERIFY(described.find("notes: Cheaper, 3 points less accurate.") != std::string::npos);
    auto reloaded = FlowLoader::loadFromString(described, model.flow().file);
    QVERIFY(reloaded.has_value());
    QCOMPARE(VariantCommand::notes(*reloaded->variantsOf("classify")->variant("zero_shot")),
             QStringLiteral("Cheaper, 3 points less accurate."));

    auto create = VariantCommand::createFrom(&model, QStringLiteral("classify"),
                                             QStringLiteral("variant_1"), &error);
    QVERIFY(create);
    QCOMPARE(create->newVariantId(), QStringLiteral("variant_0"));
    QCOMPARE(create->copiedTemplateTo(), QStringLiteral("classify_few_shot_variant_0.jinja2"));
    stack.push(create.release());
    const NodeId classify = model.nodeId(QStringLiteral("classify"));
    QCOMPARE(model.activeVariant(classify), QStringLiteral("variant_0"));
    QCOMPARE(model.effectiveNode(classify)->source.path,
             std::string("classify_few_shot_variant_0.jinja2"));

    stack.push(
        VariantCommand::setDefault(&model, QStringLiteral("classify"), QStringLiteral("variant_1"))
            .release());
    QCOMPARE(model.flow().variantsOf("classify")->defaultVariantId, std::string("variant_1"));
    stack.push(
        VariantCommand::remove(&model, QStringLiteral("classify"), QStringLiteral("variant_1"))
            .release());
    QCOMPARE(model.flow().variantsOf("classify")->variants.size(), std::size_t(2));
    QCOMPARE(model.flow().variantsOf("classify")->defaultVariantId, std::string("zero_shot"));

    while (stack.canUndo()) {
        stack.undo();
    }
    QCOMPARE(yamlOf(model), before);

    // A plain llm node becomes a variant node; undo gives the plain node back.
    FlowGraphModel chat;
    chat.resetFlow(loadFlow(flowDir("chat")));
    const std::string chatBefore = yamlOf(chat);
    auto toVariants = VariantCommand::createFrom(&chat, QStringLiteral("chat"), QString(), &error);
    QVERIFY(toVariants);
    stack.clear();
    stack.push(toVariants.release());
    const NodeId chatId = chat.nodeId(QStringLiteral("chat"));
    QVERIFY(chat.node(chatId)->useVariants);
    QCOMPARE(chat.variants(chatId)->variants.size(), std::size_t(2));
    QCOMPARE(chat.connectionsOf(chatId).size(), 3);
    auto chatFlow = FlowLoader::loadFromString(yamlOf(chat), chat.flow().file);
    QVERIFY(chatFlow.has_value());
    stack.undo();
    QCOMPARE(yamlOf(chat), chatBefore);
}

void TestFlowGraphModel::variantSelectionFollowsActiveVariant()
{
    FlowGraphModel model;
    model.resetFlow(loadFlow(flowDir("classification")));
    const NodeId classify = model.nodeId(QStringLiteral("classify"));
    VALUE_EQ(model.variantSelection(), Value({{"classify", "variant_0"}}));
    QCOMPARE(model.inPorts(classify).size(), 4);
    QSignalSpy created(&model, &FlowGraphModel::connectionCreated);
    model.setActiveVariant(classify, QStringLiteral("variant_1"));
    VALUE_EQ(model.variantSelection(), Value({{"classify", "variant_1"}}));
    // variant_1 also reads the examples input.
    QCOMPARE(model.inPorts(classify).size(), 5);
    QCOMPARE(created.count(), 1);
    QCOMPARE(created.front().front().value<GraphConnection>().outPort, QStringLiteral("examples"));
}

void TestFlowGraphModel::largeFlowLaysOut()
{
    // 100 python nodes in 10 layers of 10; each reads two nodes of the layer before.
    Flow flow;
    flow.file = "/tmp/generated/flow.dag.yaml";
    flow.dir = "/tmp/generated";
    FlowInput in;
    in.name = "seed";
    flow.inputs.push_back(in);
    for (int layer = 0; layer < 10; ++layer) {
        for (int i = 0; i < 10; ++i) {
            Node node;
            node.name = "n" + std::to_string(layer) + "_" + std::to_string(i);
            node.type = NodeType::Python;
            node.source.type = "code";
            node.source.path = "tool.py";
            const auto ref = [&](int j) {
                return "${n" + std::to_string(layer - 1) + "_" + std::to_string(j) + ".output}";
            };
            NodeInput a;
            a.name = "a";
            a.value = layer == 0 ? std::string("${inputs.seed}") : ref(i);
            node.inputs.push_back(a);
            if (layer > 0) {
                NodeInput b;
                b.name = "b";
                b.value = ref((i * 3 + 1) % 10);
                node.inputs.push_back(b);
            }
            flow.nodes.push_back(node);
        }
    }
    FlowOutput out;
    out.name = "result";
    out.reference = "${n9_0.output}";
    flow.outputs.push_back(out);
    auto parsed = FlowLoader::loadFromString(FlowWriter::toYaml(flow), flow.file);
    QVERIFY(parsed.has_value());

    FlowGraphModel model;
    model.resetFlow(*parsed);
    QCOMPARE(model.nodeIds().size(), 102);
    QCOMPARE(model.connections().size(), 10 + 90 * 2 + 1);
    const QHash<NodeId, QPointF> positions = AutoLayout::layout(model, fixedSize);
    QCOMPARE(positions.size(), 102);
    // Left to right: every edge goes to a later layer; no two nodes overlap.
    for (const auto &c : model.connections()) {
        QVERIFY(positions.value(c.outNode).x() < positions.value(c.inNode).x());
    }
    QList<QRectF> rects;
    for (auto it = positions.begin(); it != positions.end(); ++it) {
        rects.append(QRectF(it.value(), fixedSize(it.key())));
    }
    for (int i = 0; i < rects.size(); ++i) {
        for (int j = i + 1; j < rects.size(); ++j) {
            QVERIFY(!rects[i].intersects(rects[j]));
        }
    }
    QCOMPARE(positions.value(NodeId::FlowInputs).x(), 0.0);
    QVERIFY(positions.value(NodeId::FlowOutputs).x()
            > positions.value(model.nodeId(QStringLiteral("n9_0"))).x());
}

QTEST_MAIN(TestFlowGraphModel)
#include "tst_ui_flowgraphmodel.moc"
