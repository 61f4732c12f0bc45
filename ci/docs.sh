#!/usr/bin/env bash
# The API docs: every crate's docs build with warnings denied (so every
# intra-doc link resolves), and the facade's own docs (`cargo doc -p ringio`,
# what a user reads) render pages for every module it re-exports, the
# inlined `streams` and `sync` crates included.
set -euo pipefail
cd "$(dirname "$0")/.."

RUSTDOCFLAGS="-D warnings ${RUSTDOCFLAGS:-}" cargo doc --quiet --no-deps --workspace --features tls,compat

doc=target/doc/ringio
missing=0
for page in index.html streams/index.html streams/struct.StreamReader.html \
  streams/struct.StreamWriter.html streams/struct.Server.html \
  streams/subprocess/index.html streams/tls/index.html sync/index.html \
  sync/struct.Queue.html sync/struct.Lock.html sync/oneshot/index.html \
  task/index.html time/index.html net/index.html fs/index.html \
  process/index.html signal/index.html pipe/index.html buf/index.html \
  runtime/index.html attr.main.html compat/index.html; do
  if [ ! -f "$doc/$page" ]; then
    echo "FAIL: cargo doc -p ringio renders no $page (re-export not inlined?)"
    missing=$((missing + 1))
  fi
done
[ "$missing" -eq 0 ]

# Doc samples are what users copy: they name the facade (`ringio::`), not
# the crates behind it (intra-doc link targets, `](ringio_runtime::..)` and
# `]: ringio_runtime::..`, may name them).
if grep -rnP '^\s*//[/!](?!.*\]: ).*(?<!\]\()\bringio_(runtime|streams|sync)::' \
  --include='*.rs' runtime/src streams/src sync/src src macros/src compat/src; then
  echo "FAIL: the doc lines above write ringio_runtime::/ringio_streams::/ringio_sync:: paths; write ringio:: instead"
  exit 1
fi
echo "docs: built with warnings denied; the facade renders every re-exported module; samples use ringio:: paths"
