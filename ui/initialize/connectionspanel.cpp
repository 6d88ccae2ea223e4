#include <ui/initialize/connectionspanel.h>

#include <ui/initialize/connectionrepository.h>
#include <ui/initialize/secretstore.h>
#include <ui/initialize/simulatorservice.h>

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace fb::ui {

namespace {

enum Kind { OpenAiKind, CompatibleKind, AzureKind, AnthropicKind };
constexpr int kNameRole = Qt::UserRole;

} // namespace

ConnectionsPanel::ConnectionsPanel(SecretStore *secrets, SimulatorService *simulator,
                                   QWidget *parent)
    : QWidget(parent)
    , m_secrets(secrets)
    , m_simulator(simulator)
    , m_tester(new ConnectionTester(this))
{
    setObjectName(QStringLiteral("connectionsPanel"));
    m_title = new QLabel(this);
    QFont f = m_title->font();
    f.setBold(true);
    m_title->setFont(f);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("connectionList"));
    m_list->setMaximumWidth(200);
    m_secretNotice = new QLabel(this);
    m_secretNotice->setObjectName(QStringLiteral("secretNotice"));
    m_secretNotice->setWordWrap(true);

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("connectionName"));
    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("connectionType"));
    for (int i = 0; i < 4; ++i) {
        m_type->addItem(QString(), i);
    }
    m_endpoint = new QLineEdit(this);
    m_endpoint->setObjectName(QStringLiteral("connectionEndpoint"));
    m_apiVersion = new QLineEdit(this);
    m_apiVersion->setObjectName(QStringLiteral("connectionApiVersion"));
    m_auth = new QComboBox(this);
    m_auth->setObjectName(QStringLiteral("connectionAuth"));
    m_auth->addItem(QString(), QStringLiteral("key"));
    m_auth->addItem(QString(), QStringLiteral("meid_token"));
    m_apiKey = new QLineEdit(this);
    m_apiKey->setObjectName(QStringLiteral("connectionApiKey"));
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_testModel = new QLineEdit(this);
    m_testModel->setObjectName(QStringLiteral("connectionTestModel"));

    m_form = new QFormLayout;
    m_form->addRow(new QLabel(this), m_name);
    m_form->addRow(new QLabel(this), m_type);
    m_form->addRow(new QLabel(this), m_endpoint);
    m_form->addRow(new QLabel(this), m_apiVersion);
    m_form->addRow(new QLabel(this), m_auth);
    m_form->addRow(new QLabel(this), m_apiKey);
    m_form->addRow(new QLabel(this), m_testModel);

    m_new = new QPushButton(this);
    m_new->setObjectName(QStringLiteral("connectionNew"));
    m_save = new QPushButton(this);
    m_save->setObjectName(QStringLiteral("connectionSave"));
    m_delete = new QPushButton(this);
    m_delete->setObjectName(QStringLiteral("connectionDelete"));
    m_test = new QPushButton(this);
    m_test->setObjectName(QStringLiteral("connectionTest"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_new);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);
    buttons->addWidget(m_test);
    buttons->addWidget(m_save);

    m_report = new QPlainTextEdit(this);
    m_report->setObjectName(QStringLiteral("connectionReport"));
    m_report->setReadOnly(true);
    m_report->setMaximumHeight(110);

    auto *right = new QVBoxLayout;
    right->addLayout(m_form);
    right->addLayout(buttons);
    right->addWidget(m_report);
    auto *body = new QHBoxLayout;
    body->addWidget(m_list);
    body->addLayout(right, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addLayout(body, 1);
    layout->addWidget(m_secretNotice);

    connect(m_list, &QListWidget::currentRowChanged, this, [this] { showSelected(); });
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] { updateTypeFields(); });
    connect(m_auth, &QComboBox::currentIndexChanged, this, [this] { updateTypeFields(); });
    connect(m_new, &QPushButton::clicked, this, &ConnectionsPanel::newConnection);
    connect(m_save, &QPushButton::clicked, this, &ConnectionsPanel::saveCurrent);
    connect(m_delete, &QPushButton::clicked, this, &ConnectionsPanel::deleteCurrent);
    connect(m_test, &QPushButton::clicked, this, &ConnectionsPanel::testCurrent);
    connect(m_tester, &ConnectionTester::finished, this, [this](const ConnectionTestReport &r) {
        m_test->setEnabled(true);
        showReport(r);
        Q_EMIT testFinished(r);
    });
    connect(m_secrets, &SecretStore::backendChanged, this, [this] { updateSecretNotice(); });
    m_secrets->probe();

    retranslateUi();
    reload();
}

