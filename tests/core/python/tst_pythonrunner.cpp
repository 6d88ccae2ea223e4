// PythonRunner against real python3 workers: tools are written into a temporary flow folder.

#include <core/exec/pythonrunner.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <csignal>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

using fb::ErrorCode;
using fb::PythonCall;
using fb::PythonResult;
using fb::PythonRunner;
using fb::PythonRunnerOptions;
using fb::Result;
using fb::Value;

namespace QTest {
template <> inline char *toString(const fb::Value &value) { return qstrdup(value.dump().c_str()); }
} // namespace QTest

namespace {

Value json(const QByteArray &text) { return Value::parse(text.constData(), nullptr, false); }

QString describe(const Result<PythonResult> &result)
{
    if (result) {
        return QStringLiteral("ok: %1").arg(QString::fromStdString(result->output.dump()));
    }
    return QStringLiteral("%1: %2").arg(QString::fromLatin1(fb::errorCodeName(result.error().code)),
                                        QString::fromStdString(result.error().message));
}

/// 1-based line of the first line containing marker.
int lineOf(const QString &code, const QString &marker)
{
    const QStringList lines = code.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        if (lines.at(i).contains(marker)) {
            return i + 1;
        }
    }
    return -1;
}

/// True once pid no longer runs (gone, or a zombie waiting for whoever adopted it).
bool processGone(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) {
        return true;
    }
    const QByteArray text = stat.readAll();
    const int close = text.lastIndexOf(')');
    return close > 0 && text.mid(close + 2, 1) == "Z";
}

} // namespace

class TestPythonRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void importForms_data();
    void importForms();
    void moduleNames_data();
    void moduleNames();
    void images_data();
    void images();
    void literalCoercion_data();
    void literalCoercion();
    void defaults_data();
    void defaults();
    void errors_data();
    void errors();
    void crashReported_data();
    void crashReported();
    void timeoutReplacesWorker_data();
    void timeoutReplacesWorker();
    void metrics_data();
    void metrics();
    void printsCaptured_data();
    void printsCaptured();
    void connections_data();
    void connections();
    void asyncTools_data();
    void asyncTools();
    void environment_data();
    void environment();
    void reloadsEditedFile();
    void concurrency_data();
    void concurrency();
    void cancelAll_data();
    void cancelAll();
    void missingInterpreter_data();
    void missingInterpreter();
    void missingWorkerScript();
    void defaultShimDir_data();
    void defaultShimDir();
    void unicodeRoundTrip_data();
    void unicodeRoundTrip();
    void environmentHoldsOnlyWhatIsGranted();
    void outputCap_data();
    void outputCap();
    void workerOutlivesTheCallingThread();
    void connectionSecretsRedacted();
    void workerDiesWithTheRunnerProcess();

private:
    QString writeFile(const QString &name, const QString &text);
    PythonCall callFor(const QString &file, const QByteArray &inputs = "{}");

    QTemporaryDir m_dir;
    std::unique_ptr<PythonRunner> m_runner;
};

void TestPythonRunner::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const auto shim = PythonRunner::defaultShimDir();
    QVERIFY2(QFileInfo::exists(QString::fromStdString((shim / "flowbench_worker.py").string())),
             shim.c_str());
    PythonRunnerOptions options;
    options.maxWorkers = 2;
    m_runner = std::make_unique<PythonRunner>(options);
}

QString TestPythonRunner::writeFile(const QString &name, const QString &text)
{
    const QString path = m_dir.filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        qFatal("cannot write %s", qPrintable(path));
    }
    file.write(text.toUtf8());
    return path;
}

PythonCall TestPythonRunner::callFor(const QString &file, const QByteArray &inputs)
{
    PythonCall call;
    call.file = file.toStdString();
    call.inputs = json(inputs);
    call.workingDir = m_dir.path().toStdString();
    call.timeout = std::chrono::seconds(20);
    return call;
}

// ---------------------------------------------------------------------------------------------

void TestPythonRunner::importForms_data()
{
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("decorator");

    QTest::newRow("from-promptflow-import-tool") << "from promptflow import tool"
                                                 << "@tool";
    QTest::newRow("from-promptflow-core-import-tool") << "from promptflow.core import tool"
                                                      << "@tool";
    QTest::newRow("core-tool-and-log-metric") << "from promptflow.core import tool, log_metric"
                                              << "@tool";
    QTest::newRow("promptflow-log-metric")
        << "from promptflow import log_metric\nfrom promptflow import tool"
        << "@tool";
    QTest::newRow("decorator-with-arguments") << "from promptflow.core import tool"
                                              << "@tool(name=\"renamed\", description=\"d\")";
    QTest::newRow("decorator-empty-call") << "from promptflow import tool"
                                          << "@tool()";
    QTest::newRow("module-attribute") << "import promptflow"
                                      << "@promptflow.tool";
    QTest::newRow("with-trace")
        << "from promptflow import tool\nfrom promptflow.tracing import trace"
        << "@trace\n@tool";
    QTest::newRow("with-connections-and-image")
        << "from promptflow import tool\nfrom promptflow.connections import CustomConnection, "
           "OpenAIConnection, AzureOpenAIConnection\nfrom promptflow.contracts.multimedia import "
           "Image"
        << "@tool";
}

void TestPythonRunner::importForms()
{
    QFETCH(QString, header);
    QFETCH(QString, decorator);
    const QString code = header + QStringLiteral("\n\n") + decorator
                         + QStringLiteral("\ndef shout(text: str, times: int = 2) -> str:\n"
                                          "    return (text.upper() + '!') * times\n");
    const QString file
        = writeFile(QStringLiteral("imports_%1.py").arg(QTest::currentDataTag()), code);
    auto result = m_runner->run(callFor(file, R"({"text": "hey"})"));
    QVERIFY2(result, qPrintable(describe(result)));
    QCOMPARE(result->output, Value("HEY!HEY!"));
}

void TestPythonRunner::moduleNames_data()
{
    QTest::addColumn<QString>("fileName");

    QTest::newRow("stdlib-name") << "json.py";
    QTest::newRow("leading-digit") << "1st_tool.py";
    QTest::newRow("dashes-and-dots") << "my-tool.v2.py";
    QTest::newRow("subfolder") << "sub/dir/nested_tool.py";
}

void TestPythonRunner::moduleNames()
{
    QFETCH(QString, fileName);
    // The tool itself imports json: a tool file called json.py must not shadow it.
    const QString file = writeFile(fileName, QStringLiteral(R"(import json
from promptflow import tool

@tool
def f(data: dict):
    return json.loads(json.dumps(data))["k"] + "|" + __name__.rsplit("_", 1)[-1]
)"));
    PythonCall call = callFor(file, R"({"data": "{\"k\": \"v\"}"})");
    call.literalInputs = {"data"};
    for (int round = 0; round < 2; ++round) {
        auto result = m_runner->run(call);
        QVERIFY2(result, qPrintable(describe(result)));
        QVERIFY2(QString::fromStdString(result->output.get<std::string>()).startsWith("v|"),
                 qPrintable(describe(result)));
    }
}

void TestPythonRunner::images_data()
{
    QTest::addColumn<QByteArray>("value");

    // A 1x1 PNG, inline and as a file next to the flow.
    QTest::newRow("base64-input") << QByteArray(
        R"({"data:image/png;base64": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAcCBlKgAAAABJRU5ErkJggg=="})");
    QTest::newRow("path-input") << QByteArray(R"({"data:image/png;path": "pixel.png"})");
    QTest::newRow("data-url-input") << QByteArray(
        R"("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAcCBlKgAAAABJRU5ErkJggg==")");
}

