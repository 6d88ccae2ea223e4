#include <ui/editor/floweditorwidget.h>

#include <core/flow/apiparameters.h>
#include <core/flow/flowloader.h>
#include <core/flow/flowwriter.h>
#include <ui/editor/flowgraphmodel.h>
#include <ui/editor/flowscene.h>
#include <ui/editor/flowview.h>
#include <ui/editor/jinjahighlighter.h>
#ifdef FB_HAVE_KSYNTAXHIGHLIGHTING
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#endif
#include <ui/editor/nodeitem.h>
#include <ui/editor/nodepropertiespanel.h>
#include <ui/editor/problemsmodel.h>
#include <ui/editor/prompteditor.h>
#include <ui/editor/templateeditcommand.h>
#include <ui/editor/variantdiffdialog.h>
#include <ui/editor/varianttabbar.h>

#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QKeyEvent>
#include <QListView>
#include <QMenu>
#include <QPlainTextDocumentLayout>
#include <QSaveFile>
#include <QTextDocument>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace fb {

using namespace fb::ui;

namespace {

QString starterText(const Node &node)
{
    if (node.type == NodeType::Python) {
        return QStringLiteral("from promptflow.core import tool\n\n\n@tool\ndef %1() -> str:\n"
                              "    return \"\"\n")
            .arg(QString::fromStdString(node.name));
    }
    if (node.type == NodeType::Prompt) {
        return QStringLiteral("{{text}}\n");
    }
    return QStringLiteral("# system:\nYou are a helpful assistant.\n\n# user:\n{{question}}\n");
}

bool writeText(const QString &path, const QString &text, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit()) {
        if (error) {
            *error = FlowEditorWidget::tr("Cannot write %1: %2").arg(path, file.errorString());
        }
        return false;
    }
    return true;
}

} // namespace

FlowEditorWidget::FlowEditorWidget(QWidget *parent)
    : QWidget(parent)
    , m_model(new FlowGraphModel(this))
    , m_undoStack(new QUndoStack(this))
    , m_scene(new FlowScene(m_model, m_undoStack, this))
    , m_view(new FlowView(this))
    , m_variants(new VariantTabBar(m_model, m_undoStack, this))
    , m_properties(new NodePropertiesPanel(m_model, m_undoStack, this))
    , m_problems(new ProblemsModel(this))
    , m_problemsView(new QListView(this))
    , m_prompt(new PromptEditor(this))
    , m_validateTimer(new QTimer(this))
{
    m_view->setScene(m_scene);
    m_problemsView->setModel(m_problems);
    m_problemsView->setUniformItemSizes(true);
    m_problemsView->setWordWrap(true);
    m_properties->hide();
    m_problemsView->hide();
    m_prompt->hide();

    auto *toolbar = new QToolBar(this);
    toolbar->setIconSize(QSize(16, 16));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_addButton = new QToolButton(toolbar);
    m_addButton->setPopupMode(QToolButton::InstantPopup);
    auto *addMenu = new QMenu(m_addButton);
    const auto addAt = [this](NodeType type) {
        m_scene->addNode(type, m_view->mapToScene(m_view->viewport()->rect().center()));
    };
    m_addLlmAction = addMenu->addAction(QString(), this, [addAt] { addAt(NodeType::Llm); });
    m_addPromptAction = addMenu->addAction(QString(), this, [addAt] { addAt(NodeType::Prompt); });
    m_addPythonAction = addMenu->addAction(QString(), this, [addAt] { addAt(NodeType::Python); });
    m_addButton->setMenu(addMenu);
    toolbar->addWidget(m_addButton);
    m_deleteAction = toolbar->addAction(QString(), this, [this] { m_scene->deleteSelection(); });
    toolbar->addSeparator();
    m_layoutAction = toolbar->addAction(QString(), this, [this] { m_scene->autoLayout(false); });
    m_fitAction = toolbar->addAction(QString(), this, [this] { m_view->fitToView(); });

    // The tools, then the selected node's variant tabs on a row of their own: beside the
    // tools they had to share a half-screen width and shrank to nothing.
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(toolbar);
    layout->addWidget(m_variants);
    layout->addWidget(m_view, 1);

    m_validateTimer->setSingleShot(true);
    m_validateTimer->setInterval(250);
    connect(m_validateTimer, &QTimer::timeout, this, &FlowEditorWidget::validateNow);
    connect(m_model, &FlowGraphModel::flowChanged, this, [this] {
        m_validateTimer->start();
        Q_EMIT flowChanged();
    });
    connect(m_model, &FlowGraphModel::nodeUpdated, this, [this](NodeId id) {
        if (m_scene->selectedNode() == id) {
            const QString name = m_model->nodeName(id);
            if (name != m_selected) {
                m_selected = name;
                Q_EMIT selectedNodeChanged(name);
            }
            loadPrompt();
        }
    });
    connect(m_scene, &QGraphicsScene::selectionChanged, this,
            &FlowEditorWidget::onSelectionChanged);
    connect(m_scene, &FlowScene::nodeActivated, this, [this](NodeId id) {
        if (m_model->kind(id) == GraphNodeKind::Node) {
            m_prompt->textEdit()->setFocus();
        }
    });
    connect(m_undoStack, &QUndoStack::cleanChanged, this, &FlowEditorWidget::updateModified);
    connect(m_variants, &VariantTabBar::templateCopyNeeded, this, &FlowEditorWidget::copyTemplate);
    connect(m_variants, &VariantTabBar::compareRequested, this, &FlowEditorWidget::compareVariants);
    connect(m_problemsView, &QListView::activated, this, &FlowEditorWidget::activateProblem);
    connect(m_problemsView, &QListView::clicked, this, &FlowEditorWidget::activateProblem);
    // Undo and redo in the prompt editor go through the flow's undo stack (see
    // TemplateEditCommand), not straight to the document, so the one history stays in step.
    m_prompt->textEdit()->installEventFilter(this);
    retranslateUi();
}