void ConnectionsPanel::retranslateUi()
{
    m_title->setText(tr("Connections"));
    m_type->setItemText(OpenAiKind, tr("OpenAI"));
    m_type->setItemText(CompatibleKind, tr("OpenAI-compatible server"));
    m_type->setItemText(AzureKind, tr("Azure OpenAI"));
    m_type->setItemText(AnthropicKind, tr("Anthropic"));
    m_auth->setItemText(0, tr("API key"));
    m_auth->setItemText(1, tr("Entra ID token"));
    m_name->setPlaceholderText(tr("open_ai_connection"));
    m_testModel->setPlaceholderText(tr("first listed model"));
    m_form->labelForField(m_name)->setProperty("text", tr("Name:"));
    m_form->labelForField(m_type)->setProperty("text", tr("Type:"));
    m_form->labelForField(m_apiVersion)->setProperty("text", tr("API version:"));
    m_form->labelForField(m_auth)->setProperty("text", tr("Authentication:"));
    m_form->labelForField(m_apiKey)->setProperty("text", tr("API key:"));
    m_form->labelForField(m_testModel)->setProperty("text", tr("Test model:"));
    m_new->setText(tr("New"));
    m_save->setText(tr("Save"));
    m_delete->setText(tr("Delete"));
    m_test->setText(tr("Test Connection"));
    if (m_list->count() > 0) {
        m_list->item(0)->setText(tr("Simulator (built in)"));
    }
    updateTypeFields();
    updateSecretNotice();
    if (m_keyHint != KeyHint::None) {
        setKeyHint(m_keyHint); // in the new language
    }
}

void ConnectionsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void ConnectionsPanel::updateSecretNotice()
{
    const bool fallback = m_secrets->backend() == SecretStore::Backend::File;
    m_secretNotice->setText(m_secrets->describe());
    m_secretNotice->setStyleSheet(fallback ? QStringLiteral("color: #b45309; font-weight: 600;")
                                           : QString());
}

void ConnectionsPanel::setWorkspace(const QString &root, const QString &connectionsDir)
{
    m_root = root;
    m_dir = connectionsDir;
    reload();
}

QStringList ConnectionsPanel::connectionNames() const
{
    QStringList names;
    for (const auto &c : m_connections) {
        names.append(QString::fromStdString(c.name));
    }
    return names;
}

void ConnectionsPanel::reload(const QString &select)
{
    QStringList errors;
    m_connections
        = m_dir.isEmpty() ? QList<fb::Connection>() : ConnectionRepository(m_dir).list(&errors);
    const QSignalBlocker block(m_list);
    m_list->clear();
    auto *sim = new QListWidgetItem(tr("Simulator (built in)"), m_list);
    sim->setData(kNameRole, SimulatorService::connectionName());
    sim->setToolTip(tr("flowbench-sim on this machine: answers are simulated, not from a model"));
    for (const auto &c : m_connections) {
        auto *item = new QListWidgetItem(QString::fromStdString(c.name), m_list);
        item->setData(kNameRole, QString::fromStdString(c.name));
        item->setToolTip(QString::fromLatin1(fb::connectionTypeName(c.type)));
    }
    if (!errors.isEmpty()) {
        m_report->setPlainText(errors.join(QLatin1Char('\n')));
    }
    int row = 0;
    for (int i = 0; i < m_list->count(); ++i) {
        if (!select.isEmpty() && m_list->item(i)->data(kNameRole).toString() == select) {
            row = i;
        }
    }
    m_list->setCurrentRow(row);
    showSelected();
    Q_EMIT connectionsChanged(connectionNames());
}

bool ConnectionsPanel::selectConnection(const QString &name)
{
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(kNameRole).toString() == name) {
            m_list->setCurrentRow(i);
            return true;
        }
    }
    return false;
}

bool ConnectionsPanel::isSimulatorSelected() const { return m_list->currentRow() == 0; }

void ConnectionsPanel::setFormEditable(bool editable)
{
    for (QWidget *w : {static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_type),
                       static_cast<QWidget *>(m_endpoint), static_cast<QWidget *>(m_apiVersion),
                       static_cast<QWidget *>(m_auth), static_cast<QWidget *>(m_apiKey)}) {
        w->setEnabled(editable);
    }
    m_save->setEnabled(editable);
}

void ConnectionsPanel::newConnection()
{
    const QSignalBlocker block(m_list);
    m_list->setCurrentRow(-1);
    m_list->clearSelection();
    fb::Connection c;
    c.type = fb::ConnectionType::OpenAi;
    setForm(c, {});
    // The form was read-only if the built-in Simulator was shown: a new connection is not it.
    setFormEditable(true);
    m_delete->setEnabled(false);
    setKeyHint(KeyHint::None);
    m_name->setFocus();
}