void TestPythonRunner::images()
{
    QFETCH(QByteArray, value);
    const QByteArray png = QByteArray::fromBase64(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAcCBlKgAAAABJRU5E"
        "rkJggg==");
    QFile pixel(m_dir.filePath(QStringLiteral("pixel.png")));
    QVERIFY(pixel.open(QIODevice::WriteOnly));
    pixel.write(png);
    pixel.close();
    const QString file
        = writeFile(QStringLiteral("image_tool.py"), QStringLiteral(R"(from promptflow import tool
from promptflow.contracts.multimedia import Image

@tool
def f(img: Image):
    return {"type": type(img).__name__, "size": len(img), "mime": img.mime_type,
            "png": bytes(img[1:4]) == b"PNG", "copy": Image(bytes(img), "image/png")}
)"));
    auto result = m_runner->run(callFor(file, "{\"img\": " + value + "}"));
    QVERIFY2(result, qPrintable(describe(result)));
    const Value &out = result->output;
    QCOMPARE(out.at("type"), Value("Image"));
    QCOMPARE(out.at("size").get<int>(), int(png.size()));
    QCOMPARE(out.at("mime"), Value("image/png"));
    QCOMPARE(out.at("png"), Value(true));
    // An Image output is serialised the promptflow way: {"data:<mime>;base64": ...}.
    QCOMPARE(out.at("copy"), Value({{"data:image/png;base64", png.toBase64().toStdString()}}));
}

// ---------------------------------------------------------------------------------------------

void TestPythonRunner::literalCoercion_data()
{
    QTest::addColumn<QString>("parameter");
    QTest::addColumn<QByteArray>("value"); // JSON
    QTest::addColumn<bool>("literal");
    QTest::addColumn<QByteArray>("expected"); // JSON [type name, value], or null on error
    QTest::addColumn<QString>("error");

    QTest::newRow("int-from-string")
        << "x: int" << QByteArray(R"("42")") << true << QByteArray(R"(["int", 42])") << QString();
    QTest::newRow("int-from-number")
        << "x: int" << QByteArray("7") << true << QByteArray(R"(["int", 7])") << QString();
    QTest::newRow("float-from-string") << "x: float" << QByteArray(R"("0.25")") << true
                                       << QByteArray(R"(["float", 0.25])") << QString();
    QTest::newRow("float-from-int")
        << "x: float" << QByteArray("3") << true << QByteArray(R"(["float", 3.0])") << QString();
    QTest::newRow("bool-true-string") << "x: bool" << QByteArray(R"("true")") << true
                                      << QByteArray(R"(["bool", true])") << QString();
    QTest::newRow("bool-false-mixed-case") << "x: bool" << QByteArray(R"("False")") << true
                                           << QByteArray(R"(["bool", false])") << QString();
    QTest::newRow("bool-from-yaml-bool")
        << "x: bool" << QByteArray("true") << true << QByteArray(R"(["bool", true])") << QString();
    QTest::newRow("list-from-json-string")
        << "x: list" << QByteArray(R"("[1, \"a\", null]")") << true
        << QByteArray(R"(["list", [1, "a", null]])") << QString();
    QTest::newRow("dict-from-json-string") << "x: dict" << QByteArray(R"("{\"k\": [1]}")") << true
                                           << QByteArray(R"(["dict", {"k": [1]}])") << QString();
    QTest::newRow("typing-list-from-json-string")
        << "x: typing.List[str]" << QByteArray(R"("[\"a\"]")") << true
        << QByteArray(R"(["list", ["a"]])") << QString();
    QTest::newRow("object-non-json-stays-string")
        << "x: dict" << QByteArray(R"("plain text")") << true
        << QByteArray(R"(["str", "plain text"])") << QString();
    QTest::newRow("str-from-number")
        << "x: str" << QByteArray("7") << true << QByteArray(R"(["str", "7"])") << QString();
    QTest::newRow("optional-int") << "x: typing.Optional[int]" << QByteArray(R"("5")") << true
                                  << QByteArray(R"(["int", 5])") << QString();
    QTest::newRow("unannotated-typed-by-default")
        << "x=5" << QByteArray(R"("9")") << true << QByteArray(R"(["int", 9])") << QString();
    QTest::newRow("reference-not-coerced") << "x: int" << QByteArray(R"("42")") << false
                                           << QByteArray(R"(["str", "42"])") << QString();
    QTest::newRow("empty-literal-uses-default") << "x: int = 11" << QByteArray(R"("")") << true
                                                << QByteArray(R"(["int", 11])") << QString();
    QTest::newRow("bad-int") << "x: int" << QByteArray(R"("4x")") << true << QByteArray("null")
                             << "input 'x' of value '4x' is not type int";
    QTest::newRow("bad-bool") << "x: bool" << QByteArray(R"("yes")") << true << QByteArray("null")
                              << "input 'x' of value 'yes' is not type bool";
    QTest::newRow("bad-list") << "x: list" << QByteArray(R"("{\"a\": 1}")") << true
                              << QByteArray("null") << "is not type list";
}

void TestPythonRunner::literalCoercion()
{
    QFETCH(QString, parameter);
    QFETCH(QByteArray, value);
    QFETCH(bool, literal);
    QFETCH(QByteArray, expected);
    QFETCH(QString, error);

    const QString code = QStringLiteral("import typing\nfrom promptflow import tool\n\n@tool\n"
                                        "def typed(%1):\n"
                                        "    return [type(x).__name__, x]\n")
                             .arg(parameter);
    const QString file
        = writeFile(QStringLiteral("coerce_%1.py").arg(QTest::currentDataTag()), code);
    PythonCall call = callFor(file, "{\"x\": " + value + "}");
    if (literal) {
        call.literalInputs = {"x"};
    }
    auto result = m_runner->run(call);
    if (error.isEmpty()) {
        QVERIFY2(result, qPrintable(describe(result)));
        QCOMPARE(result->output, json(expected));
    } else {
        QVERIFY2(!result, qPrintable(describe(result)));
        QCOMPARE(result.error().code, ErrorCode::Python);
        QVERIFY2(QString::fromStdString(result.error().message).contains(error),
                 qPrintable(describe(result)));
    }
}

// ---------------------------------------------------------------------------------------------

void TestPythonRunner::defaults_data()
{
    QTest::addColumn<QByteArray>("inputs");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("all-omitted") << QByteArray(R"({"a": 1})")
                                 << QByteArray(R"([1, "two", 3.5, null, [1, 2]])");
    QTest::newRow("some-given") << QByteArray(R"({"a": 1, "b": "B", "d": "dee"})")
                                << QByteArray(R"([1, "B", 3.5, "dee", [1, 2]])");
    QTest::newRow("all-given") << QByteArray(R"({"a": 0, "b": "", "c": -1, "d": 0, "e": []})")
                               << QByteArray(R"([0, "", -1, 0, []])");
}

void TestPythonRunner::defaults()
{
    QFETCH(QByteArray, inputs);
    QFETCH(QByteArray, expected);
    static const QString code = QStringLiteral(R"(from promptflow import tool

@tool
def with_defaults(a: int, b: str = "two", c: float = 3.5, d=None, e: list = [1, 2]):
    return [a, b, c, d, e]
)");
    const QString file = writeFile(QStringLiteral("defaults.py"), code);
    auto result = m_runner->run(callFor(file, inputs));
    QVERIFY2(result, qPrintable(describe(result)));
    QCOMPARE(result->output, json(expected));
}

// ---------------------------------------------------------------------------------------------

void TestPythonRunner::errors_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QByteArray>("inputs");
    QTest::addColumn<QString>("marker");      // the line expected as file:line ("" = none)
    QTest::addColumn<QStringList>("needles"); // all must appear in the message

    QTest::newRow("zero-division")
        << QStringLiteral("from promptflow import tool\n\n@tool\ndef f(x: int):\n"
                          "    y = 1\n    return x / (y - 1)  # FAILS\n")
        << QByteArray(R"({"x": 3})") << "# FAILS"
        << QStringList{"ZeroDivisionError: division by zero", "Traceback"};
    QTest::newRow("raised-in-helper-module")
        << QStringLiteral("from promptflow import tool\nimport errhelper\n\n@tool\ndef f():\n"
                          "    return errhelper.explode('boom')  # CALLS\n")
        << QByteArray("{}") << "# CALLS"
        << QStringList{"ValueError: boom", "errhelper.py", "in explode"};
    QTest::newRow("custom-exception")
        << QStringLiteral(
               "from promptflow import tool\n\nclass QuotaError(RuntimeError):\n"
               "    pass\n\n@tool\ndef f():\n    raise QuotaError('over quota')  # HERE\n")
        << QByteArray("{}") << "# HERE" << QStringList{"QuotaError: over quota"};
    QTest::newRow("syntax-error") << QStringLiteral(
        "from promptflow import tool\n\n@tool\ndef f(:  # BROKEN\n    pass\n")
                                  << QByteArray("{}") << "# BROKEN" << QStringList{"SyntaxError"};
    QTest::newRow("import-error-at-load")
        << QStringLiteral("from promptflow import tool\nimport no_such_module_xyz  # IMPORT\n\n"
                          "@tool\ndef f():\n    return 1\n")
        << QByteArray("{}") << "# IMPORT"
        << QStringList{"ModuleNotFoundError", "no_such_module_xyz"};
    QTest::newRow("no-tool-function")
        << QStringLiteral("def f():\n    return 1\n") << QByteArray("{}") << QString()
        << QStringList{"no @tool function found"};
    QTest::newRow("two-tool-functions")
        << QStringLiteral("from promptflow import tool\n\n@tool\ndef a():\n    return 1\n\n"
                          "@tool\ndef b():\n    return 2\n")
        << QByteArray("{}") << QString() << QStringList{"several @tool functions (a, b)"};
    QTest::newRow("sys-exit") << QStringLiteral(
        "import sys\nfrom promptflow import tool\n\n@tool\ndef f():\n"
        "    sys.exit(3)  # EXIT\n")
                              << QByteArray("{}") << "# EXIT"
                              << QStringList{"SystemExit", "sys.exit(3)"};
    QTest::newRow("missing-input")
        << QStringLiteral("from promptflow import tool\n\n@tool\ndef f(a, b=1):\n    return a\n")
        << QByteArray(R"({"b": 2})") << QString() << QStringList{"needs input 'a'"};
    QTest::newRow("unknown-input")
        << QStringLiteral("from promptflow import tool\n\n@tool\ndef f(a):\n    return a\n")
        << QByteArray(R"({"a": 1, "zz": 2})") << QString() << QStringList{"no parameter 'zz'"};
    QTest::newRow("printed-before-error")
        << QStringLiteral("from promptflow import tool\n\n@tool\ndef f():\n"
                          "    print('step one done')\n    raise KeyError('k')  # KEY\n")
        << QByteArray("{}") << "# KEY" << QStringList{"KeyError", "step one done"};
}

void TestPythonRunner::errors()
{
    QFETCH(QString, code);
    QFETCH(QByteArray, inputs);
    QFETCH(QString, marker);
    QFETCH(QStringList, needles);

    writeFile(QStringLiteral("errhelper.py"),
              QStringLiteral("def explode(text):\n    raise ValueError(text)\n"));
    const QString file = writeFile(QStringLiteral("err_%1.py").arg(QTest::currentDataTag()), code);
    auto result = m_runner->run(callFor(file, inputs));
    QVERIFY2(!result, qPrintable(describe(result)));
    QCOMPARE(result.error().code, ErrorCode::Python);
    const QString message = QString::fromStdString(result.error().message);
    if (!marker.isEmpty()) {
        const QString location = QStringLiteral("%1:%2").arg(file).arg(lineOf(code, marker));
        QVERIFY2(message.startsWith(location), qPrintable(message));
    } else {
        QVERIFY2(message.contains(file), qPrintable(message));
    }
    for (const QString &needle : needles) {
        QVERIFY2(message.contains(needle), qPrintable(message));
    }

    // The worker survives a tool's exception (or reports cleanly if it did not).
    const QString ok = writeFile(QStringLiteral("after_error.py"),
                                 QStringLiteral("from promptflow import tool\n\n@tool\n"
                                                "def f():\n    return 'fine'\n"));
    auto after = m_runner->run(callFor(ok));
    QVERIFY2(after, qPrintable(describe(after)));
    QCOMPARE(after->output, Value("fine"));
}

// ---------------------------------------------------------------------------------------------

void TestPythonRunner::crashReported_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QStringList>("needles");

    QTest::newRow("os-exit") << QStringLiteral("    os._exit(7)\n")
                             << QStringList{"exited unexpectedly", "exit code 7"};
    QTest::newRow("last-words-on-fd-2")
        << QStringLiteral("    os.write(2, b'dying words\\n')\n    os._exit(1)\n")
        << QStringList{"exit code 1", "dying words"};
    QTest::newRow("segfault") << QStringLiteral("    ctypes.string_at(0)  # CRASH\n")
                              << QStringList{"Segmentation fault", "crash_segfault.py"};
}

void TestPythonRunner::crashReported()
{
    QFETCH(QString, body);
    QFETCH(QStringList, needles);
    const QString file = writeFile(QStringLiteral("crash_%1.py").arg(QTest::currentDataTag()),
                                   QStringLiteral("import ctypes, os\nfrom promptflow import "
                                                  "tool\n\n@tool\ndef f():\n")
                                       + body);
    auto result = m_runner->run(callFor(file));
    QVERIFY2(!result, qPrintable(describe(result)));
    QCOMPARE(result.error().code, ErrorCode::Python);
    const QString message = QString::fromStdString(result.error().message);
    QVERIFY2(message.contains(file), qPrintable(message));
    for (const QString &needle : needles) {
        QVERIFY2(message.contains(needle), qPrintable(message));
    }
    const QString ok = writeFile(QStringLiteral("after_crash.py"),
                                 QStringLiteral("from promptflow import tool\n\n@tool\n"
                                                "def f():\n    return 2\n"));
    auto after = m_runner->run(callFor(ok)); // a fresh worker replaces the dead one
    QVERIFY2(after, qPrintable(describe(after)));
    QCOMPARE(after->output, Value(2));
}

void TestPythonRunner::timeoutReplacesWorker_data()
{
    QTest::addColumn<QString>("body");

    QTest::newRow("sleep") << QStringLiteral("    time.sleep(60)\n");
    QTest::newRow("busy-loop") << QStringLiteral("    while True:\n        pass\n");
    QTest::newRow("async-sleep") << QStringLiteral("    asyncio.run(asyncio.sleep(60))\n");
    QTest::newRow("child-process")
        << QStringLiteral("    p = subprocess.Popen(['sleep', '60'])\n"
                          "    open(os.path.join(os.getcwd(), 'child.pid'), 'w')"
                          ".write(str(p.pid))\n    p.wait()\n");
    QTest::newRow("child-in-new-session")
        << QStringLiteral("    p = subprocess.Popen(['sleep', '60'], start_new_session=True)\n"
                          "    open(os.path.join(os.getcwd(), 'child.pid'), 'w')"
                          ".write(str(p.pid))\n    p.wait()\n");
}

void TestPythonRunner::timeoutReplacesWorker()
{
    QFETCH(QString, body);
    PythonRunnerOptions options;
    options.maxWorkers = 1;
    PythonRunner runner(options);

    const QString pidTool
        = writeFile(QStringLiteral("pid.py"), QStringLiteral("import os\nfrom promptflow import "
                                                             "tool\n\n@tool\ndef f():\n"
                                                             "    return os.getpid()\n"));
    auto first = runner.run(callFor(pidTool));
    QVERIFY2(first, qPrintable(describe(first)));
    const qint64 firstPid = first->output.get<qint64>();

    QFile::remove(m_dir.filePath(QStringLiteral("child.pid")));
    const QString slow = writeFile(
        QStringLiteral("slow_%1.py").arg(QTest::currentDataTag()),
        QStringLiteral("import asyncio, os, subprocess, time\nfrom promptflow import tool\n\n"
                       "@tool\ndef f():\n")
            + body);
    PythonCall call = callFor(slow);
    call.timeout = std::chrono::milliseconds(700);
    QElapsedTimer timer;
    timer.start();
    auto result = runner.run(call);
    QVERIFY2(!result, qPrintable(describe(result)));
    QCOMPARE(result.error().code, ErrorCode::Timeout);
    const QString message = QString::fromStdString(result.error().message);
    QVERIFY2(message.contains(slow) && message.contains(QStringLiteral("700 ms")),
             qPrintable(message));
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(processGone(firstPid));

    QFile childPid(m_dir.filePath(QStringLiteral("child.pid")));
    if (childPid.open(QIODevice::ReadOnly)) {
        const qint64 pid = childPid.readAll().toLongLong();
        QVERIFY(pid > 0);
        QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), 5000); // killed with the worker's group
    }

    auto next = runner.run(callFor(pidTool));
    QVERIFY2(next, qPrintable(describe(next)));
    QVERIFY(next->output.get<qint64>() != firstPid);
}

// ---------------------------------------------------------------------------------------------

void TestPythonRunner::metrics_data()
{
    QTest::addColumn<QString>("import");
    QTest::addColumn<bool>("aggregation");

    QTest::newRow("core-in-aggregation") << "from promptflow.core import tool, log_metric" << true;
    QTest::newRow("core-not-aggregation")
        << "from promptflow.core import tool, log_metric" << false;
    QTest::newRow("top-level-in-aggregation") << "from promptflow import tool, log_metric" << true;
    QTest::newRow("top-level-not-aggregation")
        << "from promptflow import tool, log_metric" << false;
}

void TestPythonRunner::metrics()
{
    QFETCH(QString, import);
    QFETCH(bool, aggregation);
    const QString code = import + QStringLiteral(R"(

@tool
def aggregate(grades: list):
    correct = sum(1 for g in grades if g == "Correct")
    log_metric("accuracy", correct / len(grades))
    log_metric(key="count", value=len(grades), variant_id="variant_0")
    return {"correct": correct}
)");
    const QString file
        = writeFile(QStringLiteral("metrics_%1.py").arg(QTest::currentDataTag()), code);
    PythonCall call
        = callFor(file, R"({"grades": ["Correct", "Incorrect", "Correct", "Correct"]})");
    call.aggregation = aggregation;
    auto result = m_runner->run(call);
    QVERIFY2(result, qPrintable(describe(result)));
    QCOMPARE(result->output, json(R"({"correct": 3})"));
    if (aggregation) {
        const std::map<std::string, double> expected{{"accuracy", 0.75}, {"count", 4.0}};
        QCOMPARE(result->metrics, expected);
    } else {
        QVERIFY(result->metrics.empty());
        QVERIFY2(QString::fromStdString(result->log).contains(QStringLiteral("ignored")),
                 result->log.c_str());
    }
}

// ---------------------------------------------------------------------------------------------

void TestPythonRunner::printsCaptured_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QStringList>("expected"); // in this order

    QTest::newRow("print") << QStringLiteral("    print('hello', 'world')\n")
                           << QStringList{"hello world\n"};
    QTest::newRow("stdout-and-stderr-in-order")
        << QStringLiteral("    print('first')\n    print('second', file=sys.stderr)\n"
                          "    sys.stdout.write('third\\n')\n")
        << QStringList{"first\n", "second\n", "third\n"};
    QTest::newRow("logging-module")
        << QStringLiteral("    logging.getLogger('tool').warning('careful: %s', 42)\n")
        << QStringList{"careful: 42"};
    QTest::newRow("subprocess-output")
        << QStringLiteral("    subprocess.run(['echo', 'from-child'], check=True)\n")
        << QStringList{"from-child"};
    QTest::newRow("bytes-to-buffer")
        << QStringLiteral("    sys.stdout.buffer.write('caf\\u00e9\\n'.encode())\n")
        << QStringList{QStringLiteral("caf\u00e9\n")};
}

