#pragma once

#include <ui/initialize/connectiontester.h>

#include <core/llm/connection.h>

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QFormLayout;

namespace fb::ui {

class SecretStore;
class SimulatorService;

/// The connections manager: lists the workspace's connections plus the built-in Simulator,
/// edits one (OpenAI, OpenAI-compatible base URL, Azure OpenAI with key or Entra ID,
/// Anthropic), saves it as promptflow YAML without the key (the key goes to the SecretStore),
/// deletes it, and tests it (models + TTFT) off the GUI thread. GUI thread only.
class ConnectionsPanel final : public QWidget
{
    Q_OBJECT

public:
    ConnectionsPanel(SecretStore *secrets, SimulatorService *simulator, QWidget *parent = nullptr);

    /// Shows the connections of the workspace at `root` (files in `connectionsDir`).
    void setWorkspace(const QString &root, const QString &connectionsDir);
    [[nodiscard]] QStringList connectionNames() const;

    /// Selects a connection by name (the Simulator is "simulator"); false when absent.
    bool selectConnection(const QString &name);
    /// Clears the form for a new connection.
    void newConnection();
    /// Fills the form (for tests and for "duplicate").
    void setForm(const fb::Connection &connection, const QString &apiKey);
    [[nodiscard]] fb::Connection formConnection() const;
    /// Saves the form: YAML first, then the key; emits saved() when both are done.
    void saveCurrent();
    void deleteCurrent();
    /// Tests the selected connection (with its stored key) or the Simulator.
    void testCurrent();

Q_SIGNALS:
    void connectionsChanged(const QStringList &names);
    void saved(const QString &name, bool ok, const QString &error);
    void deleted(const QString &name);
    void testFinished(const fb::ui::ConnectionTestReport &report);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void reload(const QString &select = {});
    void showSelected();
    void updateTypeFields();
    void showReport(const ConnectionTestReport &report);
    void updateSecretNotice();
    void setFormEditable(bool editable);
    /// What the API key field says while it is empty.
    enum class KeyHint { None, NotNeeded, Reading, NoKeyStored };
    void setKeyHint(KeyHint hint);
    [[nodiscard]] bool isSimulatorSelected() const;

    SecretStore *m_secrets = nullptr;
    SimulatorService *m_simulator = nullptr;
    ConnectionTester *m_tester = nullptr;
    QString m_root;
    QString m_dir;
    QList<fb::Connection> m_connections;
    KeyHint m_keyHint = KeyHint::None;

    QLabel *m_title = nullptr;
    QListWidget *m_list = nullptr;
    QLabel *m_secretNotice = nullptr;
    QFormLayout *m_form = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_type = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QLineEdit *m_apiVersion = nullptr;
    QComboBox *m_auth = nullptr;
    QLineEdit *m_apiKey = nullptr;
    QLineEdit *m_testModel = nullptr;
    QPushButton *m_new = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_test = nullptr;
    QPlainTextEdit *m_report = nullptr;
};

} // namespace fb::ui
