#include <ui/editor/problemsmodel.h>

#include <core/flow/flowloader.h>
#include <core/flow/flowvalidator.h>
#include <core/flow/flowwriter.h>

#include <QApplication>
#include <QFileInfo>
#include <QStyle>

#include <algorithm>
#include <filesystem>

namespace fb::ui {

namespace {

QString fromStd(const std::string &s) { return QString::fromStdString(s); }

/// The message without its "file:line:column: " prefix.
QString bareMessage(const Diagnostic &d)
{
    QString message = fromStd(d.message);
    const QString prefix = fromStd(d.file);
    if (!prefix.isEmpty() && message.startsWith(prefix)) {
        const int colon = int(message.indexOf(QLatin1String(": "), prefix.size()));
        if (colon >= 0) {
            message = message.mid(colon + 2);
        }
    }
    return message;
}

QString absoluteOf(const std::filesystem::path &p)
{
    return QFileInfo(QString::fromStdString(p.string())).absoluteFilePath();
}

} // namespace

ProblemsModel::ProblemsModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

QList<ProblemsModel::Problem> ProblemsModel::validate(const Flow &flow,
                                                      const FlowValidator::Texts &texts)
{
    QList<Problem> problems;
    const std::filesystem::path file = flow.file.empty() ? flow.dir / "flow.dag.yaml" : flow.file;
    auto written = FlowLoader::loadFromString(FlowWriter::toYaml(flow), file);
    if (!written) {
        Problem p;
        p.message = fromStd(written.error().message);
        p.file = fromStd(file.string());
        problems.append(p);
        return problems;
    }
    const Flow &f = *written;

    // Which node owns a line of flow.dag.yaml: the last node or node_variants entry starting
    // at or before it.
    std::vector<std::pair<int, std::string>> starts;
    for (const auto &node : f.nodes) {
        starts.emplace_back(node.pos.line, node.name);
    }
    for (const auto &nv : f.nodeVariants) {
        starts.emplace_back(nv.pos.line, nv.nodeName);
    }
    std::sort(starts.begin(), starts.end());
    const int nodesLine = keyPosition(f.keyPos, "nodes", {}).line;
    const int outputsLine = keyPosition(f.keyPos, "outputs", {}).line;
    const int inputsLine = keyPosition(f.keyPos, "inputs", {}).line;

    // Which node uses a template or code file.
    std::vector<std::pair<QString, std::string>> sources;
    const auto addSource = [&](const Node &node, const std::string &owner) {
        if (!node.source.path.empty()) {
            sources.emplace_back(absoluteOf(f.resolvePath(node.source.path)), owner);
        }
    };
    for (const auto &node : f.nodes) {
        addSource(node, node.name);
    }
    for (const auto &nv : f.nodeVariants) {
        for (const auto &variant : nv.variants) {
            addSource(variant.node, nv.nodeName);
        }
    }

    const QString flowFile = absoluteOf(file);
    for (const Diagnostic &d : FlowValidator::validate(f, texts)) {
        Problem p;
        p.isError = d.severity == Diagnostic::Severity::Error;
        p.message = bareMessage(d);
        p.file = fromStd(d.file);
        p.line = d.line;
        p.column = d.column;
        const QString diagFile = d.file.empty() ? flowFile : absoluteOf(d.file);
        if (diagFile == flowFile) {
            if (nodesLine > 0 && d.line >= nodesLine) {
                const auto it = std::upper_bound(starts.begin(), starts.end(),
                                                 std::make_pair(d.line, std::string("\x7f")));
                if (it != starts.begin()) {
                    p.target = Target::Node;
                    p.nodeName = fromStd(std::prev(it)->second);
                }
            } else if (outputsLine > 0 && d.line >= outputsLine
                       && (nodesLine == 0 || d.line < nodesLine)) {
                p.target = Target::Outputs;
            } else if (inputsLine > 0 && d.line >= inputsLine) {
                p.target = Target::Inputs;
            }
        } else {
            for (const auto &[path, owner] : sources) {
                if (path == diagFile) {
                    p.target = Target::Node;
                    p.nodeName = fromStd(owner);
                    break;
                }
            }
        }
        problems.append(p);
    }
    return problems;
}

void ProblemsModel::setProblems(const QList<Problem> &problems)
{
    beginResetModel();
    m_problems = problems;
    endResetModel();
}

int ProblemsModel::errorCount() const
{
    return int(std::count_if(m_problems.begin(), m_problems.end(),
                             [](const Problem &p) { return p.isError; }));
}

void ProblemsModel::retranslate()
{
    if (!m_problems.isEmpty()) {
        Q_EMIT dataChanged(index(0), index(int(m_problems.size()) - 1), {Qt::DisplayRole});
    }
}

int ProblemsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_problems.size());
}

QVariant ProblemsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Problem &p = m_problems.at(index.row());
    switch (role) {
    case Qt::DisplayRole: {
        QString where;
        switch (p.target) {
        case Target::Node:
            where = p.nodeName;
            break;
        case Target::Inputs:
            where = tr("inputs");
            break;
        case Target::Outputs:
            where = tr("outputs");
            break;
        case Target::Flow:
            break;
        }
        return where.isEmpty() ? p.message : QStringLiteral("%1: %2").arg(where, p.message);
    }
    case Qt::ToolTipRole:
        return p.line > 0 ? QStringLiteral("%1:%2:%3\n%4")
                                .arg(QFileInfo(p.file).fileName())
                                .arg(p.line)
                                .arg(p.column)
                                .arg(p.message)
                          : p.message;
    case Qt::DecorationRole:
        return QApplication::style()->standardIcon(p.isError ? QStyle::SP_MessageBoxCritical
                                                             : QStyle::SP_MessageBoxWarning);
    case NodeNameRole:
        return p.nodeName;
    case TargetRole:
        return int(p.target);
    case SeverityRole:
        return p.isError ? 0 : 1;
    case FileRole:
        return p.file;
    case LineRole:
        return p.line;
    default:
        return {};
    }
}

QHash<int, QByteArray> ProblemsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NodeNameRole, "nodeName");
    names.insert(TargetRole, "target");
    names.insert(SeverityRole, "severity");
    names.insert(FileRole, "file");
    names.insert(LineRole, "line");
    return names;
}

} // namespace fb::ui