void TestPythonRunner::printsCaptured()
{
    QFETCH(QString, body);
    QFETCH(QStringList, expected);
    const QString file = writeFile(
        QStringLiteral("prints_%1.py").arg(QTest::currentDataTag()),
        QStringLiteral("import logging, subprocess, sys\nfrom promptflow import tool\n\n@tool\n"
                       "def f():\n")
            + body + QStringLiteral("    return 'done'\n"));
    for (int round = 0; round < 2; ++round) { // output belongs to its own call only
        auto result = m_runner->run(callFor(file));
        QVERIFY2(result, qPrintable(describe(result)));
        QCOMPARE(result->output, Value("done"));
        const QString log = QString::fromStdString(result->log);
        qsizetype from = 0;
        for (const QString &piece : expected) {
            const qsizetype at = log.indexOf(piece, from);
            QVERIFY2(at >= 0, qPrintable(QStringLiteral("%1 not in log: %2").arg(piece, log)));
            QCOMPARE(log.count(piece), 1);
            from = at + piece.size();
        }
    }
}

// ---------------------------------------------------------------------------------------------

void TestPythonRunner::connections_data()
{
    QTest::addColumn<QString>("annotation");
    QTest::addColumn<QString>("expression"); // Python, over `conn`
    QTest::addColumn<QByteArray>("connection");
    QTest::addColumn<QByteArray>("expected"); // JSON, or null when an error is expected

    QTest::newRow("custom-attributes")
        << "CustomConnection"
        << "[conn.endpoint, conn.token, conn.configs, conn.secrets]"
        << QByteArray(R"({"name": "my", "type": "custom", "configs": {"endpoint": "http://e"},
                          "secrets": {"token": "s3"}})")
        << QByteArray(R"(["http://e", "s3", {"endpoint": "http://e"}, {"token": "s3"}])");
    QTest::newRow("custom-item-and-splat")
        << "CustomConnection"
        << "[conn['endpoint'], dict(**conn), conn.is_secret('token')]"
        << QByteArray(R"({"type": "custom", "configs": {"endpoint": "e"},
                          "secrets": {"token": "t"}})")
        << QByteArray(R"(["e", {"endpoint": "e", "token": "t"}, true])");
    QTest::newRow("openai")
        << "OpenAIConnection"
        << "[conn.api_key, conn.base_url, conn.organization, conn.name, "
           "type(conn).__name__]"
        << QByteArray(R"({"name": "oai", "type": "open_ai",
                          "configs": {"base_url": "http://127.0.0.1:9/v1"},
                          "secrets": {"api_key": "sk-1"}})")
        << QByteArray(R"(["sk-1", "http://127.0.0.1:9/v1", null, "oai", "OpenAIConnection"])");
    QTest::newRow("azure-openai-defaults")
        << "AzureOpenAIConnection"
        << "[conn.api_key, conn.api_base, conn.api_type, conn.api_version, conn.auth_mode]"
        << QByteArray(R"({"type": "azure_open_ai", "configs": {"api_base": "https://x"},
                          "secrets": {"api_key": "k"}})")
        << QByteArray(R"(["k", "https://x", "azure", "2024-02-01", "key"])");
    QTest::newRow("union-picks-matching-class")
        << "typing.Union[AzureOpenAIConnection, OpenAIConnection]"
        << "[type(conn).__name__, conn.api_key]"
        << QByteArray(R"({"type": "open_ai", "secrets": {"api_key": "k2"}})")
        << QByteArray(R"(["OpenAIConnection", "k2"])");
    QTest::newRow("serverless") << "ServerlessConnection"
                                << "[type(conn).__name__, conn.api_base, conn.api_key]"
                                << QByteArray(
                                       R"({"type": "serverless", "configs": {"api_base": "b"},
                          "secrets": {"api_key": "k"}})")
                                << QByteArray(R"(["ServerlessConnection", "b", "k"])");
    QTest::newRow("unannotated-keeps-name")
        << ""
        << "conn" << QByteArray(R"({"type": "custom", "configs": {"a": "b"}})")
        << QByteArray(R"("connection-name")");
    QTest::newRow("str-annotated-keeps-name")
        << "str"
        << "conn" << QByteArray(R"({"type": "custom", "configs": {"a": "b"}})")
        << QByteArray(R"("connection-name")");
    QTest::newRow("wrong-type")
        << "AzureOpenAIConnection"
        << "conn.api_key"
        << QByteArray(R"({"name": "oai", "type": "open_ai", "secrets": {"api_key": "k"}})")
        << QByteArray("null");
    QTest::newRow("unknown-connection") << "CustomConnection"
                                        << "conn" << QByteArray("null") << QByteArray("null");
}

