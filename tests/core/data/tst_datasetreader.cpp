#include <core/common/sha256.h>
#include <core/data/datasetfingerprint.h>
#include <core/data/datasetinfo.h>
#include <core/data/datasetreader.h>

#include <QByteArray>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

using namespace fb;

namespace {

std::filesystem::path toPath(const QString &path) { return path.toStdString(); }
QString fromStd(const std::string &text) { return QString::fromStdString(text); }

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
           && file.write(content) == content.size();
}

/// Every row of `path`, or an empty list with `error` set.
std::vector<DataRow> readAll(const QString &path, QString *error, DatasetReaderOptions options = {},
                             std::vector<Diagnostic> *skipped = nullptr)
{
    std::vector<DataRow> rows;
    auto reader = DatasetReader::open(toPath(path), options);
    if (!reader) {
        *error = fromStd(reader.error().message);
        return {};
    }
    for (;;) {
        auto row = reader->next();
        if (!row) {
            *error = fromStd(row.error().message);
            if (skipped) {
                *skipped = reader->skipped();
            }
            return rows;
        }
        if (!*row) {
            break;
        }
        rows.push_back(std::move(**row));
    }
    if (skipped) {
        *skipped = reader->skipped();
    }
    return rows;
}

/// Current resident set size of this process, in KiB (from /proc/self/statm).
long currentRssKiB()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly)) {
        return 0;
    }
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLong() * (sysconf(_SC_PAGESIZE) / 1024) : 0;
}

} // namespace

class TestDatasetReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goodInput_data();
    void goodInput();
    void folder();
    void badInput_data();
    void badInput();
    void skipVersusStop_data();
    void skipVersusStop();
    void rowLongerThanLimit();
    void fingerprint_data();
    void fingerprint();
    void fingerprintOfFileIsSha256();
    void preview_data();
    void preview();
    void previewTruncates();
    void largeDataset_data();
    void largeDataset();
    void notRegularFiles_data();
    void notRegularFiles();
    void fileSwappedForFifo();

private:
    QTemporaryDir m_dir;
};

