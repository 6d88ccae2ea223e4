// bench/llm_overhead: what the harness itself costs, apart from the model.
//  1. template render throughput (a realistic few-shot chat prompt),
//  2. SSE parse throughput (OpenAI-shaped stream, fed in network-sized pieces),
//  3. harness CPU per LLM call against flowbench-sim at zero delay: 10,000 sequential calls and
//     10,000 calls at concurrency 256 (this process's CPU only; the simulator runs apart).
// Prints name=value lines. Target: cpu_us_per_call <= 100 (promptfoo spends 5,600 us).

#include <core/llm/simulatorlauncher.h>
#include <core/llm/llmclient.h>
#include <core/llm/sseparser.h>
#include <core/template/chatparser.h>
#include <core/template/template.h>

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <sys/resource.h>

using namespace fb;

namespace {

double cpuSeconds()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
           + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double wallSeconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

const char *kPrompt = R"(# system:
You are a support-ticket classifier for an online shop. Classify the customer's message into
exactly one category: billing, technical, account, shipping or other.
{% if guidelines %}
Guidelines:
{% for g in guidelines %}
- {{ g }}
{% endfor %}
{% endif %}
Answer with the category name only, in lower case.

{% for ex in examples %}
# user:
{{ ex.text | trim }}

# assistant:
{{ ex.category }}

{% endfor %}
# user:
{{ text }}
)";

Value promptContext()
{
    Value ctx = Value::object();
    ctx["guidelines"]
        = Value::array({"Refunds and charges are billing.", "Crashes and errors are technical.",
                        "Log-in and profile problems are account."});
    Value examples = Value::array();
    const char *texts[][2] = {
        {"My card was declined at checkout, but the money still left my bank account.", "billing"},
        {"The app closes by itself as soon as I open the Orders tab on my phone.", "technical"},
        {"I can't sign in because the password reset email never arrives.", "account"},
        {"Tracking has said \"in transit\" for nine days. Where is my parcel?", "shipping"},
        {"Do you have a physical store in Lyon where I could try things on?", "other"},
    };
    for (const auto &t : texts) {
        examples.push_back({{"text", t[0]}, {"category", t[1]}});
    }
    ctx["examples"] = examples;
    ctx["text"] = "I was billed twice for the same order last week, please refund one of them.";
    return ctx;
}

void templateBench()
{
    auto tmpl = Template::parse(kPrompt, "bench.jinja2");
    if (!tmpl) {
        std::fprintf(stderr, "template: %s\n", tmpl.error().message.c_str());
        std::exit(1);
    }
    const Value ctx = promptContext();
    std::size_t bytes = 0;
    const int n = 50000;
    const double c0 = cpuSeconds();
    for (int i = 0; i < n; ++i) {
        auto out = tmpl->render(ctx);
        bytes += out->size();
    }
    const double c1 = cpuSeconds();
    // Render + chat parse, as an llm node does per call.
    const double p0 = cpuSeconds();
    std::size_t messages = 0;
    for (int i = 0; i < n; ++i) {
        auto out = tmpl->render(ctx);
        auto parsed = ChatParser::parse(*out, "bench.jinja2");
        messages += parsed->size();
    }
    const double p1 = cpuSeconds();
    std::printf("template_renders_per_s=%.0f\n", n / (c1 - c0));
    std::printf("template_render_us=%.2f\n", (c1 - c0) / n * 1e6);
    std::printf("template_output_mb_per_s=%.1f\n", double(bytes) / (c1 - c0) / 1e6);
    std::printf("template_render_and_chat_parse_us=%.2f\n", (p1 - p0) / n * 1e6);
    if (messages == 0) {
        std::printf("error=no messages\n");
    }
}

void sseBench()
{
    std::string stream;
    int i = 0;
    while (stream.size() < 16u << 20) {
        stream
            += "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
               "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" tok"
               + std::to_string(i++) + "\"},\"finish_reason\":null}]}\n\n";
    }
    stream += "data: [DONE]\n\n";
    const std::size_t piece = 1400; // one TCP segment's worth
    std::vector<SseParser::Event> events;
    std::size_t total = 0;
    const int rounds = 5;
    const double c0 = cpuSeconds();
    for (int r = 0; r < rounds; ++r) {
        SseParser parser;
        for (std::size_t pos = 0; pos < stream.size(); pos += piece) {
            parser.feed(std::string_view(stream).substr(pos, piece), events);
            total += events.size();
            events.clear();
        }
    }
    const double c1 = cpuSeconds();
    std::printf("sse_parse_mb_per_s=%.0f\n", double(stream.size()) * rounds / (c1 - c0) / 1e6);
    std::printf("sse_events_per_s=%.0f\n", double(total) / (c1 - c0));
}

Connection simConnection(const std::string &baseUrl)
{
    Connection c;
    c.name = "sim";
    c.type = ConnectionType::OpenAi;
    c.configs["base_url"] = baseUrl + "/v1";
    c.secrets["api_key"] = "bench";
    return c;
}