void TestPythonRunner::connections()
{
    QFETCH(QString, annotation);
    QFETCH(QString, expression);
    QFETCH(QByteArray, connection);
    QFETCH(QByteArray, expected);

    const QString code
        = QStringLiteral("import typing\nfrom promptflow import tool\nfrom promptflow.connections "
                         "import CustomConnection, OpenAIConnection, AzureOpenAIConnection, "
                         "ServerlessConnection\n\n"
                         "@tool\ndef f(conn%1, question: str):\n    return %2\n")
              .arg(annotation.isEmpty() ? QString() : QStringLiteral(": ") + annotation,
                   expression);
    const QString file = writeFile(QStringLiteral("conn_%1.py").arg(QTest::currentDataTag()), code);
    PythonCall call = callFor(file, R"({"conn": "connection-name", "question": "q"})");
    call.literalInputs = {"conn"};
    call.connections = Value::object();
    if (!json(connection).is_null()) {
        call.connections["conn"] = json(connection);
    }
    auto result = m_runner->run(call);
    if (json(expected).is_null()) {
        QVERIFY2(!result, qPrintable(describe(result)));
        const QString message = QString::fromStdString(result.error().message);
        QVERIFY2(json(connection).is_null()
                     ? message.contains("connection 'connection-name' for input 'conn' not found")
                     : message.contains("input 'conn' expects AzureOpenAIConnection"),
                 qPrintable(message));
        return;
    }
    QVERIFY2(result, qPrintable(describe(result)));
    QCOMPARE(result->output, json(expected));
}