void TestDatasetReader::goodInput_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("expectedRows"); // a JSON array of the rows
    QTest::addColumn<QList<int>>("expectedLines");

    QTest::newRow("jsonl-basic") << "a.jsonl"
                                 << QByteArray("{\"q\":\"hi\",\"n\":1}\n{\"q\":\"yo\",\"n\":2}\n")
                                 << QByteArray(R"([{"q":"hi","n":1},{"q":"yo","n":2}])")
                                 << QList<int>{1, 2};
    QTest::newRow("jsonl-blank-lines")
        << "a.jsonl" << QByteArray("\n{\"a\":1}\n\n   \n{\"a\":2}\n\n")
        << QByteArray(R"([{"a":1},{"a":2}])") << QList<int>{2, 5};
    QTest::newRow("jsonl-crlf") << "a.jsonl" << QByteArray("{\"a\":1}\r\n{\"a\":2}\r\n")
                                << QByteArray(R"([{"a":1},{"a":2}])") << QList<int>{1, 2};
    QTest::newRow("jsonl-bom") << "a.jsonl" << QByteArray("\xEF\xBB\xBF{\"a\":1}\n")
                               << QByteArray(R"([{"a":1}])") << QList<int>{1};
    QTest::newRow("jsonl-no-final-newline")
        << "a.jsonl" << QByteArray("{\"a\":1}\n{\"a\":2}") << QByteArray(R"([{"a":1},{"a":2}])")
        << QList<int>{1, 2};
    QTest::newRow("jsonl-unicode")
        << "a.jsonl"
        << QByteArray(
               "{\"t\":\"caf\xC3\xA9 \xF0\x9F\x98\x80 \\u00e9\\ud83d\\ude00 \xE4\xB8\xAD\"}\n")
        << QByteArray("[{\"t\":\"caf\xC3\xA9 \xF0\x9F\x98\x80 \xC3\xA9\xF0\x9F\x98\x80 "
                      "\xE4\xB8\xAD\"}]")
        << QList<int>{1};
    QTest::newRow("jsonl-nested-and-key-order")
        << "a.JSONL" << QByteArray("{\"z\":[1,{\"y\":null}],\"a\":{\"b\":true},\"m\":1.5}\n")
        << QByteArray(R"([{"z":[1,{"y":null}],"a":{"b":true},"m":1.5}])") << QList<int>{1};
    QTest::newRow("json-basic") << "a.json" << QByteArray("[{\"a\":1},{\"a\":2}]")
                                << QByteArray(R"([{"a":1},{"a":2}])") << QList<int>{1, 1};
    QTest::newRow("json-multiline")
        << "a.json" << QByteArray("[\n  {\n    \"a\": 1\n  },\n  {\"a\": 2}\n]\n")
        << QByteArray(R"([{"a":1},{"a":2}])") << QList<int>{2, 5};
    QTest::newRow("json-brackets-in-strings")
        << "a.json" << QByteArray(R"([{"s":"]}[{,\"x\\"}, {"s":"\\"}, {"s":"a\"]"}])")
        << QByteArray(R"([{"s":"]}[{,\"x\\"},{"s":"\\"},{"s":"a\"]"}])") << QList<int>{1, 1, 1};
    QTest::newRow("json-bom-crlf")
        << "a.json" << QByteArray("\xEF\xBB\xBF[\r\n{\"a\":1},\r\n{\"a\":2}\r\n]\r\n")
        << QByteArray(R"([{"a":1},{"a":2}])") << QList<int>{2, 3};
    QTest::newRow("json-unicode") << "a.json" << QByteArray("[{\"\xC3\xA9\":\"\xE2\x82\xAC\"}]")
                                  << QByteArray("[{\"\xC3\xA9\":\"\xE2\x82\xAC\"}]")
                                  << QList<int>{1};
    QTest::newRow("csv-basic") << "a.csv" << QByteArray("q,n\nhi,1\nyo,2\n")
                               << QByteArray(R"([{"q":"hi","n":"1"},{"q":"yo","n":"2"}])")
                               << QList<int>{2, 3};
    QTest::newRow("csv-quoted-separator")
        << "a.csv" << QByteArray("a,b\n\"x,y\",z\n") << QByteArray(R"([{"a":"x,y","b":"z"}])")
        << QList<int>{2};
    QTest::newRow("csv-doubled-quotes")
        << "a.csv" << QByteArray("a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n")
        << QByteArray(R"([{"a":"say \"hi\"","b":"\""}])") << QList<int>{2};
    QTest::newRow("csv-embedded-newline")
        << "a.csv" << QByteArray("a,b\n\"line1\nline2\",x\nnext,y\n")
        << QByteArray(R"([{"a":"line1\nline2","b":"x"},{"a":"next","b":"y"}])") << QList<int>{2, 4};
    QTest::newRow("csv-crlf") << "a.csv" << QByteArray("a,b\r\n1,2\r\n3,4\r\n")
                              << QByteArray(R"([{"a":"1","b":"2"},{"a":"3","b":"4"}])")
                              << QList<int>{2, 3};
    QTest::newRow("csv-crlf-inside-quotes")
        << "a.csv" << QByteArray("a,b\r\n\"x\r\ny\",\"z\"\r\n")
        << QByteArray(R"([{"a":"x\r\ny","b":"z"}])") << QList<int>{2};
    QTest::newRow("csv-bom") << "a.csv" << QByteArray("\xEF\xBB\xBFid,v\n1,a\n")
                             << QByteArray(R"([{"id":"1","v":"a"}])") << QList<int>{2};
    QTest::newRow("csv-empty-cells")
        << "a.csv" << QByteArray("a,b,c\n,,\n\"\",x,\n")
        << QByteArray(R"([{"a":"","b":"","c":""},{"a":"","b":"x","c":""}])") << QList<int>{2, 3};
    QTest::newRow("csv-blank-lines")
        << "a.csv" << QByteArray("a,b\n\n1,2\r\n\r\n3,4\n\n")
        << QByteArray(R"([{"a":"1","b":"2"},{"a":"3","b":"4"}])") << QList<int>{3, 5};
    QTest::newRow("csv-no-final-newline") << "a.csv" << QByteArray("a,b\n1,\"2\"")
                                          << QByteArray(R"([{"a":"1","b":"2"}])") << QList<int>{2};
    QTest::newRow("csv-no-final-newline-crlf-unquoted")
        << "a.csv" << QByteArray("a,b\r\n1,2\r") << QByteArray(R"([{"a":"1","b":"2"}])")
        << QList<int>{2};
    QTest::newRow("csv-unicode")
        << "a.csv" << QByteArray("\xE5\x90\x8D,emoji\n\xE5\xBC\xA0\xE4\xB8\x89,\xF0\x9F\x8E\x89\n")
        << QByteArray(
               "[{\"\xE5\x90\x8D\":\"\xE5\xBC\xA0\xE4\xB8\x89\",\"emoji\":\"\xF0\x9F\x8E\x89\"}]")
        << QList<int>{2};
    QTest::newRow("csv-quoted-header-and-spaces")
        << "a.csv" << QByteArray("\"first name\", b \nAda, x \n")
        << QByteArray(R"([{"first name":"Ada"," b ":" x "}])") << QList<int>{2};
    QTest::newRow("csv-quote-inside-unquoted-field")
        << "a.csv" << QByteArray("a\n5\" pipe\n") << QByteArray(R"([{"a":"5\" pipe"}])")
        << QList<int>{2};
    QTest::newRow("csv-json-looking-cells-stay-strings")
        << "a.csv" << QByteArray("a,b\ntrue,\"[1,2]\"\n")
        << QByteArray(R"([{"a":"true","b":"[1,2]"}])") << QList<int>{2};
    QTest::newRow("tsv-basic") << "a.tsv" << QByteArray("a\tb\n1,5\t2\n")
                               << QByteArray(R"([{"a":"1,5","b":"2"}])") << QList<int>{2};
    QTest::newRow("tsv-quoted-tab") << "a.TSV" << QByteArray("a\tb\n\"x\ty\"\t\"\"\"q\"\"\"\n")
                                    << QByteArray(R"([{"a":"x\ty","b":"\"q\""}])") << QList<int>{2};
}

