#!/usr/bin/env bash
# Prepares, on this machine, everything eng/gpu/prove.sh needs on a lent GPU machine (no .NET, no network there):
# a git-ignored folder artifacts/gpu/carry/ that travels with the working tree (docs/gpu.md).
#
#   eng/gpu/prepare.sh                 publish + source + fixture, then print the carry size
#   eng/gpu/prepare.sh --check-source  only check that the bundle is the pinned source (eng/gpu/pins.txt); writes nothing
#   eng/gpu/prepare.sh --check-size    only measure an existing carry folder against the 64 MiB limit
#   eng/gpu/prepare.sh --no-publish    reuse artifacts/gpu/publish and its nuggets.tar.xz when newer (source/fixture changes)
#
# What goes into artifacts/gpu/carry/:
#   nuggets.tar.xz    `dotnet publish src/Nuggets.Cli -r linux-x64 --self-contained` (not trimmed), without the npm
#                     llama.cpp libraries (prove.sh builds its own set there) but with libduckdb.so
#   llama-src.tar.xz  the llama.cpp source of the pinned build (CMake files, ggml, src, include, common, vendor,
#                     tools, licenses) from llama/gitRelease.bundle of node-llama-cpp@3.22.1
#   llama-src.commit  the bundle's HEAD commit, checked against eng/gpu/pins.txt here and again there
#   fixture/          stories260K.gguf, the Alpaca 2k sample and fixture.config.json (90 candidates x 15 anchors)
#   SHA256SUMS        of the files above, checked by prove.sh before it unpacks anything
#
# Exit codes: 0 ok, 2 usage, 3 a required tool or input is missing, 4 the source does not match the pins,
# 5 the carry folder (plus the tracked working tree) is over the 64 MiB carry limit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pins="${NUGGETS_GPU_PINS:-$root/eng/gpu/pins.txt}"
gpu="$root/artifacts/gpu"
carry="$gpu/carry"
shared="${NUGGETS_SHARED:-$root/../shared}"
limit=$((64 * 1024 * 1024))

check_only=0; size_only=0; publish=1
for arg in "$@"; do
  case "$arg" in
    --check-source) check_only=1 ;;
    --check-size) size_only=1 ;;
    --no-publish) publish=0 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "prepare: unknown option '$arg' (expected --check-source, --no-publish)" >&2; exit 2 ;;
  esac
done

pin() { sed -n "s/^$1=//p" "$pins"; }
fail() { echo "prepare: $2" >&2; exit "$1"; }

measure() { # size of what travels: the tracked working tree plus the carry folder, against the limit
  carried="$(du -sb "$carry" | cut -f1)"
  tracked="$(git -C "$root" ls-files -z | (cd "$root" && xargs -0 du -cb 2>/dev/null) | tail -1 | cut -f1)"
  total=$((carried + tracked))
  mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
  echo "prepare: carry ${carry#"$root"/} = $(mib "$carried") MiB (tool $(mib "$(stat -c %s "$carry/nuggets.tar.xz")") MiB," \
    "llama.cpp source $(mib "$(stat -c %s "$carry/llama-src.tar.xz")") MiB); with the tracked tree $(mib "$total") MiB of 64 MiB"
  [ "$total" -le "$limit" ] || fail 5 "the carry ($total bytes with the tracked tree) is over the 64 MiB limit"
}
if [ "$size_only" = 1 ]; then
  [ -f "$carry/nuggets.tar.xz" ] && [ -f "$carry/llama-src.tar.xz" ] || fail 3 "no prepared carry in ${carry#"$root"/}: run eng/gpu/prepare.sh"
  measure; exit 0
fi

# --- 1. The pinned source: the bundle npm restored, checked against the pins and the prebuilt libraries. -------------
headers="$root/artifacts/obj/native-restore/headers"
bundle="$headers/package/llama/gitRelease.bundle"
[ -f "$bundle" ] || fail 3 "no llama/gitRelease.bundle under artifacts/obj/native-restore/headers: run eng/restore-native.sh --force"
tgz="$(ls "$headers"/node-llama-cpp-*.tgz 2>/dev/null | head -1)"
[ -n "$tgz" ] || fail 3 "no node-llama-cpp tarball beside the bundle: run eng/restore-native.sh --force"
native="$root/artifacts/native/linux-x64"
[ -f "$native/libggml-base.so" ] || fail 3 "no restored native runtime in $native: run eng/restore-native.sh"

commit="$(git bundle list-heads "$bundle" | awk '$2 == "HEAD" { print $1 }')"
[ "$commit" = "$(pin bundle_commit)" ] || fail 4 "bundle HEAD is $commit, eng/gpu/pins.txt pins $(pin bundle_commit)"
src="$gpu/obj/llama-src.git"
if [ "$(git -C "$src" rev-parse HEAD 2>/dev/null)" != "$commit" ]; then
  rm -rf "$src"; mkdir -p "$gpu/obj"; git clone -q --bare "$bundle" "$src"