// ---------------------------------------------------------------------------------------------

void TestPythonRunner::asyncTools_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("async-def") << QStringLiteral(R"(import asyncio
from promptflow import tool

@tool
async def f(n: int):
    await asyncio.sleep(0)
    return n * 2
)") << QByteArray("20");
    QTest::newRow("async-gather") << QStringLiteral(R"(import asyncio
from promptflow.core import tool

async def square(x):
    await asyncio.sleep(0.01)
    return x * x

@tool
async def f(n: int):
    return list(await asyncio.gather(*(square(i) for i in range(n))))
)") << QByteArray("[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]");
    QTest::newRow("generator-joined") << QStringLiteral(R"(from promptflow import tool

@tool
def f(n: int):
    for i in range(n):
        yield str(i)
)") << QByteArray(R"("0123456789")");
    QTest::newRow("async-generator-joined") << QStringLiteral(R"(from promptflow import tool

@tool
async def f(n: int):
    for i in range(n):
        yield chr(ord("a") + i)
)") << QByteArray(R"("abcdefghij")");
    QTest::newRow("non-json-result-stringified") << QStringLiteral(R"py(from promptflow import tool

class Point:
    def __str__(self):
        return "Point(1, 2)"

@tool
def f(n: int):
    return {"p": Point(), "t": (n, n), "s": sorted({n})}
)py") << QByteArray(R"js({"p": "Point(1, 2)", "t": [10, 10], "s": [10]})js");
}

void TestPythonRunner::asyncTools()
{
    QFETCH(QString, code);
    QFETCH(QByteArray, expected);
    const QString file
        = writeFile(QStringLiteral("async_%1.py").arg(QTest::currentDataTag()), code);
    PythonCall call = callFor(file, R"({"n": "10"})");
    call.literalInputs = {"n"};
    auto result = m_runner->run(call);
    QVERIFY2(result, qPrintable(describe(result)));
    QCOMPARE(result->output, json(expected));
    if (QByteArray(QTest::currentDataTag()) == "non-json-result-stringified") {
        QVERIFY2(QString::fromStdString(result->log).contains("Point is not JSON-serialisable"),
                 result->log.c_str());
    }
}

// ---------------------------------------------------------------------------------------------

void TestPythonRunner::environment_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("call-environment")
        << "os.environ.get('FB_TEST_VALUE')" << QByteArray(R"("from-call")");
    QTest::newRow("no-bytecode") << "os.environ.get('PYTHONDONTWRITEBYTECODE')"
                                 << QByteArray(R"("1")");
    QTest::newRow("unbuffered") << "os.environ.get('PYTHONUNBUFFERED')" << QByteArray(R"("1")");
    QTest::newRow("parent-environment-passed")
        << "os.environ.get('PATH') is not None" << QByteArray("true");
    QTest::newRow("cwd-is-flow-folder") << "os.getcwd() == FLOW_DIR" << QByteArray("true");
    QTest::newRow("sibling-import")
        << "__import__('siblinghelper').VALUE" << QByteArray(R"("sibling")");
    QTest::newRow("stdin-is-empty") << "sys.stdin.read()" << QByteArray(R"("")");
}

