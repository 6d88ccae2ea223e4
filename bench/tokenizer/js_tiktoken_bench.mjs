// js-tiktoken on the corpus bench_tokenizer writes: the same measurement (every document
// encoded, repeated until at least 2 s of CPU time, best pass counts), in name=value lines.
// CPU time is process.cpuUsage(); run.sh starts node with --single-threaded so V8 does its
// garbage collection and compilation on the benchmark thread too, as the C++ side does.
//
// usage: NODE_PATH=DIR/node_modules node js_tiktoken_bench.mjs CORPUS.json
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.env.NODE_PATH || process.cwd(), 'x.js'));
const { getEncoding } = require('js-tiktoken');

const docs = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const encoder = new TextEncoder();
const bytes = docs.reduce((n, d) => n + encoder.encode(d).length, 0);
const cpuSeconds = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
};

for (const name of ['cl100k_base', 'o200k_base']) {
    const t0 = cpuSeconds();
    const enc = getEncoding(name);
    const loadMs = (cpuSeconds() - t0) * 1000;
    let best = 0;
    let tokens = 0;
    const start = cpuSeconds();
    for (let pass = 0; pass < 2 || cpuSeconds() - start < 2; ++pass) {
        const p0 = cpuSeconds();
        let n = 0;
        for (const d of docs) {
            n += enc.encode(d, [], []).length;
        }
        const s = cpuSeconds() - p0;
        best = Math.max(best, bytes / 1e6 / s);
        tokens = n;
    }
    const prefix = name.split('_')[0];
    console.log(`js_tiktoken_${prefix}_load_ms=${loadMs.toFixed(1)}`);
    console.log(`js_tiktoken_${prefix}_tokens=${tokens}`);
    console.log(`js_tiktoken_${prefix}_mb_s=${best.toFixed(2)}`);
}