void TestDatasetReader::goodInput()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, expectedRows);
    QFETCH(QList<int>, expectedLines);

    const QString dir = m_dir.path() + "/good/" + QTest::currentDataTag();
    const QString path = dir + "/" + fileName;
    QVERIFY(writeFile(path, content));
    const Value expected = Value::parse(expectedRows.toStdString());
    QCOMPARE(int(expected.size()), int(expectedLines.size()));

    // Tiny buffers put every chunk boundary inside rows, quotes, CRLFs and the BOM.
    for (const std::size_t chunk :
         {std::size_t(1), std::size_t(2), std::size_t(7), std::size_t(1 << 20)}) {
        DatasetReaderOptions options;
        options.chunkBytes = chunk;
        QString error;
        const auto rows = readAll(path, &error, options);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(int(rows.size()), int(expected.size()));
        for (std::size_t i = 0; i < rows.size(); ++i) {
            QCOMPARE(fromStd(rows[i].row.dump()), fromStd(expected[i].dump()));
            QCOMPARE(rows[i].line, std::int64_t(expectedLines[int(i)]));
            QCOMPARE(rows[i].index, std::int64_t(i));
            QCOMPARE(fromStd(rows[i].file), fromStd(toPath(path).string()));
        }
        // Counting finds the same rows at the same places, and keeps none of them.
        options.countOnly = true;
        const auto counted = readAll(path, &error, options);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(int(counted.size()), int(expected.size()));
        for (std::size_t i = 0; i < counted.size(); ++i) {
            QVERIFY(counted[i].row.is_null());
            QCOMPARE(counted[i].line, std::int64_t(expectedLines[int(i)]));
            QCOMPARE(counted[i].index, std::int64_t(i));
        }
    }
}

void TestDatasetReader::folder()
{
    const QString dir = m_dir.path() + "/folder";
    QVERIFY(writeFile(dir + "/b.csv", "x\n2\n3\n"));
    QVERIFY(writeFile(dir + "/a.jsonl", "{\"x\":\"1\"}\n"));
    QVERIFY(writeFile(dir + "/c.json", "[\n{\"x\":\"4\"}]"));
    QVERIFY(writeFile(dir + "/d.tsv", "x\n"));             // header only: no rows, no error
    QVERIFY(writeFile(dir + "/.hidden.txt", "ignored"));   // hidden: ignored
    QVERIFY(writeFile(dir + "/sub/e.jsonl", "{\"x\":9}")); // sub-folder: ignored

    QString error;
    const auto rows = readAll(dir, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(int(rows.size()), 4);
    const QStringList files = {"a.jsonl", "b.csv", "b.csv", "c.json"};
    const QList<int> lines = {1, 2, 3, 2};
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(fromStd(rows[i].row.at("x").get<std::string>()), QString::number(i + 1));
        QCOMPARE(QFileInfo(fromStd(rows[i].file)).fileName(), files[i]);
        QCOMPARE(rows[i].line, std::int64_t(lines[i]));
        QCOMPARE(rows[i].index, std::int64_t(i));
    }

    auto reader = DatasetReader::open(toPath(dir));
    QVERIFY(reader.has_value());
    QCOMPARE(int(reader->files().size()), 4);

    // An unknown extension in the folder is named.
    QVERIFY(writeFile(dir + "/notes.md", "hello"));
    auto bad = DatasetReader::open(toPath(dir));
    QVERIFY(!bad.has_value());
    QVERIFY2(fromStd(bad.error().message).contains("notes.md: unknown data file extension"),
             bad.error().message.c_str());

    // An empty folder is empty data.
    QVERIFY(QDir().mkpath(m_dir.path() + "/emptyfolder"));
    QString emptyError;
    QVERIFY(readAll(m_dir.path() + "/emptyfolder", &emptyError).empty());
    QVERIFY2(emptyError.contains("data is empty"), qPrintable(emptyError));
}