void TestPythonRunner::environment()
{
    QFETCH(QString, expression);
    QFETCH(QByteArray, expected);
    writeFile(QStringLiteral("siblinghelper.py"), QStringLiteral("VALUE = 'sibling'\n"));
    const QString file = writeFile(
        QStringLiteral("env_%1.py").arg(QTest::currentDataTag()),
        QStringLiteral("import os, sys\nfrom promptflow import tool\n\nFLOW_DIR = %1\n\n@tool\n"
                       "def f():\n    return %2\n")
            .arg(QString::fromStdString(
                     Value(QDir(m_dir.path()).canonicalPath().toStdString()).dump()),
                 expression));
    PythonCall call = callFor(file);
    call.workingDir = QDir(m_dir.path()).canonicalPath().toStdString();
    call.environment = {{"FB_TEST_VALUE", "from-call"}};
    auto result = m_runner->run(call);
    QVERIFY2(result, qPrintable(describe(result)));
    QCOMPARE(result->output, json(expected));

    if (QByteArray(QTest::currentDataTag()) != "call-environment") {
        return;
    }
    // A call's variables do not leak into the next call on the same worker.
    const QString probe = writeFile(QStringLiteral("env_probe.py"),
                                    QStringLiteral("import os\nfrom promptflow import tool\n\n"
                                                   "@tool\ndef f():\n"
                                                   "    return os.environ.get('FB_TEST_VALUE')\n"));
    PythonRunnerOptions options;
    options.maxWorkers = 1;
    PythonRunner single(options);
    auto withVar = single.run(call);
    QVERIFY2(withVar, qPrintable(describe(withVar)));
    auto after = single.run(callFor(probe));
    QVERIFY2(after, qPrintable(describe(after)));
    QCOMPARE(after->output, Value());
}

void TestPythonRunner::reloadsEditedFile()
{
    const QString file = writeFile(QStringLiteral("edited.py"),
                                   QStringLiteral("from promptflow import tool\n\n@tool\n"
                                                  "def f():\n    return 'first'\n"));
    auto first = m_runner->run(callFor(file));
    QVERIFY2(first, qPrintable(describe(first)));
    QCOMPARE(first->output, Value("first"));
    writeFile(QStringLiteral("edited.py"),
              QStringLiteral("from promptflow import tool\n\n@tool\n"
                             "def f():\n    return 'second version'\n"));
    for (int i = 0; i < 3; ++i) { // whichever worker serves it
        auto second = m_runner->run(callFor(file));
        QVERIFY2(second, qPrintable(describe(second)));
        QCOMPARE(second->output, Value("second version"));
    }
}

// ---------------------------------------------------------------------------------------------

void TestPythonRunner::concurrency_data()
{
    QTest::addColumn<int>("maxWorkers");
    QTest::newRow("4-workers") << 4;
    QTest::newRow("2-workers") << 2;
}

void TestPythonRunner::concurrency()
{
    QFETCH(int, maxWorkers);
    PythonRunnerOptions options;
    options.maxWorkers = maxWorkers;
    PythonRunner runner(options);
    const QString file
        = writeFile(QStringLiteral("concurrent.py"), QStringLiteral(R"(import os, time
from promptflow import tool

@tool
def f(i: int):
    time.sleep(0.05)
    return {"i": i, "square": i * i, "pid": os.getpid()}
)"));
    constexpr int kThreads = 4;
    constexpr int kCallsPerThread = 2;
    std::mutex mutex;
    std::vector<QString> failures;
    std::vector<Value> outputs;
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int c = 0; c < kCallsPerThread; ++c) {
                    const int i = t * kCallsPerThread + c;
                    auto result = runner.run(
                        callFor(file, QByteArray("{\"i\": ") + QByteArray::number(i) + "}"));
                    std::lock_guard lock(mutex);
                    if (!result) {
                        failures.push_back(describe(result));
                    } else {
                        outputs.push_back(result->output);
                    }
                }
            });
        }
    }
    QVERIFY2(failures.empty(), qPrintable(failures.empty() ? QString() : failures.front()));
    QCOMPARE(int(outputs.size()), kThreads * kCallsPerThread);
    QSet<int> seen;
    QSet<qint64> pids;
    for (const Value &output : outputs) {
        const int i = output.at("i").get<int>();
        QCOMPARE(output.at("square").get<int>(), i * i);
        seen.insert(i);
        pids.insert(output.at("pid").get<qint64>());
    }
    QCOMPARE(int(seen.size()), kThreads * kCallsPerThread);
    QVERIFY2(pids.size() <= maxWorkers, qPrintable(QString::number(pids.size())));
}

// ---------------------------------------------------------------------------------------------

void TestPythonRunner::cancelAll_data()
{
    QTest::addColumn<bool>("queued"); // also a call waiting for the single worker

    QTest::newRow("running-call") << false;
    QTest::newRow("running-and-queued-calls") << true;
}

void TestPythonRunner::cancelAll()
{
    QFETCH(bool, queued);
    PythonRunnerOptions options;
    options.maxWorkers = 1;
    PythonRunner runner(options);
    const QString marker
        = m_dir.filePath(QStringLiteral("started.%1").arg(QTest::currentDataTag()));
    QFile::remove(marker);
    const QString file = writeFile(
        QStringLiteral("cancel_%1.py").arg(QTest::currentDataTag()),
        QStringLiteral("import time\nfrom promptflow import tool\n\n@tool\ndef f(marker: str):\n"
                       "    open(marker, 'w').close()\n    time.sleep(60)\n"));
    const QByteArray inputs
        = "{\"marker\": " + QByteArray::fromStdString(Value(marker.toStdString()).dump()) + "}";
    const int total = queued ? 2 : 1;
    std::vector<std::optional<Result<PythonResult>>> results(total);
    std::atomic<int> finished{0};
    {
        std::vector<std::jthread> threads;
        threads.emplace_back([&] {
            results[0] = runner.run(callFor(file, inputs));
            ++finished;
        });
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(marker), 10000);
        if (queued) {
            threads.emplace_back([&] {
                results[1] = runner.run(callFor(file, inputs));
                ++finished;
            });
        }
        // A second call may be waiting for the only worker, or may not have entered run() yet
        // (then it starts after the first cancel): cancelling until both returned covers both.
        QTRY_VERIFY_WITH_TIMEOUT((runner.cancelAll(), finished.load() == total), 10000);
    }
    for (const auto &slot : results) {
        QVERIFY(slot.has_value());
        const Result<PythonResult> &result = *slot;
        QVERIFY2(!result, qPrintable(describe(result)));
        QCOMPARE(result.error().code, ErrorCode::Cancelled);
    }

    const QString ok = writeFile(QStringLiteral("after_cancel.py"),
                                 QStringLiteral("from promptflow import tool\n\n@tool\n"
                                                "def f():\n    return 'alive'\n"));
    auto after = runner.run(callFor(ok));
    QVERIFY2(after, qPrintable(describe(after)));
    QCOMPARE(after->output, Value("alive"));
}

// ---------------------------------------------------------------------------------------------

void TestPythonRunner::missingInterpreter_data()
{
    QTest::addColumn<QString>("python");
    QTest::addColumn<QString>("expected");

    QTest::newRow("absolute-path")
        << "/nonexistent/python3"
        << "/nonexistent/python3 not found: python nodes need Python 3 (apt-get install python3)";
    QTest::newRow("name-on-path") << "flowbench-no-such-python3"
                                  << "flowbench-no-such-python3 not found on PATH: python nodes "
                                     "need Python 3 (apt-get install python3)";
    QTest::newRow("not-python") << "/bin/false"
                                << "python nodes need Python 3";
}

