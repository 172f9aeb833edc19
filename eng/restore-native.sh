#!/usr/bin/env bash
# Restores the pinned native runtime (llama.cpp + DuckDB) into artifacts/native/linux-x64/.
#
#   eng/restore-native.sh            CPU libraries + llama.cpp headers (for the ABI tests)
#   eng/restore-native.sh --cuda     also the CUDA build (~180 MB) into artifacts/native/linux-x64-cuda/: its own whole
#                                    set (libllama.cuda, libggml.cuda, libggml-base, CPU variants, libggml-cuda) — one
#                                    build, one ABI — plus libduckdb.so; use it with NUGGETS_NATIVE_DIR=<that folder>
#   eng/restore-native.sh --force    restore again even when the stamp says it is current
#
# Idempotent: a stamp records the hash of the lockfiles it restored from, so a second run is a no-op.
# Every library is checked against eng/native/cpu/native-files.sha256 after npm verified the tarballs'
# integrity from the lockfile, so a tampered or mismatched file never reaches the build.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
eng="$root/eng/native"
out="$root/artifacts/native/linux-x64"
include="$root/artifacts/native/include"
work="$root/artifacts/obj/native-restore"

cuda=0; force=0
for arg in "$@"; do
  case "$arg" in
    --cuda) cuda=1 ;;
    --force) force=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "restore-native: unknown option '$arg' (expected --cuda, --force)" >&2; exit 2 ;;
  esac
done

for tool in npm tar git sha256sum flock; do
  command -v "$tool" >/dev/null || { echo "restore-native: '$tool' is required but not on PATH" >&2; exit 3; }
done

mkdir -p "$out" "$work"
# Several projects may trigger the restore in one parallel build: one at a time.
exec 9>"$work/.lock"
flock 9

inputs=("$eng/cpu/package-lock.json" "$eng/cpu/native-files.sha256" "$eng/headers/pins.txt")
[ "$cuda" = 1 ] && inputs+=("$eng/cuda/package-lock.json" "$eng/cuda/native-files.sha256")
want="$(cat "${inputs[@]}" | sha256sum | cut -c1-64)"
stamp="$out/.restored"
if [ "$force" = 0 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$include/llama.h" ]; then
  exit 0
fi

restore_lockfile() { # $1 = folder with package.json + package-lock.json
  rm -rf "$work/$(basename "$1")"; mkdir -p "$work/$(basename "$1")"
  cp "$1/package.json" "$1/package-lock.json" "$1/.npmrc" "$work/$(basename "$1")/"
  (cd "$work/$(basename "$1")" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$work/$(basename "$1")/node_modules"
}

echo "restore-native: restoring pinned CPU runtime into $out"
modules="$(restore_lockfile "$eng/cpu")"
tmp="$out.tmp"; rm -rf "$tmp"; mkdir -p "$tmp"
cp "$modules/@node-llama-cpp/linux-x64/bins/linux-x64/"libggml*.so "$modules/@node-llama-cpp/linux-x64/bins/linux-x64/libllama.v0.5.0.so" "$tmp/"
cp "$modules/@duckdb/node-bindings-linux-x64/libduckdb.so" "$tmp/"
(cd "$tmp" && sha256sum --quiet -c "$eng/cpu/native-files.sha256") || {
  echo "restore-native: a restored library does not match eng/native/cpu/native-files.sha256" >&2; exit 4; }

if [ "$cuda" = 1 ]; then
  echo "restore-native: restoring pinned CUDA build into $out-cuda"
  cudamods="$(restore_lockfile "$eng/cuda")"
  rm -rf "$out-cuda.tmp"; mkdir -p "$out-cuda.tmp"
  cp "$cudamods/@node-llama-cpp/linux-x64-cuda/bins/linux-x64-cuda/"lib{llama.cuda.v0.5.0,ggml.cuda.v0.5.0,ggml-base,ggml-cpu-*,ggml-cuda}.so "$out-cuda.tmp/"
  (cd "$out-cuda.tmp" && sha256sum --quiet -c "$eng/cuda/native-files.sha256") || {
    echo "restore-native: a restored CUDA library does not match eng/native/cuda/native-files.sha256" >&2; exit 4; }
  cp "$tmp/libduckdb.so" "$out-cuda.tmp/"
  rm -rf "$out-cuda"; mv "$out-cuda.tmp" "$out-cuda"
fi

echo "restore-native: extracting llama.cpp headers of the pinned build"
# shellcheck disable=SC1090
pkg="$(sed -n 's/^package=//p' "$eng/headers/pins.txt")"
integrity="$(sed -n 's/^integrity=//p' "$eng/headers/pins.txt")"
rm -rf "$work/headers"; mkdir -p "$work/headers"
(cd "$work/headers" && npm pack "$pkg" --loglevel=error >/dev/null)
tgz="$(ls "$work/headers/"*.tgz)"
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
[ "$got" = "$integrity" ] || { echo "restore-native: $pkg integrity $got != pinned $integrity" >&2; exit 4; }
tar xzf "$tgz" -C "$work/headers" package/llama/gitRelease.bundle
git clone -q --no-checkout "$work/headers/package/llama/gitRelease.bundle" "$work/headers/src"
rm -rf "$include"; mkdir -p "$include"
(cd "$work/headers/src" && git archive HEAD include/llama.h ggml/include | tar x -C "$work/headers")
cp "$work/headers/include/llama.h" "$work/headers/ggml/include/"*.h "$include/"

# Swap the finished folder in last, so an interrupted restore never leaves a half-filled one.
rm -rf "$out.old"; [ -d "$out" ] && mv "$out" "$out.old"
mv "$tmp" "$out"; rm -rf "$out.old"
echo "$want" > "$stamp"
echo "restore-native: done ($(ls "$out" | wc -l) libraries)"
