#!/usr/bin/env python3
"""Writes a promptfoo eval equivalent to the Flowbench batch_eval run.

Usage: make_config.py FLOW_DIR DATA_JSONL BASE_URL CONCURRENCY OUT_DIR

Reads the flow's variants of node `classify` (template file, model, max_tokens) from
flow.dag.yaml and turns each promptflow chat template (`# system:` / `# user:` sections) into a
promptfoo chat prompt (a JSON list of messages) with the same contents, so promptfoo sends the
same requests as flowbench-cli: {"model", "messages", "max_tokens"}. Each variant becomes one
`openai:chat:<model>` provider restricted to its own prompt, so the eval makes rows x variants
calls, not rows x variants^2. The rows become tests.csv (column `text`). No assertions, cache off.
Writes OUT_DIR/promptfooconfig.json, OUT_DIR/<variant>.json and OUT_DIR/tests.csv.

Only the subset of the flow format this benchmark uses is understood; anything else (another
placeholder than {{text}}, Jinja2 statements, a missing key) stops with an error rather than
producing a config that would not be equivalent.
"""

import csv
import json
import os
import re
import sys


def fail(message):
    sys.stderr.write(f"make_config.py: {message}\n")
    sys.exit(1)


def read_variants(flow_dir):
    """[(variant_id, template_path, model, max_tokens)] from flow.dag.yaml, in file order."""
    text = open(os.path.join(flow_dir, "flow.dag.yaml"), encoding="utf-8").read()
    section = text.split("\n    variants:\n", 1)
    if len(section) != 2:
        fail("flow.dag.yaml has no node_variants.<node>.variants section")
    blocks = re.split(r"^      (\w+):\n", section[1], flags=re.M)
    variants = []
    for name, body in zip(blocks[1::2], blocks[2::2]):
        fields = {}
        for key in ("path", "model", "max_tokens", "api"):
            match = re.search(rf"^\s+{key}: *(\S+)\s*$", body, flags=re.M)
            if not match:
                fail(f"variant {name}: no `{key}:` in flow.dag.yaml")
            fields[key] = match.group(1)
        if fields["api"] != "chat":
            fail(f"variant {name}: api {fields['api']} (only chat is translated)")
        if not re.search(r"^\s+text: *\$\{inputs\.text\}\s*$", body, flags=re.M):
            fail(f"variant {name}: input `text` is not ${{inputs.text}}")
        variants.append((name, os.path.join(flow_dir, fields["path"]), fields["model"],
                         int(fields["max_tokens"])))
    if not variants:
        fail("flow.dag.yaml lists no variants")
    return variants


def chat_messages(template_path):
    """promptflow chat template -> [{"role", "content"}], contents stripped as promptflow does."""
    text = open(template_path, encoding="utf-8").read()
    if "{%" in text or "{#" in text:
        fail(f"{template_path}: Jinja2 statements or comments are not translated")
    placeholders = set(re.findall(r"\{\{\s*(.*?)\s*\}\}", text))
    if not placeholders <= {"text"}:
        fail(f"{template_path}: placeholders {sorted(placeholders)} (only {{{{text}}}} is translated)")
    parts = re.split(r"^\s*#\s*(system|user|assistant)\s*:\s*$", text, flags=re.M | re.I)
    if parts[0].strip():
        fail(f"{template_path}: text before the first role header")
    messages = [{"role": role.lower(), "content": body.strip()}
                for role, body in zip(parts[1::2], parts[2::2])]
    if not messages:
        fail(f"{template_path}: no role header")
    # The same placeholder spelling in both engines: promptfoo renders prompts with Nunjucks.
    for message in messages:
        message["content"] = re.sub(r"\{\{\s*text\s*\}\}", "{{text}}", message["content"])
    return messages


def main():
    if len(sys.argv) != 6:
        fail("usage: make_config.py FLOW_DIR DATA_JSONL BASE_URL CONCURRENCY OUT_DIR")
    flow_dir, data, base_url, concurrency, out = sys.argv[1:]
    prompts, providers = [], []
    for name, template, model, max_tokens in read_variants(flow_dir):
        prompt_file = os.path.join(out, f"{name}.json")
        with open(prompt_file, "w", encoding="utf-8") as f:
            json.dump(chat_messages(template), f, indent=2)
        prompts.append({"id": f"file://{prompt_file}", "label": name})
        providers.append({
            "id": f"openai:chat:{model}",
            "label": f"{name} ({model})",
            "prompts": [name],
            "config": {"apiBaseUrl": base_url, "apiKey": "sim", "max_tokens": max_tokens},
        })
    rows = 0
    with open(data, encoding="utf-8") as src, \
            open(os.path.join(out, "tests.csv"), "w", encoding="utf-8", newline="") as dst:
        writer = csv.writer(dst)
        writer.writerow(["text"])
        for line in src:
            if line.strip():
                writer.writerow([json.loads(line)["text"]])
                rows += 1
    config = {
        "description": "flowbench bench/batch_eval side by side",
        "prompts": prompts,
        "providers": providers,
        "tests": f"file://{os.path.join(out, 'tests.csv')}",
        "evaluateOptions": {"maxConcurrency": int(concurrency), "cache": False},
        "sharing": False,
    }
    with open(os.path.join(out, "promptfooconfig.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
    print(f"{rows} {len(providers)}")


if __name__ == "__main__":
    main()
