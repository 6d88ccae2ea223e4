#!/usr/bin/env python3
"""Writes a large valid flow for bench/validate_scale: python3 standard library only.

Usage: gen_flow.py NODES OUT_DIR

OUT_DIR gets flow.dag.yaml, node.py and prompt.jinja2. Node i (from 1) reads the flow input and
the output of node i-1 (a chain as deep as the flow), every fourth node also that of node i//2;
every tenth node is a prompt node rendering the shared template, the rest are python nodes
running the shared code file. One output references the last node.
"""
import os
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    count = int(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "node.py"), "w", encoding="utf-8") as f:
        f.write("def main(text: str, prev: str = '', other: str = '') -> str:\n"
                "    return text + prev + other\n")
    with open(os.path.join(out, "prompt.jinja2"), "w", encoding="utf-8") as f:
        f.write("system:\nEcho.\nuser:\n{{text}} {{prev}}\n")
    lines = ["inputs:", "  text:", "    type: string", "    default: hello",
             "outputs:", "  result:", "    type: string",
             f"    reference: ${{n{count}.output}}", "nodes:"]
    for i in range(1, count + 1):
        prompt = i % 10 == 0
        lines.append(f"- name: n{i}")
        lines.append("  type: prompt" if prompt else "  type: python")
        lines.append("  source:")
        lines.append("    type: code")
        lines.append("    path: prompt.jinja2" if prompt else "    path: node.py")
        lines.append("  inputs:")
        lines.append("    text: ${inputs.text}")
        if i > 1:
            lines.append(f"    prev: ${{n{i - 1}.output}}")
        if i % 4 == 0 and not prompt:
            lines.append(f"    other: ${{n{i // 2}.output}}")
    with open(os.path.join(out, "flow.dag.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
