#include <core/cli/tokenscommand.h>

#include <core/cli/cliapp.h>
#include <core/cli/commandline.h>
#include <core/token/tokenizer.h>

#include <iterator>
#include <ostream>

namespace fb {

int TokensCommand::run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
                       std::istream &in)
{
    CommandLine cl(
        "flowbench-cli tokens (--encoding cl100k_base|o200k_base | --model MODEL) [--ids] "
        "[--special]",
        "Reads text on standard input and prints its token count, or with --ids its token ids\n"
        "(one line, space-separated), exactly as OpenAI's tiktoken tokenises it. --model picks\n"
        "the model's encoding (gpt-4o, gpt-4.1, gpt-5, o1/o3/o4: o200k_base; gpt-4, gpt-3.5,\n"
        "text-embedding-3: cl100k_base). Special-token text such as <|endoftext|> is ordinary\n"
        "text unless --special is given.",
        {{"encoding", "NAME", "cl100k_base or o200k_base", false},
         {"model", "MODEL", "use the encoding of this OpenAI model", false},
         {"ids", {}, "print the token ids instead of their count", false},
         {"special", {}, "encode special-token text as the special token", false}});
    if (auto r = cl.parse(args); !r) {
        err << "flowbench-cli tokens: " << r.error().message << "\n";
        return int(ExitCode::Usage);
    }
    if (cl.has("help")) {
        out << cl.help();
        return int(ExitCode::Ok);
    }
    if (!cl.positionals().empty()) {
        err << "flowbench-cli tokens: unexpected argument '" << cl.positionals()[0]
            << "' (the text is read from standard input)\n";
        return int(ExitCode::Usage);
    }
    std::string encoding = cl.value("encoding");
    if (encoding.empty() && cl.has("model")) {
        encoding = Tokenizer::encodingForModel(cl.value("model"));
        if (encoding.empty()) {
            err << "flowbench-cli tokens: no known tokenizer for model '" << cl.value("model")
                << "'; pass --encoding cl100k_base or o200k_base\n";
            return int(ExitCode::Usage);
        }
    }
    if (encoding.empty()) {
        err << "flowbench-cli tokens: give --encoding or --model\n\n" << cl.help();
        return int(ExitCode::Usage);
    }
    const Tokenizer *tokenizer = Tokenizer::forEncoding(encoding);
    if (!tokenizer) {
        err << "flowbench-cli tokens: unknown encoding '" << encoding
            << "' (known: cl100k_base, o200k_base)\n";
        return int(ExitCode::Usage);
    }

    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const bool special = cl.has("special");
    if (cl.has("ids")) {
        const auto ids = tokenizer->encode(text, special);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            out << (i ? " " : "") << ids[i];
        }
        out << "\n";
    } else {
        out << tokenizer->count(text, special) << "\n";
    }
    return int(ExitCode::Ok);
}

} // namespace fb