bool FlowEditorWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_prompt->textEdit()
        && (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool undo = key->matches(QKeySequence::Undo);
        const bool redo = key->matches(QKeySequence::Redo);
        if (undo || redo) {
            if (event->type() == QEvent::ShortcutOverride) {
                // Let a window-wide Undo/Redo action take the key when there is one.
                event->ignore();
                return true;
            }
            undo ? m_undoStack->undo() : m_undoStack->redo();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FlowEditorWidget::retranslateUi()
{
    m_problemsView->setAccessibleName(tr("Problems"));
    m_addButton->setText(tr("Add node"));
    m_addLlmAction->setText(tr("LLM node"));
    m_addPromptAction->setText(tr("Prompt node"));
    m_addPythonAction->setText(tr("Python node"));
    m_deleteAction->setText(tr("Delete"));
    m_layoutAction->setText(tr("Auto layout"));
    m_fitAction->setText(tr("Fit to view"));
}

void FlowEditorWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        // Graph items and item models get no LanguageChange: refresh what they show.
        m_scene->retranslate();
        m_problems->retranslate();
        // The prompt editor's message ("select a node", "no template") comes from here.
        loadPrompt();
    }
    QWidget::changeEvent(event);
}

FlowEditorWidget::~FlowEditorWidget()
{
    // Children are destroyed after this body and emit on the way (the undo stack its clean
    // and can-undo state, the scene its selection): nobody, here or in the window around us,
    // may react to that while the documents and the model are half gone.
    const QObjectList children = this->children();
    for (QObject *child : children) {
        QObject::disconnect(child, nullptr, nullptr, nullptr);
    }
    delete m_undoStack;
    m_undoStack = nullptr;
    // The scene's items read the graph model while they are destroyed; QObject would delete
    // the model first (children go in creation order), so take the scene down explicitly.
    m_view->setScene(nullptr);
    delete m_scene;
    m_scene = nullptr;
}

bool FlowEditorWidget::openFlow(const QString &dir, QString *error)
{
    auto loaded = FlowLoader::load(dir.toStdString());
    if (!loaded) {
        if (error) {
            *error = QString::fromStdString(loaded.error().message);
        }
        return false;
    }
    Flow flow = std::move(*loaded);
    if (flow.file.empty()) {
        flow.file = flow.dir / "flow.dag.yaml";
    }
    showFlow(std::move(flow));
    return true;
}

void FlowEditorWidget::showFlow(Flow flow)
{
    clearTemplates();
    m_selected.clear();
    m_model->resetFlow(std::move(flow));
    m_undoStack->clear();
    m_undoStack->setClean();
    m_scene->autoLayout(true);
    validateNow();
    // Start on the first node with a template, so the prompt editor has something to show.
    for (const auto &node : m_model->flow().nodes) {
        const NodeId id = m_model->nodeId(QString::fromStdString(node.name));
        const Node *effective = m_model->effectiveNode(id);
        if (effective && effective->type != NodeType::Python) {
            selectNode(QString::fromStdString(node.name));
            break;
        }
    }
    onSelectionChanged();
    if (isVisible()) {
        m_view->fitForReading();
    } else {
        m_fitPending = true;
    }
    updateModified();
    Q_EMIT flowChanged();
}