void TestPythonRunner::missingInterpreter()
{
    QFETCH(QString, python);
    QFETCH(QString, expected);
    PythonRunnerOptions options;
    options.python = python.toStdString();
    PythonRunner runner(options);
    const QString file = writeFile(QStringLiteral("never_runs.py"),
                                   QStringLiteral("from promptflow import tool\n\n@tool\n"
                                                  "def f():\n    return 1\n"));
    for (int attempt = 0; attempt < 2; ++attempt) { // a failed start leaves the pool usable
        auto result = runner.run(callFor(file));
        QVERIFY2(!result, qPrintable(describe(result)));
        QCOMPARE(result.error().code, ErrorCode::Python);
        QVERIFY2(QString::fromStdString(result.error().message).contains(expected),
                 qPrintable(describe(result)));
    }
}

void TestPythonRunner::missingWorkerScript()
{
    QTemporaryDir empty;
    QVERIFY(empty.isValid());
    PythonRunnerOptions options;
    options.shimDir = empty.path().toStdString();
    PythonRunner runner(options);
    auto result = runner.run(callFor(
        writeFile(QStringLiteral("no_shim.py"), QStringLiteral("def f():\n    return 1\n"))));
    QVERIFY2(!result, qPrintable(describe(result)));
    QCOMPARE(result.error().code, ErrorCode::Python);
    const QString message = QString::fromStdString(result.error().message);
    QVERIFY2(message.contains(QStringLiteral("flowbench_worker.py"))
                 && message.contains(QStringLiteral("FB_PYTHON_SHIM_DIR")),
             qPrintable(message));
}

void TestPythonRunner::defaultShimDir_data()
{
    QTest::addColumn<QByteArray>("override");
    QTest::newRow("environment-variable-wins") << QByteArray("/opt/elsewhere/python");
    QTest::newRow("fallback-holds-the-worker") << QByteArray();
}

void TestPythonRunner::defaultShimDir()
{
    QFETCH(QByteArray, override);
    const QByteArray saved = qgetenv("FB_PYTHON_SHIM_DIR");
    const bool wasSet = qEnvironmentVariableIsSet("FB_PYTHON_SHIM_DIR");
    if (override.isEmpty()) {
        qunsetenv("FB_PYTHON_SHIM_DIR");
    } else {
        qputenv("FB_PYTHON_SHIM_DIR", override);
    }
    const auto dir = PythonRunner::defaultShimDir();
    if (wasSet) {
        qputenv("FB_PYTHON_SHIM_DIR", saved);
    } else {
        qunsetenv("FB_PYTHON_SHIM_DIR");
    }
    if (!override.isEmpty()) {
        QCOMPARE(QByteArray::fromStdString(dir.string()), override);
    } else {
        QVERIFY2(QFileInfo::exists(QString::fromStdString((dir / "flowbench_worker.py").string())),
                 dir.c_str());
        QVERIFY(QFileInfo::exists(
            QString::fromStdString((dir / "promptflow" / "__init__.py").string())));
    }
}

// ---------------------------------------------------------------------------------------------

void TestPythonRunner::unicodeRoundTrip_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("accents") << QStringLiteral("Cr\u00e8me br\u00fbl\u00e9e, na\u00efve");
    QTest::newRow("cjk") << QStringLiteral("\u4f60\u597d\uff0c\u4e16\u754c / \u3053\u3093\u306b"
                                           "\u3061\u306f");
    QTest::newRow("emoji") << QString::fromUtf8("\xF0\x9F\x98\x80 \xF0\x9F\x9A\x80 ok");
    QTest::newRow("rtl") << QStringLiteral("\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5"
                                           "\u05dd");
    QTest::newRow("quotes-newlines-tabs") << QStringLiteral("line1\n\"quoted\"\t\\back\\\r\nend");
    QTest::newRow("nul-and-controls") << QStringLiteral("a") + QChar(0) + QStringLiteral("b\x01");
}

void TestPythonRunner::unicodeRoundTrip()
{
    QFETCH(QString, text);
    const QString file
        = writeFile(QStringLiteral("unicode.py"), QStringLiteral(R"(from promptflow import tool

@tool
def echo(text: str) -> dict:
    print("got:", text)
    return {"same": text, "reversed": text[::-1], "length": len(text), "caf\u00e9": "\u2713"}
)"));
    PythonCall call = callFor(file);
    call.inputs = Value::object();
    call.inputs["text"] = text.toStdString();
    auto result = m_runner->run(call);
    QVERIFY2(result, qPrintable(describe(result)));
    QCOMPARE(QString::fromStdString(result->output.at("same").get<std::string>()), text);
    std::u32string codepoints = text.toStdU32String();
    const std::u32string reversed(codepoints.rbegin(), codepoints.rend());
    QCOMPARE(QString::fromStdString(result->output.at("reversed").get<std::string>()),
             QString::fromStdU32String(reversed));
    QCOMPARE(result->output.at("length").get<int>(), int(codepoints.size()));
    QCOMPARE(QString::fromStdString(result->output.at("caf\u00e9").get<std::string>()),
             QStringLiteral("\u2713"));
    QVERIFY(QString::fromStdString(result->log).contains(QStringLiteral("got: ") + text));
}

// --- hardening ---------------------------------------------------------------------------------

void TestPythonRunner::environmentHoldsOnlyWhatIsGranted()
{
    qputenv("FB_TEST_SECRET", "s3cr3t-of-another-service");
    qputenv("FB_TEST_PASSED", "passed-on");
    qputenv("LC_FB_TEST", "a-locale-variable");
    const auto restore = qScopeGuard([] {
        qunsetenv("FB_TEST_SECRET");
        qunsetenv("FB_TEST_PASSED");
        qunsetenv("LC_FB_TEST");
    });
    const QString file
        = writeFile(QStringLiteral("print_environ.py"),
                    QStringLiteral("import os\nfrom promptflow import tool\n\n@tool\n"
                                   "def f():\n    print(dict(os.environ))\n"
                                   "    return dict(os.environ)\n"));
    PythonRunnerOptions options;
    options.passEnvironment = {"FB_TEST_PASSED"};
    PythonRunner runner(options); // a fresh worker, started after the variables were set
    PythonCall call = callFor(file);
    call.environment = {{"FB_FLOW_VARIABLE", "from-environment_variables"}};
    auto result = runner.run(call);
    QVERIFY2(result, qPrintable(describe(result)));
    const Value &env = result->output;
    QVERIFY2(!env.contains("FB_TEST_SECRET"), env.dump().c_str());
    QVERIFY(result->log.find("s3cr3t") == std::string::npos);
    QCOMPARE(env.value("FB_TEST_PASSED", ""), std::string("passed-on"));
    QCOMPARE(env.value("LC_FB_TEST", ""), std::string("a-locale-variable"));
    QCOMPARE(env.value("FB_FLOW_VARIABLE", ""), std::string("from-environment_variables"));
    QVERIFY(!env.value("PATH", "").empty()); // a pyenv shim may rewrite it
    QCOMPARE(QString::fromStdString(env.value("HOME", "")), qEnvironmentVariable("HOME"));
    QVERIFY(env.value("PYTHONPATH", "").find("python") != std::string::npos);
}

void TestPythonRunner::outputCap_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("capBytes");  // 0 = the default
    QTest::addColumn<QString>("error"); // empty = succeeds

    const QString worker = QStringLiteral(
        "the tool's return value exceeds the cap of %1 bytes as JSON (max output bytes)");
    // A JSON string of N characters takes N + 2 bytes.
    QTest::newRow("at-cap") << "return 'x' * (1024 * 1024 - 2)" << 1024 * 1024 << "";
    QTest::newRow("one-byte-over")
        << "return 'x' * (1024 * 1024 - 1)" << 1024 * 1024 << worker.arg(1024 * 1024);
    QTest::newRow("multibyte-over")
        << "return '\u00e9' * (512 * 1024)" << 1024 * 1024 << worker.arg(1024 * 1024);
    QTest::newRow("nested-over") << "return {'k': [['y' * 1000] * 100] * 20}" << 1024 * 1024
                                 << worker.arg(1024 * 1024);
    QTest::newRow("default-cap-200mb")
        << "return 'z' * (200 * 1000 * 1000)" << 0 << worker.arg(16 * 1024 * 1024);
    // A tool that writes to the response pipe itself meets the runner's own cap.
    QTest::newRow("raw-response-flood")
        << "os.write(3, b'{' * (12 * 1024 * 1024))\n    return 1" << 1024 * 1024
        << QStringLiteral("its response exceeds the cap of %1 bytes").arg(9 * 1024 * 1024);
}

