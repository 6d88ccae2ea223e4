#include <ui/editor/nodepropertiespanel.h>

#include <core/flow/apiparameters.h>
#include <ui/editor/editorpalette_p.h>
#include <ui/editor/flowgraphmodel.h>
#include <ui/editor/renamenodecommand.h>
#include <ui/editor/setnodecommand.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace fb::ui {

namespace {

const QStringList &parameterNames()
{
    static const QStringList names{
        QStringLiteral("temperature"),
        QStringLiteral("top_p"),
        QStringLiteral("max_tokens"),
        QStringLiteral("presence_penalty"),
        QStringLiteral("frequency_penalty"),
        QStringLiteral("seed"),
        QStringLiteral("stop"),
        QStringLiteral("response_format"),
    };
    return names;
}

/// Text for a value in an editable cell: strings as they are, everything else as JSON.
QString valueText(const Value &v)
{
    return v.is_string() ? QString::fromStdString(v.get<std::string>())
                         : QString::fromStdString(v.dump());
}

/// A cell's text back to a value: JSON numbers, booleans, lists and objects; else a string.
Value parseValueText(const QString &text)
{
    const QString t = text.trimmed();
    if (!t.isEmpty()
        && (t[0].isDigit() || t[0] == '-' || t[0] == '[' || t[0] == '{' || t == "true"
            || t == "false" || t == "null")) {
        Value parsed = Value::parse(t.toStdString(), nullptr, false);
        if (!parsed.is_discarded()) {
            return parsed;
        }
    }
    return Value(text.toStdString());
}

void setInput(Node &node, const std::string &name, const Value &value)
{
    for (auto &in : node.inputs) {
        if (in.name == name) {
            in.value = value;
            return;
        }
    }
    NodeInput in;
    in.name = name;
    in.value = value;
    node.inputs.push_back(std::move(in));
}

void removeInput(Node &node, const std::string &name)
{
    std::erase_if(node.inputs, [&](const NodeInput &in) { return in.name == name; });
}

} // namespace