LlmRequest smallRequest(bool stream)
{
    LlmRequest r;
    r.model = "gpt-4o-mini";
    r.messages = {{"system", "You are terse.", {}, {}, {}},
                  {"user", "Classify: I was billed twice.", {}, {}, {}}};
    r.parameters["max_tokens"] = 16;
    r.parameters["temperature"] = 0;
    r.stream = stream;
    return r;
}

struct CallFigures
{
    double cpuUsPerCall = 0;
    double callsPerSecond = 0;
    int failures = 0;
};

CallFigures sequentialCalls(LlmClient &client, const Connection &conn, int n, bool stream)
{
    CallFigures f;
    const double w0 = wallSeconds();
    const double c0 = cpuSeconds();
    for (int i = 0; i < n; ++i) {
        auto r = client.call(conn, smallRequest(stream));
        if (!r) {
            if (++f.failures == 1) {
                std::fprintf(stderr, "call failed: %s\n", r.error().message.c_str());
            }
        }
    }
    const double c1 = cpuSeconds();
    const double w1 = wallSeconds();
    f.cpuUsPerCall = (c1 - c0) / n * 1e6;
    f.callsPerSecond = n / (w1 - w0);
    return f;
}

CallFigures concurrentCalls(LlmClient &client, const Connection &conn, int n, int concurrency,
                            bool stream)
{
    CallFigures f;
    std::mutex mutex;
    std::condition_variable cv;
    int started = 0;
    int finished = 0;
    std::atomic<int> failures{0};
    std::function<void()> startOne;
    startOne = [&] {
        client.start(conn, smallRequest(stream), {{}, [&](Result<LlmResponse> r) {
                                                      if (!r) {
                                                          failures++;
                                                      }
                                                      bool more = false;
                                                      {
                                                          std::lock_guard lock(mutex);
                                                          ++finished;
                                                          if (started < n) {
                                                              ++started;
                                                              more = true;
                                                          }
                                                      }
                                                      cv.notify_all();
                                                      if (more) {
                                                          startOne();
                                                      }
                                                  }});
    };
    const double w0 = wallSeconds();
    const double c0 = cpuSeconds();
    {
        std::lock_guard lock(mutex);
        started = concurrency;
    }
    for (int i = 0; i < concurrency; ++i) {
        startOne();
    }
    {
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return finished == n; });
    }
    const double c1 = cpuSeconds();
    const double w1 = wallSeconds();
    f.cpuUsPerCall = (c1 - c0) / n * 1e6;
    f.callsPerSecond = n / (w1 - w0);
    f.failures = failures;
    return f;
}

} // namespace

int main(int argc, char **argv)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const int n = argc > 1 ? std::atoi(argv[1]) : 10000;
    std::printf(
        "# bench/llm_overhead (2-core machine; simulator = flowbench-sim, an LLM SIMULATOR)\n");
    templateBench();
    sseBench();

    SimulatorLauncher sim;
    if (auto r = sim.start({"--threads", "1", "--tokens", "8"}); !r) {
        std::fprintf(stderr, "cannot start flowbench-sim: %s\n", r.error().message.c_str());
        return 1;
    }
    const Connection conn = simConnection(sim.baseUrl());
    int failures = 0;
    {
        LlmClient client;
        (void)sequentialCalls(client, conn, 200, false); // warm-up: connections, caches
        const CallFigures seq = sequentialCalls(client, conn, n, false);
        const CallFigures seqStream = sequentialCalls(client, conn, n, true);
        const CallFigures conc = concurrentCalls(client, conn, n, 256, false);
        const CallFigures concStream = concurrentCalls(client, conn, n, 256, true);
        failures = seq.failures + seqStream.failures + conc.failures + concStream.failures;
        std::printf("calls=%d\n", n);
        std::printf("seq_cpu_us_per_call=%.1f\n", seq.cpuUsPerCall);
        std::printf("seq_calls_per_s=%.0f\n", seq.callsPerSecond);
        std::printf("seq_stream_cpu_us_per_call=%.1f\n", seqStream.cpuUsPerCall);
        std::printf("conc256_cpu_us_per_call=%.1f\n", conc.cpuUsPerCall);
        std::printf("conc256_calls_per_s=%.0f\n", conc.callsPerSecond);
        std::printf("conc256_stream_cpu_us_per_call=%.1f\n", concStream.cpuUsPerCall);
        const double worst = std::max(
            {seq.cpuUsPerCall, seqStream.cpuUsPerCall, conc.cpuUsPerCall, concStream.cpuUsPerCall});
        std::printf("cpu_us_per_call=%.1f\n", worst);
        std::printf("target_ratio=%.2f\n", worst / 100.0);
        std::printf("promptfoo_cpu_ratio=%.1f\n", 5600.0 / worst);
        std::printf("failures=%d\n", failures);
    }
    sim.stop();
    curl_global_cleanup();
    return failures == 0 ? 0 : 1;
}