QByteArray FlowEditorWidget::editedYaml() const
{
    return QByteArray::fromStdString(FlowWriter::toYaml(m_model->flow()));
}

QHash<QString, QString> FlowEditorWidget::editedFiles() const
{
    QHash<QString, QString> files;
    for (auto it = m_templates.cbegin(); it != m_templates.cend(); ++it) {
        if (it.value()->isModified()) {
            files.insert(it.key(), it.value()->toPlainText());
        }
    }
    return files;
}

bool FlowEditorWidget::restoreEdits(const QByteArray &yaml, const QHash<QString, QString> &files,
                                    QString *error)
{
    const std::filesystem::path file = m_model->flow().file;
    auto loaded = FlowLoader::loadFromString(yaml.toStdString(), file);
    if (!loaded) {
        if (error) {
            *error = QString::fromStdString(loaded.error().message);
        }
        return false;
    }
    showFlow(std::move(*loaded));
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        // An absolute path resolves to itself, so this is the document save() writes.
        QTextDocument *doc = templateDocument(it.key());
        if (doc->toPlainText() != it.value()) {
            m_settingText = true;
            doc->setPlainText(it.value());
            doc->clearUndoRedoStacks();
            m_settingText = false;
            doc->setModified(true);
        }
    }
    // Never clean: the recovered state is not what is on disk until the user saves.
    m_undoStack->resetClean();
    loadPrompt();
    updateModified();
    Q_EMIT flowChanged();
    return true;
}

void FlowEditorWidget::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_fitPending) {
        m_fitPending = false;
        // After the layout has given the view its size.
        QTimer::singleShot(0, this, [this] { m_view->fitForReading(); });
    }
}

void FlowEditorWidget::fitToView() { m_view->fitToView(); }

QString FlowEditorWidget::absolutePath(const QString &relativePath) const
{
    return QFileInfo(QString::fromStdString(
                         m_model->flow().resolvePath(relativePath.toStdString()).string()))
        .absoluteFilePath();
}

bool FlowEditorWidget::save(QString *error)
{
    const Flow &current = m_model->flow();
    if (current.file.empty()) {
        if (error) {
            *error = tr("No flow is open.");
        }
        return false;
    }
    m_model->commitPositions();
    const Flow &flow = m_model->flow();

    // Every source file the flow names: write edited documents, create missing files.
    QSet<QString> referenced;
    const auto handle = [&](const Node &node) {
        if (node.source.path.empty() || node.source.type == "package") {
            return true;
        }
        const QString rel = QString::fromStdString(node.source.path);
        const QString abs = absolutePath(rel);
        if (referenced.contains(abs)) {
            return true;
        }
        referenced.insert(abs);
        QTextDocument *doc = m_templates.value(abs);
        if (doc && (doc->isModified() || !QFileInfo::exists(abs))) {
            return writeText(abs, doc->toPlainText(), error);
        }
        if (!doc && !QFileInfo::exists(abs)) {
            return writeText(abs, starterText(node), error);
        }
        return true;
    };
    for (const auto &node : flow.nodes) {
        if (!handle(node)) {
            return false;
        }
    }
    for (const auto &nv : flow.nodeVariants) {
        for (const auto &variant : nv.variants) {
            if (!handle(variant.node)) {
                return false;
            }
        }
    }
    auto saved = FlowWriter::save(flow, flow.file);
    if (!saved) {
        if (error) {
            *error = QString::fromStdString(saved.error().message);
        }
        return false;
    }
    for (QTextDocument *doc : std::as_const(m_templates)) {
        doc->setModified(false);
    }
    m_undoStack->setClean();
    updateModified();
    validateNow();
    return true;
}

bool FlowEditorWidget::isModified() const
{
    if (!m_undoStack->isClean()) {
        return true;
    }
    for (const QTextDocument *doc : m_templates) {
        if (doc->isModified()) {
            return true;
        }
    }
    return false;
}

const Flow &FlowEditorWidget::flow() const { return m_model->flow(); }

QUndoStack *FlowEditorWidget::undoStack() const { return m_undoStack; }