void TestDatasetReader::badInput_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("location"); // "line" or "line:column" after the file name
    QTest::addColumn<QString>("fragment");

    QTest::newRow("jsonl-malformed") << "d.jsonl" << QByteArray("{\"a\":1}\n{\"a\":}\n") << "2:6"
                                     << "malformed JSON";
    QTest::newRow("jsonl-malformed-after-blank-lines")
        << "d.jsonl" << QByteArray("{\"a\":1}\n\n\n{\"a\" 1}\n") << "4:6"
        << "malformed JSON";
    QTest::newRow("jsonl-trailing-garbage") << "d.jsonl" << QByteArray("{\"a\":1} x\n") << "1:9"
                                            << "malformed JSON";
    QTest::newRow("jsonl-row-is-array")
        << "d.jsonl" << QByteArray("{\"a\":1}\n{\"a\":2}\n[1,2]\n") << "3"
        << "row is an array, expected a JSON object";
    QTest::newRow("jsonl-row-is-number") << "d.jsonl" << QByteArray("42\n") << "1"
                                         << "row is a number";
    QTest::newRow("jsonl-row-is-string") << "d.jsonl" << QByteArray("{\"a\":1}\r\n\"x\"\r\n") << "2"
                                         << "row is a string";
    QTest::newRow("jsonl-invalid-utf8")
        << "d.jsonl" << QByteArray("{\"a\":1}\n{\"a\":\"\xFF\"}\n") << "2:7"
        << "invalid UTF-8 at byte offset 14";
    QTest::newRow("jsonl-overlong-utf8")
        << "d.jsonl" << QByteArray("{\"a\":\"\xC0\xAF\"}\n") << "1:7"
        << "invalid UTF-8 at byte offset 6";
    QTest::newRow("jsonl-surrogate-utf8")
        << "d.jsonl" << QByteArray("{\"a\":\"\xED\xA0\x80\"}\n") << "1:7"
        << "invalid UTF-8 at byte offset 6";
    // Half a surrogate pair, escaped: strict JSON parsers refuse it, and so does the reader.
    QTest::newRow("jsonl-lone-surrogate-escape")
        << "d.jsonl" << QByteArray("{\"a\":1}\n{\"a\":\"\\ud800\"}\n") << "2:13"
        << "malformed JSON";
    QTest::newRow("jsonl-truncated-utf8") << "d.jsonl" << QByteArray("{\"a\":\"\xE2\x82") << "1:7"
                                          << "invalid UTF-8 at byte offset 6";
    QTest::newRow("jsonl-empty-file") << "d.jsonl" << QByteArray() << ""
                                      << "data is empty";
    QTest::newRow("jsonl-only-blank-lines") << "d.jsonl" << QByteArray("\n \r\n\n") << ""
                                            << "data is empty";
    QTest::newRow("json-not-an-array") << "d.json" << QByteArray("\n {\"a\":1}") << "2:2"
                                       << "expected '['";
    QTest::newRow("json-element-not-object") << "d.json" << QByteArray("[{\"a\":1},\n  2]") << "2:3"
                                             << "array element is a number";
    QTest::newRow("json-element-is-string") << "d.json" << QByteArray("[\"a,b\"]") << "1:2"
                                            << "array element is a string";
    QTest::newRow("json-malformed-element")
        << "d.json" << QByteArray("[\n{\"a\":1},\n{\"a\" 1}\n]") << "3:6"
        << "malformed JSON";
    QTest::newRow("json-malformed-element-later-line")
        << "d.json" << QByteArray("[{\n\"a\":\n tru}]") << "3:5"
        << "malformed JSON";
    QTest::newRow("json-missing-comma") << "d.json" << QByteArray("[{\"a\":1}\n{\"b\":2}]") << "2:1"
                                        << "expected ',' or ']'";
    QTest::newRow("json-unterminated-array") << "d.json" << QByteArray("[{\"a\":1},\n") << "2"
                                             << "missing ']'";
    QTest::newRow("json-unterminated-string")
        << "d.json" << QByteArray("[{\"a\":1},\n{\"a\":\"abc") << "2:1"
        << "unterminated string";
    QTest::newRow("json-trailing-content") << "d.json" << QByteArray("[{\"a\":1}]\nx") << "2:1"
                                           << "after the closing ']'";
    QTest::newRow("json-trailing-comma") << "d.json" << QByteArray("[{\"a\":1},]") << "1:10"
                                         << "unexpected ']'";
    QTest::newRow("json-empty-array") << "d.json" << QByteArray(" [ ]\n") << ""
                                      << "data is empty";
    QTest::newRow("json-invalid-utf8")
        << "d.json" << QByteArray("[{\"a\":1},\n{\"a\":\"\x80\"}]") << "2:7"
        << "invalid UTF-8 at byte offset 16";
    QTest::newRow("csv-too-many-fields") << "d.csv" << QByteArray("a,b\n1,2\n1,2,3\n") << "3"
                                         << "expected 2 fields (as in the header), found 3";
    QTest::newRow("csv-too-few-fields") << "d.csv" << QByteArray("a,b,c\n1,2\n") << "2"
                                        << "expected 3 fields (as in the header), found 2";
    QTest::newRow("csv-wrong-fields-after-multiline-quote")
        << "d.csv" << QByteArray("a,b\n\"x\ny\",1\n2\n") << "4"
        << "found 1";
    QTest::newRow("csv-unterminated-quote")
        << "d.csv" << QByteArray("a,b\n1,2\n3,\"abc\n4,5\n") << "3:3"
        << "unterminated quoted field";
    QTest::newRow("csv-stray-quote-after-closing")
        << "d.csv" << QByteArray("a,b\n\"ab\"c,d\n") << "2:5"
        << "unexpected character after a closing quote";
    QTest::newRow("csv-header-only") << "d.csv" << QByteArray("a,b\n") << ""
                                     << "data is empty";
    QTest::newRow("csv-empty-file") << "d.csv" << QByteArray() << ""
                                    << "data is empty";
    QTest::newRow("csv-duplicate-header") << "d.csv" << QByteArray("a,b,a\n1,2,3\n") << "1"
                                          << "duplicate column name 'a'";
    QTest::newRow("csv-invalid-utf8") << "d.csv" << QByteArray("a,b\n1,2\nx,\xC3\x28\n") << "3:3"
                                      << "invalid UTF-8 at byte offset 10";
    QTest::newRow("tsv-wrong-fields") << "d.tsv" << QByteArray("a\tb\n1,2\n") << "2"
                                      << "expected 2 fields";
    QTest::newRow("unknown-extension") << "d.txt" << QByteArray("{}") << ""
                                       << "unknown data file extension '.txt'";
}

