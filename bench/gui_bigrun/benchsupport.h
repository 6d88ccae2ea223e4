#pragma once

// What the gui_bigrun benches share: peak memory from /proc and waiting on the event loop.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <cstring>

namespace fb::bench {

/// A memory figure of this process from /proc/self/status ("VmHWM:", "VmRSS:") in MB, or -1.
inline double procStatusMb(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) {
        return -1;
    }
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field)) {
            return line.mid(int(std::strlen(field))).trimmed().split(' ').first().toDouble()
                   / 1024.0;
        }
    }
    return -1;
}

/// Runs the event loop until `done` holds or `timeoutMs` passes; false on timeout. It sleeps
/// between events (a spinning wait would take a core from the reader threads it waits for).
template<typename Done>
bool waitFor(Done done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    QTimer wake; // only to notice the timeout
    wake.start(50);
    while (!done()) {
        if (clock.elapsed() > timeoutMs) {
            return false;
        }
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

} // namespace fb::bench