std::map<std::filesystem::path, std::string> FlowEditorWidget::unsavedTemplates() const
{
    std::map<std::filesystem::path, std::string> texts;
    const QHash<QString, QString> files = editedFiles();
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        texts.emplace(std::filesystem::path(it.key().toStdString()).lexically_normal(),
                      it.value().toStdString());
    }
    return texts;
}

Value FlowEditorWidget::variantSelection() const { return m_model->variantSelection(); }

void FlowEditorWidget::setSampleInputs(const Value &inputs)
{
    m_sampleInputs = inputs.is_object() ? inputs : Value::object();
    loadPrompt();
}

QWidget *FlowEditorWidget::propertiesPanel() const { return m_properties; }

QWidget *FlowEditorWidget::problemsView() const { return m_problemsView; }

QWidget *FlowEditorWidget::promptEditor() const { return m_prompt; }

void FlowEditorWidget::setConnectionNames(const QStringList &names)
{
    m_properties->setConnectionNames(names);
    m_scene->setDefaultConnection(names.value(0));
}

void FlowEditorWidget::selectNode(const QString &name)
{
    const NodeId id = m_model->nodeId(name);
    m_scene->selectNode(id);
    if (NodeItem *item = m_scene->nodeItem(id)) {
        m_view->ensureVisible(item, 40, 40);
    }
}

QString FlowEditorWidget::selectedNode() const
{
    return m_model->nodeName(m_scene->selectedNode());
}

void FlowEditorWidget::onSelectionChanged()
{
    const NodeId id = m_scene->selectedNode();
    const QString name = m_model->nodeName(id);
    m_properties->setNode(id);
    m_variants->setNode(id);
    loadPrompt();
    if (name != m_selected) {
        m_selected = name;
        Q_EMIT selectedNodeChanged(name);
    }
}

void FlowEditorWidget::highlight(QTextDocument *doc, const QString &fileName) const
{
#ifdef FB_HAVE_KSYNTAXHIGHLIGHTING
    static KSyntaxHighlighting::Repository repository;
    KSyntaxHighlighting::Definition definition = repository.definitionForFileName(fileName);
    if (!definition.isValid()) {
        definition = repository.definitionForName(QStringLiteral("Jinja"));
    }
    if (definition.isValid()) {
        auto *highlighter = new KSyntaxHighlighting::SyntaxHighlighter(doc);
        highlighter->setTheme(repository.themeForPalette(palette()));
        highlighter->setDefinition(definition);
        return;
    }
#else
    Q_UNUSED(fileName);
#endif
    new JinjaHighlighter(doc);
}

QTextDocument *FlowEditorWidget::templateDocument(const QString &relativePath)
{
    const QString abs = absolutePath(relativePath);
    if (QTextDocument *doc = m_templates.value(abs)) {
        return doc;
    }
    auto *doc = new QTextDocument(this);
    doc->setDocumentLayout(new QPlainTextDocumentLayout(doc));
    QFile file(abs);
    if (file.open(QIODevice::ReadOnly)) {
        doc->setPlainText(QString::fromUtf8(file.readAll()));
    }
    doc->clearUndoRedoStacks();
    doc->setModified(false);
    if (!abs.endsWith(QLatin1String(".py"))) {
        highlight(doc, abs);
    }
    connect(doc, &QTextDocument::modificationChanged, this, &FlowEditorWidget::updateModified);
    // Each undo step the document records is a step of the flow's one undo history.
    const QString fileName = QFileInfo(abs).fileName();
    connect(doc, &QTextDocument::undoCommandAdded, this, [this, doc, fileName] {
        if (!m_settingText) {
            m_undoStack->push(new TemplateEditCommand(doc, fileName));
        }
    });
    m_templates.insert(abs, doc);
    return doc;
}

void FlowEditorWidget::clearTemplates()
{
    m_prompt->clearTemplate(tr("Select an llm or prompt node to edit its template."));
    qDeleteAll(m_templates);
    m_templates.clear();
}

void FlowEditorWidget::copyTemplate(const QString &from, const QString &to)
{
    const QString text = templateDocument(from)->toPlainText();
    QTextDocument *target = templateDocument(to);
    if (!QFileInfo::exists(absolutePath(to)) && target->isEmpty()) {
        // Part of creating the variant (its command undoes it), not a text edit of its own.
        m_settingText = true;
        target->setPlainText(text);
        target->clearUndoRedoStacks();
        m_settingText = false;
        target->setModified(true);
    }
}