void TestDatasetReader::badInput()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QString, location);
    QFETCH(QString, fragment);

    const QString path = m_dir.path() + "/bad/" + QTest::currentDataTag() + "/" + fileName;
    QVERIFY(writeFile(path, content));
    for (const auto &[chunk, countOnly] :
         {std::pair{std::size_t(1), false}, std::pair{std::size_t(1 << 20), false},
          std::pair{std::size_t(1), true}, std::pair{std::size_t(1 << 20), true}}) {
        DatasetReaderOptions options;
        options.chunkBytes = chunk;
        options.countOnly = countOnly; // counting stops at the same row with the same message
        QString error;
        (void)readAll(path, &error, options);
        const QString prefix = fromStd(toPath(path).string())
                               + (location.isEmpty() ? QString() : ":" + location) + ": ";
        QVERIFY2(error.startsWith(prefix),
                 qPrintable("expected prefix '" + prefix + "' in: " + error));
        QVERIFY2(error.contains(fragment), qPrintable(error));
    }
}

void TestDatasetReader::skipVersusStop_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("rowsBeforeStop");
    QTest::addColumn<QList<int>>("goodLines");
    QTest::addColumn<QList<int>>("badLines");

    QTest::newRow("jsonl") << "s.jsonl"
                           << QByteArray(
                                  "{\"a\":1}\n{bad}\n{\"a\":2}\n[3]\n{\"a\":\"\xFF\"}\n{\"a\":4}\n")
                           << 1 << QList<int>{1, 3, 6} << QList<int>{2, 4, 5};
    QTest::newRow("json") << "s.json"
                          << QByteArray("[{\"a\":1},\n7,\n{\"a\":2},\n{\"a\" 2},\n{\"a\":3}]") << 1
                          << QList<int>{1, 3, 5} << QList<int>{2, 4};
    QTest::newRow("csv") << "s.csv" << QByteArray("a,b\n1,2\n3\n4,5\n\"x\"y,z\n6,7,8\n9,10\n") << 1
                         << QList<int>{2, 4, 7} << QList<int>{3, 5, 6};
    QTest::newRow("csv-bad-first")
        << "s.csv" << QByteArray("a,b\n1\n2,3\n") << 0 << QList<int>{3} << QList<int>{2};
}

void TestDatasetReader::skipVersusStop()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(int, rowsBeforeStop);
    QFETCH(QList<int>, goodLines);
    QFETCH(QList<int>, badLines);

    const QString path = m_dir.path() + "/skip/" + QTest::currentDataTag() + "/" + fileName;
    QVERIFY(writeFile(path, content));
    const QString name = fromStd(toPath(path).string());

    // Stop: the first bad row ends the read, and the reader stays failed.
    {
        auto reader = DatasetReader::open(toPath(path));
        QVERIFY(reader.has_value());
        int rows = 0;
        QString error;
        for (;;) {
            auto row = reader->next();
            if (!row) {
                error = fromStd(row.error().message);
                break;
            }
            QVERIFY2(row->has_value(), "reached the end without an error");
            ++rows;
        }
        QCOMPARE(rows, rowsBeforeStop);
        QVERIFY2(error.startsWith(name + ":" + QString::number(badLines.first()) + ":"),
                 qPrintable(error));
        auto again = reader->next();
        QVERIFY(!again.has_value());
        QCOMPARE(fromStd(again.error().message), error);
        QVERIFY(reader->skipped().empty());
    }
    // Skip: every good row, with dense indexes, and a diagnostic per bad row.
    {
        DatasetReaderOptions options;
        options.onBadRow = OnBadRow::Skip;
        QString error;
        std::vector<Diagnostic> skipped;
        const auto rows = readAll(path, &error, options, &skipped);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(int(rows.size()), goodLines.size());
        for (int i = 0; i < goodLines.size(); ++i) {
            QCOMPARE(rows[i].line, std::int64_t(goodLines[i]));
            QCOMPARE(rows[i].index, std::int64_t(i));
        }
        QCOMPARE(int(skipped.size()), badLines.size());
        for (int i = 0; i < badLines.size(); ++i) {
            QCOMPARE(skipped[i].line, badLines[i]);
            QCOMPARE(fromStd(skipped[i].file), name);
            QVERIFY(!skipped[i].message.empty());
        }
    }
}