NodePropertiesPanel::NodePropertiesPanel(FlowGraphModel *model, QUndoStack *undoStack,
                                         QWidget *parent)
    : QWidget(parent)
    , m_graph(model)
    , m_undoStack(undoStack)
    , m_stack(new QStackedWidget(this))
    , m_empty(new QLabel(this))
{
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_stack->addWidget(m_empty);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *page = new QWidget(scroll);
    scroll->setWidget(page);
    m_stack->addWidget(scroll);
    auto *layout = new QVBoxLayout(page);

    m_header = new QLabel(page);
    QFont headerFont = scaledFont(m_header->font(), 1.15);
    headerFont.setBold(true);
    m_header->setFont(headerFont);
    layout->addWidget(m_header);

    auto *general = new QFormLayout;
    m_name = new QLineEdit(page);
    m_type = new QComboBox(page);
    for (const char *t : {"llm", "prompt", "python", "custom_llm"}) {
        m_type->addItem(QString::fromLatin1(t));
    }
    m_source = new QLineEdit(page);
    m_nameLabel = new QLabel(page);
    m_typeLabel = new QLabel(page);
    m_sourceLabel = new QLabel(page);
    general->addRow(m_nameLabel, m_name);
    general->addRow(m_typeLabel, m_type);
    general->addRow(m_sourceLabel, m_source);
    layout->addLayout(general);

    m_llmBox = new QWidget(page);
    auto *llmForm = new QFormLayout(m_llmBox);
    llmForm->setContentsMargins(0, 0, 0, 0);
    m_connection = new QComboBox(m_llmBox);
    m_connection->setEditable(true);
    m_connection->setInsertPolicy(QComboBox::NoInsert);
    m_api = new QComboBox(m_llmBox);
    m_api->addItem(QStringLiteral("chat"));
    m_api->addItem(QStringLiteral("completion"));
    m_modelLabel = new QLabel(m_llmBox);
    m_model = new QLineEdit(m_llmBox);
    m_connectionLabel = new QLabel(m_llmBox);
    m_apiLabel = new QLabel(m_llmBox);
    llmForm->addRow(m_connectionLabel, m_connection);
    llmForm->addRow(m_apiLabel, m_api);
    llmForm->addRow(m_modelLabel, m_model);
    layout->addWidget(m_llmBox);

    m_parameterBox = new QGroupBox(page);
    auto *paramForm = new QFormLayout(m_parameterBox);
    const auto doubleSpin = [&](double min, double max, double step) {
        auto *spin = new QDoubleSpinBox(m_parameterBox);
        spin->setRange(min, max);
        spin->setSingleStep(step);
        spin->setDecimals(2);
        return spin;
    };
    addParameter(paramForm, QStringLiteral("temperature"), doubleSpin(0, 2, 0.1));
    addParameter(paramForm, QStringLiteral("top_p"), doubleSpin(0, 1, 0.05));
    auto *maxTokens = new QSpinBox(m_parameterBox);
    maxTokens->setRange(1, 1000000);
    maxTokens->setSingleStep(64);
    addParameter(paramForm, QStringLiteral("max_tokens"), maxTokens);
    addParameter(paramForm, QStringLiteral("presence_penalty"), doubleSpin(-2, 2, 0.1));
    addParameter(paramForm, QStringLiteral("frequency_penalty"), doubleSpin(-2, 2, 0.1));
    auto *seed = new QSpinBox(m_parameterBox);
    seed->setRange(0, std::numeric_limits<int>::max());
    addParameter(paramForm, QStringLiteral("seed"), seed);
    m_stop = new QLineEdit(m_parameterBox);
    addParameter(paramForm, QStringLiteral("stop"), m_stop);
    auto *format = new QComboBox(m_parameterBox);
    format->addItem(QStringLiteral("text"));
    format->addItem(QStringLiteral("json_object"));
    addParameter(paramForm, QStringLiteral("response_format"), format);
    layout->addWidget(m_parameterBox);

    m_inputsBox = new QGroupBox(page);
    auto *inputsLayout = new QVBoxLayout(m_inputsBox);
    m_inputs = new QTableWidget(0, 2, m_inputsBox);
    m_inputs->setHorizontalHeaderItem(0, new QTableWidgetItem);
    m_inputs->setHorizontalHeaderItem(1, new QTableWidgetItem);
    m_inputs->horizontalHeader()->setStretchLastSection(true);
    m_inputs->verticalHeader()->hide();
    m_inputs->setMinimumHeight(120);
    inputsLayout->addWidget(m_inputs);
    auto *buttons = new QHBoxLayout;
    m_addInput = new QPushButton(m_inputsBox);
    m_removeInput = new QPushButton(m_inputsBox);
    buttons->addWidget(m_addInput);
    buttons->addWidget(m_removeInput);
    buttons->addStretch();
    inputsLayout->addLayout(buttons);
    layout->addWidget(m_inputsBox);

    m_activateBox = new QGroupBox(page);
    m_activateBox->setCheckable(true);
    auto *activateForm = new QFormLayout(m_activateBox);
    m_when = new QComboBox(m_activateBox);
    m_when->setEditable(true);
    m_when->setInsertPolicy(QComboBox::NoInsert);
    m_is = new QLineEdit(m_activateBox);
    m_whenLabel = new QLabel(m_activateBox);
    m_isLabel = new QLabel(m_activateBox);
    activateForm->addRow(m_whenLabel, m_when);
    activateForm->addRow(m_isLabel, m_is);
    layout->addWidget(m_activateBox);

    m_aggregation = new QCheckBox(page);
    layout->addWidget(m_aggregation);
    layout->addStretch();

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);

    connect(m_name, &QLineEdit::editingFinished, this, &NodePropertiesPanel::rename);
    connect(m_type, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        Node n = current();
        const auto type = text == QLatin1String("custom_llm") ? NodeType::CustomLlm
                          : text == QLatin1String("prompt")   ? NodeType::Prompt
                          : text == QLatin1String("python")   ? NodeType::Python
                                                              : NodeType::Llm;
        n.type = type;
        n.unknownType.clear();
        push(n, QStringLiteral("type"));
    });
    connect(m_source, &QLineEdit::editingFinished, this, [this] {
        Node n = current();
        n.source.path = m_source->text().trimmed().toStdString();
        push(n, QStringLiteral("source"));
    });
    connect(m_connection, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        Node n = current();
        n.connection = text.trimmed().toStdString();
        push(n, QStringLiteral("connection"));
    });
    connect(m_api, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        Node n = current();
        n.api = text.toStdString();
        push(n, QStringLiteral("api"));
    });
    connect(m_model, &QLineEdit::textEdited, this, &NodePropertiesPanel::commitModel);
    connect(m_inputs, &QTableWidget::itemChanged, this, &NodePropertiesPanel::commitInputs);
    connect(m_addInput, &QPushButton::clicked, this, [this] {
        Node n = current();
        std::string name = "input";
        for (int i = 1; n.input(name); ++i) {
            name = "input_" + std::to_string(i);
        }
        setInput(n, name, Value(""));
        push(n, {});
    });
    connect(m_removeInput, &QPushButton::clicked, this, [this] {
        const int row = m_inputs->currentRow();
        if (row < 0 || !m_inputs->item(row, 0)) {
            return;
        }
        Node n = current();
        removeInput(n, m_inputs->item(row, 0)->data(Qt::UserRole).toString().toStdString());
        push(n, {});
    });
    connect(m_activateBox, &QGroupBox::toggled, this, &NodePropertiesPanel::commitActivate);
    connect(m_when, &QComboBox::currentTextChanged, this, &NodePropertiesPanel::commitActivate);
    connect(m_is, &QLineEdit::textEdited, this, &NodePropertiesPanel::commitActivate);
    connect(m_aggregation, &QCheckBox::toggled, this, [this](bool on) {
        Node n = current();
        n.aggregation = on;
        push(n, QStringLiteral("aggregation"));
    });

    connect(model, &FlowGraphModel::nodeUpdated, this, [this](NodeId id) {
        if (id == m_id && !m_loading) {
            reload();
        }
    });
    connect(model, &FlowGraphModel::nodeDeleted, this, [this](NodeId id) {
        if (id == m_id) {
            setNode(NodeId::Invalid);
        }
    });
    connect(model, &FlowGraphModel::modelReset, this, [this] { setNode(NodeId::Invalid); });
    retranslateUi();
    setNode(NodeId::Invalid);
}