Value FlowEditorWidget::promptContext(const Node &node) const
{
    const Flow &flow = m_model->flow();
    const bool llm = node.type == NodeType::Llm || node.type == NodeType::CustomLlm;
    Value context = Value::object();
    for (const auto &in : node.inputs) {
        if (llm && ApiParameters::isApiParameter(in.name, node.api)) {
            continue;
        }
        if (!Reference::looksLikeReference(in.value)) {
            context[in.name] = in.value;
            continue;
        }
        const auto ref = Reference::parse(in.value.get<std::string>());
        if (ref && ref->kind == Reference::Kind::FlowInput) {
            if (m_sampleInputs.contains(ref->name)) {
                context[in.name] = m_sampleInputs[ref->name];
            } else if (const FlowInput *fi = flow.input(ref->name); fi && fi->defaultValue) {
                context[in.name] = *fi->defaultValue;
            }
        } else if (ref) {
            // Upstream nodes do not run for the preview: show where the value would come from.
            context[in.name]
                = "[" + ref->name + ".output" + (ref->key.empty() ? "" : "." + ref->key) + "]";
        }
    }
    return context;
}

void FlowEditorWidget::loadPrompt()
{
    const NodeId id = m_scene->selectedNode();
    const Node *node = m_model->effectiveNode(id);
    if (!node) {
        m_prompt->clearTemplate(tr("Select an llm or prompt node to edit its template."));
        return;
    }
    if (node->type == NodeType::Python || node->source.path.empty()) {
        m_prompt->clearTemplate(tr("%1 has no prompt template.").arg(m_model->nodeName(id)));
        return;
    }
    const QString rel = QString::fromStdString(node->source.path);
    QTextDocument *doc = templateDocument(rel);
    const bool chat = node->type != NodeType::Prompt && node->api != "completion";
    if (m_prompt->document() == doc) {
        m_prompt->setContext(promptContext(*node));
    } else {
        m_prompt->setTemplate(doc, rel, chat, promptContext(*node));
    }
}

void FlowEditorWidget::updateModified()
{
    const bool modified = isModified();
    if (modified != m_lastModified) {
        m_lastModified = modified;
        Q_EMIT modifiedChanged(modified);
    }
}

void FlowEditorWidget::validateNow()
{
    m_validateTimer->stop();
    // What the editor holds, saved or not: the run uses the same texts.
    const QList<ProblemsModel::Problem> problems
        = ProblemsModel::validate(m_model->flow(), unsavedTemplates());
    m_problems->setProblems(problems);
    QHash<NodeId, QStringList> errors;
    QHash<NodeId, QStringList> warnings;
    for (const auto &p : problems) {
        NodeId id = NodeId::Invalid;
        switch (p.target) {
        case ProblemsModel::Target::Node:
            id = m_model->nodeId(p.nodeName);
            break;
        case ProblemsModel::Target::Inputs:
            id = NodeId::FlowInputs;
            break;
        case ProblemsModel::Target::Outputs:
            id = NodeId::FlowOutputs;
            break;
        case ProblemsModel::Target::Flow:
            break;
        }
        if (id != NodeId::Invalid) {
            (p.isError ? errors : warnings)[id].append(p.message);
        }
    }
    m_scene->setProblems(errors, warnings);
    Q_EMIT problemsChanged(m_problems->errorCount());
}

void FlowEditorWidget::activateProblem(const QModelIndex &index)
{
    if (!index.isValid()) {
        return;
    }
    const auto target = ProblemsModel::Target(index.data(ProblemsModel::TargetRole).toInt());
    NodeId id = NodeId::Invalid;
    if (target == ProblemsModel::Target::Node) {
        id = m_model->nodeId(index.data(ProblemsModel::NodeNameRole).toString());
    } else if (target == ProblemsModel::Target::Inputs) {
        id = NodeId::FlowInputs;
    } else if (target == ProblemsModel::Target::Outputs) {
        id = NodeId::FlowOutputs;
    }
    if (NodeItem *item = m_scene->nodeItem(id)) {
        m_scene->clearSelection();
        item->setSelected(true);
        m_view->centerOnItem(item);
    }
}

void FlowEditorWidget::compareVariants(const QString &node, const QString &left,
                                       const QString &right)
{
    auto *dialog = new VariantDiffDialog(
        m_model->flow(), node,
        [this](const QString &rel) { return templateDocument(rel)->toPlainText(); }, left, right,
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

} // namespace fb