void ConnectionsPanel::setKeyHint(KeyHint hint)
{
    m_keyHint = hint;
    switch (hint) {
    case KeyHint::None:
        m_apiKey->setPlaceholderText(QString());
        break;
    case KeyHint::NotNeeded:
        m_apiKey->setPlaceholderText(tr("not needed"));
        break;
    case KeyHint::Reading:
        m_apiKey->setPlaceholderText(tr("reading…"));
        break;
    case KeyHint::NoKeyStored:
        m_apiKey->setPlaceholderText(tr("no key stored yet"));
        break;
    }
}

void ConnectionsPanel::showSelected()
{
    const bool sim = isSimulatorSelected();
    setFormEditable(!sim);
    m_delete->setEnabled(!sim && m_list->currentRow() > 0);
    if (sim) {
        fb::Connection c;
        c.name = SimulatorService::connectionName().toStdString();
        c.type = fb::ConnectionType::OpenAi;
        c.configs["base_url"] = m_simulator->isRunning()
                                    ? m_simulator->baseUrl().toStdString() + "/v1"
                                    : std::string("http://127.0.0.1:<port>/v1");
        setForm(c, {});
        setKeyHint(KeyHint::NotNeeded);
        return;
    }
    const int index = m_list->currentRow() - 1;
    if (index < 0 || index >= m_connections.size()) {
        return;
    }
    const fb::Connection c = m_connections[index];
    setForm(c, {});
    setKeyHint(KeyHint::Reading);
    const QString name = QString::fromStdString(c.name);
    m_secrets->read(ConnectionRepository::secretKey(m_root, name),
                    [this, name](std::optional<QString> secret, const QString &error) {
                        if (m_name->text() != name) {
                            return; // the selection moved on
                        }
                        if (!error.isEmpty()) {
                            setKeyHint(KeyHint::None);
                            m_apiKey->setPlaceholderText(error);
                        } else {
                            m_apiKey->setText(secret.value_or(QString()));
                            setKeyHint(secret ? KeyHint::None : KeyHint::NoKeyStored);
                        }
                    });
}

void ConnectionsPanel::setForm(const fb::Connection &c, const QString &apiKey)
{
    m_name->setText(QString::fromStdString(c.name));
    int kind = OpenAiKind;
    QString endpoint;
    switch (c.type) {
    case fb::ConnectionType::OpenAi:
        endpoint = QString::fromStdString(c.value("base_url"));
        kind = endpoint.isEmpty() ? OpenAiKind : CompatibleKind;
        break;
    case fb::ConnectionType::Serverless:
        kind = CompatibleKind;
        endpoint = QString::fromStdString(c.value("api_base"));
        break;
    case fb::ConnectionType::AzureOpenAi:
        kind = AzureKind;
        endpoint = QString::fromStdString(c.value("api_base"));
        break;
    case fb::ConnectionType::Anthropic:
        kind = AnthropicKind;
        endpoint = QString::fromStdString(c.value("api_base"));
        break;
    case fb::ConnectionType::Custom:
        break;
    }
    m_type->setCurrentIndex(kind);
    m_endpoint->setText(endpoint);
    m_apiVersion->setText(QString::fromStdString(c.value("api_version", "2024-02-01")));
    m_auth->setCurrentIndex(c.value("auth_mode", "key") == "key" ? 0 : 1);
    m_apiKey->setText(apiKey);
    updateTypeFields();
}

fb::Connection ConnectionsPanel::formConnection() const
{
    fb::Connection c;
    c.name = m_name->text().trimmed().toStdString();
    const std::string endpoint = m_endpoint->text().trimmed().toStdString();
    switch (m_type->currentIndex()) {
    case CompatibleKind:
        c.type = fb::ConnectionType::OpenAi;
        c.configs["base_url"] = endpoint;
        break;
    case AzureKind:
        c.type = fb::ConnectionType::AzureOpenAi;
        c.configs["api_base"] = endpoint;
        c.configs["api_type"] = "azure";
        c.configs["api_version"] = m_apiVersion->text().trimmed().toStdString();
        if (m_auth->currentIndex() == 1) {
            c.configs["auth_mode"] = "meid_token";
        }
        break;
    case AnthropicKind:
        c.type = fb::ConnectionType::Anthropic;
        if (!endpoint.empty()) {
            c.configs["api_base"] = endpoint;
        }
        break;
    default:
        c.type = fb::ConnectionType::OpenAi;
        break;
    }
    const QString key = m_apiKey->text();
    if (!key.isEmpty() && c.value("auth_mode", "key") == "key") {
        c.secrets["api_key"] = key.toStdString();
    }
    return c;
}