void NodePropertiesPanel::retranslateUi()
{
    m_empty->setText(tr("Select a node to see its properties."));
    m_source->setPlaceholderText(tr("file relative to the flow folder"));
    m_nameLabel->setText(tr("Name"));
    m_typeLabel->setText(tr("Type"));
    m_sourceLabel->setText(tr("Source"));
    m_connectionLabel->setText(tr("Connection"));
    m_apiLabel->setText(tr("API"));
    m_parameterBox->setTitle(tr("Parameters"));
    m_stop->setPlaceholderText(tr("text, or a JSON list"));
    m_inputsBox->setTitle(tr("Inputs"));
    m_inputs->horizontalHeaderItem(0)->setText(tr("Name"));
    m_inputs->horizontalHeaderItem(1)->setText(tr("Value or reference"));
    m_addInput->setText(tr("Add input"));
    m_removeInput->setText(tr("Remove input"));
    m_activateBox->setTitle(tr("Run only when"));
    m_is->setPlaceholderText(tr("a literal, e.g. true"));
    m_whenLabel->setText(tr("Reference"));
    m_isLabel->setText(tr("Equals"));
    m_aggregation->setText(tr("Aggregation (runs once over all lines)"));
    // "Model" or "Deployment" depends on the node.
    reload();
}

void NodePropertiesPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void NodePropertiesPanel::addParameter(QFormLayout *form, const QString &name, QWidget *editor)
{
    Parameter p;
    p.name = name;
    p.enabled = new QCheckBox(name, m_parameterBox);
    p.editor = editor;
    editor->setEnabled(false);
    form->addRow(p.enabled, editor);
    m_parameters.append(p);
    connect(p.enabled, &QCheckBox::toggled, this, [this, p](bool on) {
        p.editor->setEnabled(on);
        commitParameter(p);
    });
    if (auto *spin = qobject_cast<QDoubleSpinBox *>(editor)) {
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this, p] { commitParameter(p); });
    } else if (auto *ispin = qobject_cast<QSpinBox *>(editor)) {
        connect(ispin, &QSpinBox::valueChanged, this, [this, p] { commitParameter(p); });
    } else if (auto *line = qobject_cast<QLineEdit *>(editor)) {
        connect(line, &QLineEdit::textEdited, this, [this, p] { commitParameter(p); });
    } else if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        connect(combo, &QComboBox::currentTextChanged, this, [this, p] { commitParameter(p); });
    }
}

QDoubleSpinBox *NodePropertiesPanel::temperatureSpin() const
{
    return qobject_cast<QDoubleSpinBox *>(m_parameters.value(0).editor);
}

QSpinBox *NodePropertiesPanel::maxTokensSpin() const
{
    return qobject_cast<QSpinBox *>(m_parameters.value(2).editor);
}

bool NodePropertiesPanel::isParameterEditor(const QString &name)
{
    return parameterNames().contains(name) || name == QLatin1String("model")
           || name == QLatin1String("deployment_name");
}

void NodePropertiesPanel::setConnectionNames(const QStringList &names)
{
    m_connectionNames = names;
    reload();
}