fi
cmake_version() { git -C "$src" show "HEAD:$1" | sed -n "s/^set($2_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\))/\2/p" | paste -sd.; }
[ "$(cmake_version CMakeLists.txt LLAMA)" = "$(pin llama_version)" ] || fail 4 "bundle's llama.cpp version is $(cmake_version CMakeLists.txt LLAMA), pinned $(pin llama_version)"
[ "$(cmake_version ggml/CMakeLists.txt GGML)" = "$(pin ggml_version)" ] || fail 4 "bundle's ggml version is $(cmake_version ggml/CMakeLists.txt GGML), pinned $(pin ggml_version)"
release="$(tar xzOf "$tgz" package/llama/binariesGithubRelease.json | sed -n 's/.*"release": *"\([^"]*\)".*/\1/p')"
[ "$release" = "$(pin release)" ] || fail 4 "node-llama-cpp's binariesGithubRelease.json says $release, pinned $(pin release)"
meta="$root/artifacts/obj/native-restore/cpu/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/_nlcBuildMetadata.json"
if [ -f "$meta" ]; then
  built="$(sed -n 's/.*"release":"\([^"]*\)".*/\1/p' "$meta")"
  [ "$built" = "$(pin release)" ] || fail 4 "the prebuilt @node-llama-cpp/linux-x64 was built from $built, pinned $(pin release)"
fi
# What the prebuilt libraries we ship report about themselves (strings: no need to load them).
llama_strings="$(strings -n 3 "$native/libllama.v0.5.0.so")"; ggml_strings="$(strings -n 3 "$native/libggml-base.so")"
grep -qx "$(pin llama_version)\(-dev\)\?" <<<"$llama_strings" ||
  fail 4 "the prebuilt libllama does not report llama.cpp version $(pin llama_version)"
grep -qx "$(pin ggml_version)" <<<"$ggml_strings" || fail 4 "the prebuilt libggml-base does not report ggml $(pin ggml_version)"
grep -qx "$(pin npm_ggml_commit)" <<<"$ggml_strings" || fail 4 "the prebuilt libggml-base does not report ggml commit $(pin npm_ggml_commit)"
[ "$check_only" = 1 ] && { echo "prepare: source $commit matches the pins (release $release, llama $(pin llama_version), ggml $(pin ggml_version))"; exit 0; }

mkdir -p "$carry/fixture"
if [ ! -f "$carry/llama-src.tar.xz" ] || [ "$(cat "$carry/llama-src.commit" 2>/dev/null)" != "$commit" ]; then
  git -C "$src" archive --format=tar HEAD LICENSE CMakeLists.txt cmake ggml src include common vendor tools licenses | xz -9 -T2 > "$carry/llama-src.tar.xz"
  echo "$commit" > "$carry/llama-src.commit"
fi

# --- 2. The tool, self-contained (the machine has no .NET). ------------------------------------------------------
command -v dotnet >/dev/null || fail 3 "dotnet is required to publish the tool"
if [ "$publish" = 1 ] || [ ! -x "$gpu/publish/dotnet-nuggets" ]; then
  rm -rf "$gpu/publish"
  nice -n 10 dotnet publish "$root/src/Nuggets.Cli" -c Release -r linux-x64 --self-contained -p:DebugType=none \
    -o "$gpu/publish" --nologo -v quiet >&2
fi
if [ "$publish" = 1 ] || [ ! -f "$carry/nuggets.tar.xz" ] || [ "$carry/nuggets.tar.xz" -ot "$gpu/publish/dotnet-nuggets" ]; then
# The npm llama.cpp libraries stay here (prove.sh builds one whole set there); DuckDB goes along. The debugger and
# tracing helpers and the XML docs are not needed to run.
(cd "$gpu/publish" && tar -c --exclude='./runtimes/linux-x64/native/libggml*' --exclude='./runtimes/linux-x64/native/libllama*' \
  --exclude='*.xml' --exclude=./libmscordaccore.so --exclude=./libmscordbi.so --exclude=./libcoreclrtraceptprovider.so . |
  nice -n 10 xz -6 -T2 > "$carry/nuggets.tar.xz.partial") && mv "$carry/nuggets.tar.xz.partial" "$carry/nuggets.tar.xz"
fi

# --- 3. The scoring fixture: 90 candidates x 15 anchors on the stories model. -------------------------------------
cp "$shared/models/stories260K.gguf" "$shared/data/alpaca/alpaca_2k.parquet" "$carry/fixture/"
cat > "$carry/fixture/fixture.config.json" <<'EOF'
{
  // eng/gpu/prove.sh: the same 90 candidates x 15 anchors scored on CPU (gpuLayers 0) and CUDA (all layers).
  "dataset": { "path": "alpaca_2k.parquet", "maxRows": 90 },
  "model": { "path": "stories260K.gguf" },
  "anchors": { "method": "random", "count": 15, "seed": 42 },
  "selection": { "mode": "threshold", "threshold": 0.5 },
  "output": { "directory": "out" }
}
EOF
(cd "$carry" && find . -type f ! -name SHA256SUMS | sort | xargs sha256sum > SHA256SUMS)

# --- 4. Size: what travels is the tracked working tree plus this folder. ---------------------------------------------
measure