void ConnectionsPanel::updateTypeFields()
{
    const int kind = m_type->currentIndex();
    const bool azure = kind == AzureKind;
    const bool keyAuth = !azure || m_auth->currentIndex() == 0;
    m_form->setRowVisible(m_apiVersion, azure);
    m_form->setRowVisible(m_auth, azure);
    m_form->setRowVisible(m_apiKey, keyAuth);
    m_form->setRowVisible(m_endpoint, kind != OpenAiKind);
    QString label = tr("Base URL:");
    QString placeholder = tr("http://127.0.0.1:11434/v1");
    if (azure) {
        label = tr("Endpoint:");
        placeholder = tr("https://<resource>.openai.azure.com");
    } else if (kind == AnthropicKind) {
        label = tr("API base (optional):");
        placeholder = tr("https://api.anthropic.com");
    }
    m_form->labelForField(m_endpoint)->setProperty("text", label);
    m_endpoint->setPlaceholderText(placeholder);
}

void ConnectionsPanel::saveCurrent()
{
    const fb::Connection c = formConnection();
    const QString name = QString::fromStdString(c.name);
    QString error;
    if (m_dir.isEmpty()) {
        error = tr("Open a workspace first.");
    } else if (name == SimulatorService::connectionName()) {
        error = tr("'%1' is the built-in Simulator's name.").arg(name);
    } else {
        ConnectionRepository(m_dir).save(c, &error);
    }
    if (!error.isEmpty()) {
        m_report->setPlainText(error);
        Q_EMIT saved(name, false, error);
        return;
    }
    const QString key = ConnectionRepository::secretKey(m_root, name);
    auto finish = [this, name](bool ok, const QString &err) {
        m_report->setPlainText(ok ? tr("Saved %1 (the key is not in the file).").arg(name) : err);
        reload(name);
        Q_EMIT saved(name, ok, err);
    };
    if (c.secrets.count("api_key")) {
        m_secrets->write(key, QString::fromStdString(c.secrets.at("api_key")), finish);
    } else {
        m_secrets->remove(key, finish);
    }
}

void ConnectionsPanel::deleteCurrent()
{
    const int index = m_list->currentRow() - 1;
    if (index < 0 || index >= m_connections.size()) {
        return;
    }
    const QString name = QString::fromStdString(m_connections[index].name);
    QString error;
    if (!ConnectionRepository(m_dir).remove(name, &error)) {
        m_report->setPlainText(error);
        return;
    }
    m_secrets->remove(ConnectionRepository::secretKey(m_root, name),
                      [this, name](bool, const QString &) {
                          reload();
                          Q_EMIT deleted(name);
                      });
}

void ConnectionsPanel::testCurrent()
{
    if (m_tester->isRunning()) {
        return;
    }
    m_test->setEnabled(false);
    const QString model = m_testModel->text().trimmed();
    if (isSimulatorSelected()) {
        m_report->setPlainText(tr("Starting the simulator…"));
        m_simulator->ensureRunning(
            QString(), this, [this, model](const QString &, const QString &error) {
                if (!error.isEmpty()) {
                    m_test->setEnabled(true);
                    m_report->setPlainText(error);
                    return;
                }
                showSelected();
                m_report->setPlainText(tr("Testing…"));
                m_tester->test(m_simulator->connection(SimulatorService::connectionName()), model,
                               true);
            });
        return;
    }
    m_report->setPlainText(tr("Testing…"));
    m_tester->test(formConnection(), model, false);
}

void ConnectionsPanel::showReport(const ConnectionTestReport &r)
{
    QStringList lines;
    if (r.simulated) {
        lines << tr("SIMULATED — flowbench-sim answers, not a real model.");
    }
    if (r.modelsError.isEmpty()) {
        lines
            << tr("Models (%1): %2").arg(r.models.size()).arg(r.models.join(QStringLiteral(", ")));
    } else {
        lines << tr("Models: %1").arg(r.modelsError);
    }
    if (r.ok()) {
        lines << tr("Call to %1: first token after %2 ms, complete after %3 ms.")
                     .arg(r.model)
                     .arg(r.ttftMs, 0, 'f', 0)
                     .arg(r.latencyMs, 0, 'f', 0);
    } else {
        lines << tr("Call to %1 failed: %2").arg(r.model, r.callError);
    }
    m_report->setPlainText(lines.join(QLatin1Char('\n')));
}

} // namespace fb::ui