void NodePropertiesPanel::setNode(NodeId id)
{
    m_id = m_graph->kind(id) == GraphNodeKind::Node && m_graph->node(id) ? id : NodeId::Invalid;
    reload();
}

Node NodePropertiesPanel::current() const
{
    const Node *n = m_graph->effectiveNode(m_id);
    return n ? *n : Node();
}

void NodePropertiesPanel::push(const Node &node, const QString &field)
{
    if (m_loading || m_id == NodeId::Invalid) {
        return;
    }
    const Node *before = m_graph->effectiveNode(m_id);
    if (!before) {
        return;
    }
    m_loading = true;
    m_undoStack->push(new SetNodeCommand(m_graph, m_graph->nodeName(m_id), node, field));
    m_loading = false;
    // Structural edits (inputs added/removed, type) change what the panel shows.
    if (field.isEmpty() || field == QLatin1String("type")) {
        reload();
    }
}

void NodePropertiesPanel::reload()
{
    const Node *n = m_id == NodeId::Invalid ? nullptr : m_graph->effectiveNode(m_id);
    if (!n) {
        m_stack->setCurrentIndex(0);
        return;
    }
    m_loading = true;
    m_stack->setCurrentIndex(1);
    const QString name = m_graph->nodeName(m_id);
    const QString variant = m_graph->activeVariant(m_id);
    m_header->setText(variant.isEmpty() ? name : QStringLiteral("%1 — %2").arg(name, variant));
    m_name->setText(name);
    m_type->setCurrentText(n->unknownType.empty() ? QString::fromLatin1(nodeTypeName(n->type))
                                                  : QString::fromStdString(n->unknownType));
    m_source->setText(QString::fromStdString(n->source.path));
    const bool llm
        = n->unknownType.empty() && (n->type == NodeType::Llm || n->type == NodeType::CustomLlm);
    m_llmBox->setVisible(llm);
    m_parameterBox->setVisible(llm);

    m_connection->clear();
    m_connection->addItems(m_connectionNames);
    m_connection->setCurrentText(QString::fromStdString(n->connection));
    m_api->setCurrentText(n->api.empty() ? QStringLiteral("chat") : QString::fromStdString(n->api));
    const bool deployment = n->input("deployment_name") != nullptr;
    m_modelLabel->setText(deployment ? tr("Deployment") : tr("Model"));
    const NodeInput *modelInput = n->input(deployment ? "deployment_name" : "model");
    m_model->setText(modelInput ? valueText(modelInput->value) : QString());

    for (const auto &p : std::as_const(m_parameters)) {
        const NodeInput *in = n->input(p.name.toStdString());
        p.enabled->setChecked(in != nullptr);
        p.editor->setEnabled(in != nullptr);
        if (!in) {
            continue;
        }
        if (auto *spin = qobject_cast<QDoubleSpinBox *>(p.editor)) {
            spin->setValue(in->value.is_number() ? in->value.get<double>()
                                                 : valueText(in->value).toDouble());
        } else if (auto *ispin = qobject_cast<QSpinBox *>(p.editor)) {
            ispin->setValue(in->value.is_number() ? in->value.get<int>()
                                                  : valueText(in->value).toInt());
        } else if (auto *line = qobject_cast<QLineEdit *>(p.editor)) {
            line->setText(valueText(in->value));
        } else if (auto *combo = qobject_cast<QComboBox *>(p.editor)) {
            const Value &v = in->value;
            combo->setCurrentText(v.is_object() && v.contains("type") && v["type"].is_string()
                                      ? QString::fromStdString(v["type"].get<std::string>())
                                      : valueText(v));
        }
    }

    m_inputs->setRowCount(0);
    for (const auto &in : n->inputs) {
        const QString inName = QString::fromStdString(in.name);
        if (llm && isParameterEditor(inName)) {
            continue;
        }
        const int row = m_inputs->rowCount();
        m_inputs->insertRow(row);
        auto *nameItem = new QTableWidgetItem(inName);
        nameItem->setData(Qt::UserRole, inName);
        m_inputs->setItem(row, 0, nameItem);
        m_inputs->setItem(row, 1, new QTableWidgetItem(valueText(in.value)));
    }

    m_activateBox->setChecked(n->activate.has_value());
    m_when->clear();
    for (const NodeId other : m_graph->nodeIds()) {
        if (other != m_id && m_graph->kind(other) == GraphNodeKind::Node) {
            m_when->addItem(m_graph->referenceText(other, outputPortName()));
        }
    }
    for (const auto &in : m_graph->flow().inputs) {
        m_when->addItem(QStringLiteral("${inputs.%1}").arg(QString::fromStdString(in.name)));
    }
    m_when->setCurrentText(n->activate ? QString::fromStdString(n->activate->when) : QString());
    m_is->setText(n->activate && n->activate->hasIs ? valueText(n->activate->is) : QString());
    m_aggregation->setChecked(n->aggregation);
    m_loading = false;
}