void TestDatasetReader::rowLongerThanLimit()
{
    const QString path = m_dir.path() + "/long/data.jsonl";
    QVERIFY(writeFile(path, "{\"a\":1}\n{\"a\":\"" + QByteArray(5000, 'x') + "\"}\n"));
    DatasetReaderOptions options;
    options.chunkBytes = 64;
    options.maxRowBytes = 1000;
    options.onBadRow = OnBadRow::Skip; // structural: stops anyway
    QString error;
    const auto rows = readAll(path, &error, options);
    QCOMPARE(int(rows.size()), 1);
    QVERIFY2(error.startsWith(fromStd(toPath(path).string()) + ":2: row is longer than 1000"),
             qPrintable(error));

    options.maxRowBytes = 10000;
    error.clear();
    QCOMPARE(int(readAll(path, &error, options).size()), 2);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestDatasetReader::fingerprint_data()
{
    // Two folders: "base" and a variant; sameId says whether their ids must agree.
    QTest::addColumn<QStringList>("baseFiles"); // "name=content"
    QTest::addColumn<QStringList>("otherFiles");
    QTest::addColumn<bool>("sameId");

    const QStringList base = {"a.jsonl={\"x\":1}\n", "b.csv=x\n2\n"};
    QTest::newRow("same-bytes") << base << base << true;
    QTest::newRow("hidden-file-ignored") << base << (base + QStringList{".DS_Store=junk"}) << true;
    QTest::newRow("one-byte-changed")
        << base << QStringList{"a.jsonl={\"x\":2}\n", "b.csv=x\n2\n"} << false;
    QTest::newRow("file-renamed") << base << QStringList{"a.jsonl={\"x\":1}\n", "c.csv=x\n2\n"}
                                  << false;
    QTest::newRow("file-added") << base << (base + QStringList{"c.jsonl={\"x\":3}\n"}) << false;
    QTest::newRow("bytes-moved-between-files")
        << base << QStringList{"a.jsonl={\"x\":1}\nx", "b.csv=\n2\n"} << false;
    QTest::newRow("file-removed") << base << QStringList{"a.jsonl={\"x\":1}\n"} << false;
}

void TestDatasetReader::fingerprint()
{
    QFETCH(QStringList, baseFiles);
    QFETCH(QStringList, otherFiles);
    QFETCH(bool, sameId);

    const QString root = m_dir.path() + "/fp/" + QTest::currentDataTag();
    auto make = [](const QString &dir, const QStringList &files) {
        for (const QString &spec : files) {
            const int eq = spec.indexOf('=');
            if (!writeFile(dir + "/" + spec.left(eq), spec.mid(eq + 1).toUtf8())) {
                return false;
            }
        }
        return true;
    };
    QVERIFY(make(root + "/base", baseFiles));
    QVERIFY(make(root + "/other", otherFiles));
    const auto first = DatasetFingerprint::compute(toPath(root + "/base"));
    const auto again = DatasetFingerprint::compute(toPath(root + "/base"));
    const auto other = DatasetFingerprint::compute(toPath(root + "/other"));
    QVERIFY(first && again && other);
    QCOMPARE(int(first->size()), 64);
    QCOMPARE(fromStd(*again), fromStd(*first));
    QCOMPARE(*other == *first, sameId);
}

void TestDatasetReader::fingerprintOfFileIsSha256()
{
    const QString path = m_dir.path() + "/fpfile/abc.jsonl";
    QVERIFY(writeFile(path, "abc"));
    const auto id = DatasetFingerprint::compute(toPath(path));
    QVERIFY(id.has_value());
    QCOMPARE(fromStd(*id),
             QString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));

    // Larger than the 1 MiB read buffer: streamed, same as hashing in one go.
    QByteArray big;
    for (int i = 0; i < 300000; ++i) {
        big += "{\"i\":" + QByteArray::number(i) + "}\n";
    }
    QVERIFY(writeFile(path, big));
    const auto bigId = DatasetFingerprint::compute(toPath(path));
    QVERIFY(bigId.has_value());
    QCOMPARE(fromStd(*bigId), fromStd(Sha256::hex(big.toStdString())));

    const auto missing = DatasetFingerprint::compute(toPath(m_dir.path() + "/fpfile/nope.csv"));
    QVERIFY(!missing.has_value());
    QVERIFY(fromStd(missing.error().message).contains("nope.csv"));
}

