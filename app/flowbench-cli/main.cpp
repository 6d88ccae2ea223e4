// flowbench-cli: validate and run promptflow-format flows headless. All logic is in core/cli.
#include <core/cli/cliapp.h>

#include <curl/curl.h>

#include <atomic>
#include <csignal>
#include <iostream>

namespace {

std::atomic<bool> g_interrupted{false};

void onSigint(int) { g_interrupted = true; }

} // namespace

int main(int argc, char **argv)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    std::signal(SIGINT, onSigint);
    std::signal(SIGPIPE, SIG_IGN);
    std::ios::sync_with_stdio(false);
    fb::CliApp app(std::cout, std::cerr, &g_interrupted);
    const int rc = app.run(std::vector<std::string>(argv + 1, argv + argc));
    std::cout.flush();
    curl_global_cleanup();
    return rc;
}