void NodePropertiesPanel::commitParameter(const Parameter &p)
{
    if (m_loading) {
        return;
    }
    Node n = current();
    const std::string name = p.name.toStdString();
    if (!p.enabled->isChecked()) {
        removeInput(n, name);
    } else if (auto *spin = qobject_cast<QDoubleSpinBox *>(p.editor)) {
        // Keep whole numbers as integers, as people write them in YAML.
        const double v = std::round(spin->value() * 100) / 100;
        setInput(n, name, v == std::floor(v) ? Value(std::int64_t(v)) : Value(v));
    } else if (auto *ispin = qobject_cast<QSpinBox *>(p.editor)) {
        setInput(n, name, Value(ispin->value()));
    } else if (auto *line = qobject_cast<QLineEdit *>(p.editor)) {
        setInput(n, name, parseValueText(line->text()));
    } else if (auto *combo = qobject_cast<QComboBox *>(p.editor)) {
        setInput(n, name, Value({{"type", combo->currentText().toStdString()}}));
    }
    push(n, p.name);
}

void NodePropertiesPanel::commitModel()
{
    Node n = current();
    const std::string key = n.input("deployment_name") ? "deployment_name" : "model";
    if (m_model->text().isEmpty()) {
        removeInput(n, key);
    } else {
        setInput(n, key, Value(m_model->text().toStdString()));
    }
    push(n, QString::fromStdString(key));
}

void NodePropertiesPanel::commitInputs()
{
    if (m_loading) {
        return;
    }
    Node n = current();
    std::vector<NodeInput> others;
    std::vector<NodeInput> rows;
    for (int row = 0; row < m_inputs->rowCount(); ++row) {
        const QTableWidgetItem *nameItem = m_inputs->item(row, 0);
        const QTableWidgetItem *valueItem = m_inputs->item(row, 1);
        if (!nameItem || !valueItem || nameItem->text().trimmed().isEmpty()) {
            continue;
        }
        NodeInput in;
        in.name = nameItem->text().trimmed().toStdString();
        in.value = parseValueText(valueItem->text());
        const NodeInput *old = n.input(nameItem->data(Qt::UserRole).toString().toStdString());
        if (old && valueText(old->value) == valueItem->text()) {
            in.value = old->value; // unchanged text keeps its exact value
        }
        rows.push_back(in);
    }
    // Keep the file order: parameters where they were, edited rows in their places.
    std::vector<NodeInput> merged;
    std::size_t next = 0;
    const bool llm = n.type == NodeType::Llm || n.type == NodeType::CustomLlm;
    for (const auto &in : n.inputs) {
        if (llm && isParameterEditor(QString::fromStdString(in.name))) {
            merged.push_back(in);
        } else if (next < rows.size()) {
            merged.push_back(rows[next++]);
        }
    }
    for (; next < rows.size(); ++next) {
        merged.push_back(rows[next]);
    }
    n.inputs = merged;
    push(n, QStringLiteral("inputs"));
}

void NodePropertiesPanel::commitActivate()
{
    if (m_loading) {
        return;
    }
    Node n = current();
    if (!m_activateBox->isChecked()) {
        n.activate.reset();
    } else {
        Activate a = n.activate.value_or(Activate{});
        a.when = m_when->currentText().trimmed().toStdString();
        a.is = m_is->text().isEmpty() ? Value(true) : parseValueText(m_is->text());
        a.hasIs = true;
        n.activate = a;
    }
    push(n, QStringLiteral("activate"));
}

void NodePropertiesPanel::rename()
{
    if (m_loading || m_id == NodeId::Invalid) {
        return;
    }
    const QString current = m_graph->nodeName(m_id);
    const QString name = m_name->text().trimmed();
    if (name == current) {
        return;
    }
    if (!m_graph->isNameAvailable(name)) {
        m_name->setText(current);
        QMessageBox::warning(this, tr("Rename node"),
                             tr("\"%1\" cannot be used: a node name is letters, digits and "
                                "underscores, starts with a letter, and is not used or "
                                "referenced yet.")
                                 .arg(name));
        return;
    }
    m_undoStack->push(new RenameNodeCommand(m_graph, current, name));
}

} // namespace fb::ui