void TestDatasetReader::preview_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("expectedColumns"); // "name:type:missing"

    QTest::newRow("jsonl-types")
        << "p.jsonl"
        << QByteArray(
               "{\"i\":1,\"d\":1.5,\"n\":1,\"b\":true,\"s\":\"x\",\"l\":[1],\"o\":{},\"m\":1,"
               "\"z\":null}\n"
               "{\"i\":-2,\"d\":2.0,\"n\":2.5,\"b\":false,\"s\":\"y\",\"l\":[],\"o\":{\"a\":1},"
               "\"m\":\"1\",\"z\":null}\n"
               "{\"i\":3,\"extra\":[]}\n")
        << QStringList{"i:int:0",  "d:double:1", "n:double:1", "b:bool:1",   "s:string:1",
                       "l:list:1", "o:object:1", "m:mixed:1",  "z:string:3", "extra:list:2"};
    QTest::newRow("csv-all-strings")
        << "p.csv" << QByteArray("a,b\n1,true\n2.5,x\n") << QStringList{"a:string:0", "b:string:0"};
    QTest::newRow("json-bool-and-null")
        << "p.json" << QByteArray("[{\"ok\":true},{\"ok\":null},{\"ok\":false}]")
        << QStringList{"ok:bool:1"};
}

void TestDatasetReader::preview()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QStringList, expectedColumns);

    const QString path = m_dir.path() + "/preview/" + QTest::currentDataTag() + "/" + fileName;
    QVERIFY(writeFile(path, content));
    const auto info = DatasetInfo::preview(toPath(path), 100);
    QVERIFY2(info.has_value(), info ? "" : info.error().message.c_str());
    QVERIFY(info->complete);
    QStringList columns;
    for (const auto &column : info->columns) {
        columns << fromStd(column.name) + ":" + columnTypeName(column.type) + ":"
                       + QString::number(column.missing);
    }
    QCOMPARE(columns, expectedColumns);
}

void TestDatasetReader::previewTruncates()
{
    const QString path = m_dir.path() + "/preview-trunc/p.jsonl";
    QByteArray content;
    for (int i = 0; i < 50; ++i) {
        content += "{\"i\":" + QByteArray::number(i) + "}\n";
    }
    content += "{\"i\":\"late\"}\n"; // beyond the preview: does not make the column mixed
    QVERIFY(writeFile(path, content));
    const auto info = DatasetInfo::preview(toPath(path), 10);
    QVERIFY(info.has_value());
    QCOMPARE(int(info->rows.size()), 10);
    QVERIFY(!info->complete);
    QCOMPARE(info->rows.back().index, std::int64_t(9));
    QCOMPARE(int(info->columns.size()), 1);
    QCOMPARE(info->columns[0].type, ColumnType::Int);

    const auto all = DatasetInfo::preview(toPath(path), 51);
    QVERIFY(all.has_value());
    QVERIFY(all->complete);
    QCOMPARE(all->columns[0].type, ColumnType::Mixed);

    const auto empty = DatasetInfo::preview(toPath(m_dir.path() + "/preview-trunc/none.csv"), 10);
    QVERIFY(!empty.has_value());
    QCOMPARE(empty.error().code, ErrorCode::NotFound);
}

void TestDatasetReader::largeDataset_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::newRow("jsonl-200k") << "large.jsonl";
    QTest::newRow("csv-200k") << "large.csv";
    QTest::newRow("json-200k") << "large.json";
}

