// Writes <name>.tiktoken.gz (the standard tiktoken rank file: "base64(token) rank" per line,
// gzip-compressed) for cl100k_base and o200k_base from the ranks bundled in the npm package
// js-tiktoken, and prints the SHA-256 of each uncompressed file (to compare with the digests
// tiktoken pins for openaipublic.blob.core.windows.net/encodings/<name>.tiktoken).
//
// usage: node extract-ranks.mjs NODE_MODULES_DIR OUT_DIR
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const [modules, outDir] = process.argv.slice(2);
if (!modules || !outDir) {
    console.error('usage: node extract-ranks.mjs NODE_MODULES_DIR OUT_DIR');
    process.exit(2);
}
for (const name of ['cl100k_base', 'o200k_base']) {
    const url = pathToFileURL(join(modules, 'js-tiktoken', 'dist', 'ranks', `${name}.js`));
    const ranks = (await import(url.href)).default;
    // js-tiktoken's compact form: each line is "<prefix> <first rank> <token> <token> ...",
    // consecutive ranks, tokens in base64.
    const byRank = [];
    for (const line of ranks.bpe_ranks.split('\n')) {
        if (!line) {
            continue;
        }
        const [, offset, ...tokens] = line.split(' ');
        tokens.forEach((token, i) => { byRank.push([Number.parseInt(offset, 10) + i, token]); });
    }
    byRank.sort((a, b) => a[0] - b[0]);
    const text = byRank.map(([rank, token]) => `${token} ${rank}\n`).join('');
    const sha = createHash('sha256').update(text).digest('hex');
    writeFileSync(join(outDir, `${name}.tiktoken.gz`), gzipSync(text, { level: 9 }));
    console.log(`${name} tokens=${byRank.length} sha256=${sha}`);
    console.log(`${name} special=${JSON.stringify(ranks.special_tokens)}`);
}