void TestPythonRunner::outputCap()
{
    QFETCH(QString, body);
    QFETCH(int, capBytes);
    QFETCH(QString, error);
    const QString file = writeFile(
        QStringLiteral("big_%1.py")
            .arg(QString::fromLatin1(QTest::currentDataTag()).replace('-', '_')),
        QStringLiteral("import os\nfrom promptflow import tool\n\n@tool\ndef f():\n    %1\n")
            .arg(body));
    PythonRunnerOptions options;
    options.maxWorkers = 1;
    if (capBytes > 0) {
        options.maxOutputBytes = std::size_t(capBytes);
    }
    PythonRunner runner(options);
    auto result = runner.run(callFor(file));
    if (error.isEmpty()) {
        QVERIFY2(result, qPrintable(describe(result)));
        QCOMPARE(result->output.get<std::string>().size(), std::size_t(capBytes - 2));
    } else {
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Python);
        QVERIFY2(QString::fromStdString(result.error().message).contains(error),
                 qPrintable(describe(result)));
    }
    // The runner goes on: the next call of the same runner works.
    const QString small = writeFile(QStringLiteral("small.py"),
                                    QStringLiteral("from promptflow import tool\n\n@tool\n"
                                                   "def f():\n    return 'small'\n"));
    auto next = runner.run(callFor(small));
    QVERIFY2(next, qPrintable(describe(next)));
    QCOMPARE(next->output, Value("small"));
}

void TestPythonRunner::connectionSecretsRedacted()
{
    // A tool that prints its connection and then fails with the key in the message.
    const QString file = writeFile(
        QStringLiteral("leaky.py"),
        QStringLiteral("from promptflow import tool\nfrom promptflow.connections import "
                       "CustomConnection\n\n@tool\ndef f(conn: CustomConnection):\n"
                       "    print('using', conn.secrets['token'])\n"
                       "    raise RuntimeError('rejected token ' + conn.secrets['token'])\n"));
    PythonCall call = callFor(file, R"({"conn": "svc"})");
    call.literalInputs = {"conn"};
    call.connections["conn"]
        = json(R"({"type": "custom", "configs": {}, "secrets": {"token": "tok-0123456789-abc"}})");
    auto result = m_runner->run(call);
    QVERIFY(!result);
    const QString message = QString::fromStdString(result.error().message);
    QVERIFY2(message.contains("RuntimeError: rejected token [redacted]"), qPrintable(message));
    QVERIFY2(message.contains("using [redacted]"), qPrintable(message));
    QVERIFY2(!message.contains("tok-0123456789"), qPrintable(message));
}

void TestPythonRunner::workerOutlivesTheCallingThread()
{
    // The worker's parent-death signal must not fire when the thread that happened to start
    // it ends: workers are spawned on the runner's own thread.
    const QString pidTool = writeFile(QStringLiteral("thread_pid.py"),
                                      QStringLiteral("import os\nfrom promptflow import tool\n\n"
                                                     "@tool\ndef f():\n    return os.getpid()\n"));
    PythonRunnerOptions options;
    options.maxWorkers = 1;
    PythonRunner runner(options);
    std::optional<Result<PythonResult>> first;
    std::thread([&] { first.emplace(runner.run(callFor(pidTool))); }).join();
    QVERIFY2(*first, qPrintable(describe(*first)));
    const qint64 pid = (*first)->output.get<qint64>();
    QTest::qWait(300); // a wrongly tied PR_SET_PDEATHSIG has fired by now
    QVERIFY(!processGone(pid));
    auto second = runner.run(callFor(pidTool));
    QVERIFY2(second, qPrintable(describe(second)));
    QCOMPARE(second->output.get<qint64>(), pid);
}

void TestPythonRunner::workerDiesWithTheRunnerProcess()
{
    // kill -9 of flowbench-cli in the middle of a python node that spins: its worker (and the
    // worker's process group) must be gone within a second or two, not left at 100 % CPU.
    QTemporaryDir flowDir;
    QVERIFY(flowDir.isValid());
    const auto write = [&](const QString &name, const QByteArray &text) {
        QFile f(flowDir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    };
    write(QStringLiteral("flow.dag.yaml"), "inputs:\n  x:\n    type: string\noutputs:\n  y:\n"
                                           "    type: string\n    reference: ${spin.output}\n"
                                           "nodes:\n- name: spin\n  type: python\n  source:\n"
                                           "    type: code\n    path: spin.py\n  inputs:\n"
                                           "    x: ${inputs.x}\n");
    const QString pidFile = flowDir.filePath(QStringLiteral("worker.pid"));
    write(QStringLiteral("spin.py"),
          QStringLiteral("import os\nfrom promptflow import tool\n\n@tool\ndef f(x: str):\n"
                         "    with open(%1, 'w') as out:\n        out.write(str(os.getpid()))\n"
                         "    while True:\n        pass\n")
              .arg(QString::fromStdString(Value(pidFile.toStdString()).dump()))
              .toUtf8());
    QProcess cli;
    cli.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    cli.start(QStringLiteral(FLOWBENCH_CLI_EXECUTABLE),
              {QStringLiteral("test"), flowDir.path(), QStringLiteral("--inputs"),
               QStringLiteral("x=1")});
    QVERIFY(cli.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(pidFile).size() > 0, 20000);
    QFile f(pidFile);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const qint64 workerPid = f.readAll().toLongLong();
    QVERIFY(workerPid > 0);
    QVERIFY(!processGone(workerPid));
    ::kill(pid_t(cli.processId()), SIGKILL);
    QVERIFY(cli.waitForFinished(5000));
    QElapsedTimer gone;
    gone.start();
    QTRY_VERIFY_WITH_TIMEOUT(processGone(workerPid), 2000);
    qInfo("worker gone %lld ms after kill -9 of the CLI", gone.elapsed());
}

QTEST_GUILESS_MAIN(TestPythonRunner)
#include "tst_pythonrunner.moc"