void TestDatasetReader::largeDataset()
{
    QFETCH(QString, fileName);
    const int rowCount = 200000;
    const QString path = m_dir.path() + "/large/" + fileName;
    QDir().mkpath(QFileInfo(path).absolutePath());
    {
        // Written in pieces so the test itself does not hold the file in memory.
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        const bool csv = fileName.endsWith(".csv");
        const bool json = fileName.endsWith(".json");
        QByteArray piece = csv ? "id,question,answer\n" : (json ? "[\n" : "");
        const QByteArray padding(80, 'p');
        for (int i = 0; i < rowCount; ++i) {
            const QByteArray n = QByteArray::number(i);
            if (csv) {
                piece += n + ",\"what is " + n + ", really?\"," + padding + "\n";
            } else {
                piece += "{\"id\":" + n + ",\"question\":\"what is " + n + "?\",\"answer\":\""
                         + padding + "\"}" + (json && i + 1 < rowCount ? ",\n" : "\n");
            }
            if (piece.size() > (1 << 16)) {
                QVERIFY(file.write(piece) == piece.size());
                piece.clear();
            }
        }
        piece += json ? "]\n" : "";
        QVERIFY(file.write(piece) == piece.size());
    }
    const qint64 fileBytes = QFileInfo(path).size();
    QVERIFY(fileBytes > 20 * 1024 * 1024);

    const long rssBefore = currentRssKiB();
    long rssGrowthKiB = 0;
    QElapsedTimer timer;
    timer.start();
    auto reader = DatasetReader::open(toPath(path));
    QVERIFY(reader.has_value());
    std::int64_t rows = 0;
    std::int64_t idSum = 0;
    for (;;) {
        auto row = reader->next();
        QVERIFY2(row.has_value(), row ? "" : row.error().message.c_str());
        if (!*row) {
            break;
        }
        const Value &id = (*row)->row.at("id");
        idSum += id.is_string() ? std::stoll(id.get<std::string>()) : id.get<std::int64_t>();
        ++rows;
        if (rows % 50000 == 0) {
            rssGrowthKiB = std::max(rssGrowthKiB, currentRssKiB() - rssBefore);
        }
    }
    const qint64 ms = timer.elapsed();
    qInfo("%s: %lld rows, %lld MB in %lld ms (%.0f rows/s), buffer %zu KiB, RSS +%ld KiB",
          qPrintable(fileName), static_cast<long long>(rows),
          static_cast<long long>(fileBytes >> 20), static_cast<long long>(ms),
          ms > 0 ? rows * 1000.0 / ms : 0.0, reader->peakBufferBytes() / 1024, rssGrowthKiB);

    QCOMPARE(rows, std::int64_t(rowCount));
    QCOMPARE(idSum, std::int64_t(rowCount) * (rowCount - 1) / 2);
    QCOMPARE(reader->rowCount(), std::int64_t(rowCount));
    // Bounded memory: one read buffer, never grown, and far less than the file held at once.
    QCOMPARE(reader->peakBufferBytes(), DatasetReaderOptions{}.chunkBytes);
    QVERIFY2(rssGrowthKiB * 1024 < fileBytes / 4,
             qPrintable(QString("RSS grew by %1 KiB").arg(rssGrowthKiB)));
}

void TestDatasetReader::notRegularFiles_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("says");
    QTest::newRow("fifo") << "fifo"
                          << "is a FIFO (named pipe), not a regular file";
    QTest::newRow("link-to-dev-zero") << "link"
                                      << "is a character device, not a regular file";
    QTest::newRow("dev-zero") << "/dev/zero"
                              << "/dev/zero: is a character device, not a regular file";
}

void TestDatasetReader::notRegularFiles()
{
    // --data on a FIFO or a device is refused with what it is, at once: before, a FIFO hung
    // (or was read once by the count pass and then waited for) and /dev/zero spun for ever.
    QFETCH(QString, kind);
    QFETCH(QString, says);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::filesystem::path path = toPath(dir.filePath("rows.jsonl"));
    if (kind == "fifo") {
        QCOMPARE(::mkfifo(path.c_str(), 0600), 0);
    } else if (kind == "link") {
        std::filesystem::create_symlink("/dev/zero", path);
    } else {
        path = toPath(kind);
    }
    QElapsedTimer timer;
    timer.start();
    const auto reader = DatasetReader::open(path);
    const auto fingerprint = DatasetFingerprint::compute(path);
    const auto preview = DatasetInfo::preview(path, 10);
    QVERIFY(timer.elapsed() < 5000);
    for (const Error *error : {&reader.error(), &fingerprint.error(), &preview.error()}) {
        QVERIFY2(fromStd(error->message).startsWith(fromStd(path.string()) + ": "),
                 error->message.c_str());
        QVERIFY2(fromStd(error->message).contains(says), error->message.c_str());
    }
    QVERIFY(!reader && !fingerprint && !preview);

    // In a data folder, a FIFO or device is passed over like a sub-folder.
    if (kind != "/dev/zero") {
        QVERIFY(writeFile(dir.filePath("a.jsonl"), "{\"x\":1}\n"));
        QString error;
        const auto rows = readAll(dir.path(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(int(rows.size()), 1);
        QVERIFY(DatasetFingerprint::compute(toPath(dir.path())).has_value());
    }
}

void TestDatasetReader::fileSwappedForFifo()
{
    // Checked when opened too: a file replaced by a FIFO after DatasetReader::open is refused
    // when it is read, not waited for.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath("rows.jsonl");
    QVERIFY(writeFile(file, "{\"x\":1}\n"));
    auto reader = DatasetReader::open(toPath(file));
    QVERIFY(reader.has_value());
    QVERIFY(QFile::remove(file));
    QCOMPARE(::mkfifo(file.toLocal8Bit().constData(), 0600), 0);
    QElapsedTimer timer;
    timer.start();
    const auto row = reader->next();
    QVERIFY(timer.elapsed() < 5000);
    QVERIFY(!row.has_value());
    QVERIFY2(fromStd(row.error().message).contains(file + ": is a FIFO"),
             row.error().message.c_str());
}

QTEST_GUILESS_MAIN(TestDatasetReader)
#include "tst_datasetreader.moc"
