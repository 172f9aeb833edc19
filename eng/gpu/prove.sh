#!/usr/bin/env bash
# The CUDA proof (issue 21), run from the repository root on a lent GPU machine in one command (docs/gpu.md):
# builds llama.cpp with CUDA from the pinned source that eng/gpu/prepare.sh carried, points the self-contained tool
# at that build, and writes under $OUT what docs/benchmarks.md's GPU section is filled from.
#
#   eng/gpu/prove.sh                 on the GPU machine (needs nvidia-smi with a device, nvcc, cmake, python3)
#   eng/gpu/prove.sh --dry-run       anywhere: the same steps minus CUDA (CPU build of the same source, the fixture
#                                    scored with it and compared with the npm CPU build in artifacts/native/linux-x64)
#   eng/gpu/prove.sh --build-only    stop after the llama.cpp build (with --dry-run: time the CPU build alone)
#
#   NUGGETS_GPU_JOBS=N   build jobs (default: nproc)      OUT=dir   results (default: artifacts/gpu/out)
#   NUGGETS_GPU_BENCH=0  skip building llama-bench and the tuning sweep
#
# Writes to $OUT (at most 8 files come back from the device): prove.log, doctor.json, pairs.csv (one row per
# candidate x anchor pair: both log-prob sums, |difference|, both win flags), agreement.json (largest differences,
# win flips, golden-score changes, wall times), sweep.json (llama-bench: n_batch/n_ubatch, flash attention, KV type),
# gpu-section.md (eng/gpu/section.py's markdown for docs/benchmarks.md).
#
# Exit codes: 0 done, 2 usage, 3 no NVIDIA GPU here, 4 a required tool is missing, 5 the carry is missing or damaged,
# 6 the source is not the pinned commit, 7 the llama.cpp build failed, 8 a tool run failed, 9 the comparison failed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pins="$root/eng/gpu/pins.txt"
carry="${NUGGETS_GPU_CARRY:-$root/artifacts/gpu/carry}"
work="${NUGGETS_GPU_WORK:-$root/artifacts/gpu/work}"
out="${OUT:-$root/artifacts/gpu/out}"
jobs="${NUGGETS_GPU_JOBS:-$(nproc)}"
bench="${NUGGETS_GPU_BENCH:-1}"

dry=0; build_only=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) dry=1 ;;
    --build-only) build_only=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "prove: unknown option '$arg' (expected --dry-run, --build-only)" >&2; exit 2 ;;
  esac
done

fail() { echo "prove: $2" >&2; exit "$1"; }
pin() { sed -n "s/^$1=//p" "$pins"; }

# --- 1. Is there a GPU? Refuse before any work, in one line. ---------------------------------------------------------
arch=""; cuda_libs=""
if [ "$dry" = 0 ]; then
  command -v nvidia-smi >/dev/null || fail 3 "no NVIDIA GPU here: nvidia-smi not found (eng/gpu/prove.sh --dry-run runs the CPU-only steps)"
  gpu="$(nvidia-smi --query-gpu=name,compute_cap --format=csv,noheader 2>/dev/null)" || gpu=""
  gpu="$(grep -E '^[^,]+, *[0-9]+\.[0-9]+ *$' <<<"$gpu" | head -1 || true)"
  [ -n "$gpu" ] || fail 3 "no NVIDIA GPU here: nvidia-smi lists no device (eng/gpu/prove.sh --dry-run runs the CPU-only steps)"
  arch="$(echo "${gpu##*,}" | tr -d ' .')"
  [ -d /usr/local/cuda/bin ] && export PATH="$PATH:/usr/local/cuda/bin"
  # libggml-cuda needs the CUDA runtime and cuBLAS at load time: the toolkit's, or the pip wheels' under python3.
  for dir in /usr/local/cuda/lib64 $(python3 -c 'import glob, site; print(" ".join(d for p in site.getsitepackages() for d in glob.glob(p + "/nvidia/*/lib")))' 2>/dev/null || true); do
    if [ -d "$dir" ]; then cuda_libs="${cuda_libs:+$cuda_libs:}$dir"; fi
  done
  command -v nvcc >/dev/null || fail 4 "nvcc not found (CUDA toolkit needed to build libggml-cuda)"
fi
for tool in cmake tar xz sha256sum python3; do
  command -v "$tool" >/dev/null || fail 4 "'$tool' is required but not on PATH"
done

mkdir -p "$out" "$work"
exec > >(tee -a "$out/prove.log") 2>&1
log() { echo "prove: [$(date -u +%T)] $*"; }
log "start: ${gpu:-dry run, CPU only}; $jobs build jobs; carry ${carry#"$root"/}"

# --- 2. The carry is complete and intact; the source is the pinned commit. ------------------------------------------
[ -f "$carry/SHA256SUMS" ] || fail 5 "no ${carry#"$root"/}/SHA256SUMS: run eng/gpu/prepare.sh before and carry artifacts/gpu/carry"
(cd "$carry" && sha256sum --quiet -c SHA256SUMS) || fail 5 "the carried files do not match ${carry#"$root"/}/SHA256SUMS"
[ "$(cat "$carry/llama-src.commit")" = "$(pin bundle_commit)" ] ||
  fail 6 "carried source is $(cat "$carry/llama-src.commit"), eng/gpu/pins.txt pins $(pin bundle_commit)"
src="$work/llama-src"
# Unpacked once per tarball, so a second run (a rerun on a still-warm machine, the dry run here) builds incrementally.
stamp="$(sha256sum "$carry/llama-src.tar.xz" | cut -c1-64)"
if [ "$(cat "$src/.unpacked" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$src"; mkdir -p "$src"; tar xJf "$carry/llama-src.tar.xz" -C "$src"; echo "$stamp" > "$src/.unpacked"
fi
version_of() { sed -n "s/^set($2_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\))/\2/p" "$src/$1" | paste -sd.; }
[ "$(version_of CMakeLists.txt LLAMA)" = "$(pin llama_version)" ] && [ "$(version_of ggml/CMakeLists.txt GGML)" = "$(pin ggml_version)" ] ||
  fail 6 "carried source is llama.cpp $(version_of CMakeLists.txt LLAMA) / ggml $(version_of ggml/CMakeLists.txt GGML), pinned $(pin llama_version) / $(pin ggml_version)"
log "source $(pin bundle_commit) (release $(pin release), llama $(pin llama_version), ggml $(pin ggml_version))"

# --- 3. Build one whole set (libllama, libggml, libggml-base, libggml-cpu[, libggml-cuda]) from that source. ----------
build="$work/build-$([ "$dry" = 1 ] && echo cpu || echo cuda)"
generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
# ggml asks git for the commit it reports (ggml_commit(), llama build info); the tarball has no .git, and a git
# above it (this repository) would lend its own hash, so a stand-in answers with the pinned bundle's commit.
pinned_git="$work/git-pinned"
cat > "$pinned_git" <<EOF
#!/bin/sh
case "\$1" in
  --version) echo "git version 2.0.0 (eng/gpu/prove.sh stand-in)" ;;
  rev-parse) echo "$(pin bundle_commit | cut -c1-7)" ;;
  rev-list) echo 1 ;;
  diff-index) exit 0 ;;
  *) exit 1 ;;
esac
EOF
chmod +x "$pinned_git"
# GGML_NATIVE cannot go with GGML_BACKEND_DL; a Haswell-level x86-64 CPU backend (AVX2, FMA, F16C, BMI2) runs on this
# machine and on the GPU hosts, and builds in one variant instead of the npm build's fourteen.
options=(-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DGGML_BACKEND_DL=ON -DGGML_NATIVE=OFF
  -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
  "-DGIT_EXE=$pinned_git" "-DGIT_EXECUTABLE=$pinned_git"
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF
  -DLLAMA_BUILD_COMMON="$([ "$bench" = 1 ] && echo ON || echo OFF)" -DLLAMA_BUILD_TOOLS="$([ "$bench" = 1 ] && echo ON || echo OFF)")
targets=(llama ggml ggml-cpu)
if [ "$dry" = 0 ]; then options+=(-DGGML_CUDA=ON "-DCMAKE_CUDA_ARCHITECTURES=$arch"); targets+=(ggml-cuda); fi
[ "$bench" = 1 ] && targets+=(llama-bench)
t0=$(date +%s)
cmake -S "$src" -B "$build" "${generator[@]}" "${options[@]}" > "$work/configure.log" 2>&1 ||
  { tail -30 "$work/configure.log"; fail 7 "cmake configure failed (log above)"; }
t1=$(date +%s)
cmake --build "$build" --target "${targets[@]}" -j "$jobs" > "$work/build.log" 2>&1 ||
  { tail -40 "$work/build.log"; fail 7 "llama.cpp build failed (log above)"; }
t2=$(date +%s)
log "built ${targets[*]} in $((t2 - t1)) s (configure $((t1 - t0)) s) with $jobs jobs"
echo "{\"configure_s\": $((t1 - t0)), \"build_s\": $((t2 - t1)), \"jobs\": $jobs, \"targets\": \"${targets[*]}\", \"arch\": \"$arch\"}" > "$work/build.json"

# The tool loads the npm file names; the build's files go in under them, all from this one build (one ABI).
native="$work/native-$([ "$dry" = 1 ] && echo cpu || echo cuda)"
rm -rf "$native"; mkdir -p "$native"
for lib in llama ggml ggml-base ggml-cpu ggml-cuda; do
  cp -a "$build"/bin/lib$lib.so* "$native/" 2>/dev/null || { [ "$dry" = 1 ] && [ "$lib" = ggml-cuda ]; } ||
    fail 7 "the build made no lib$lib.so"
done
cp "$native/libllama.so" "$native/libllama.v0.5.0.so"
cp "$native/libggml.so" "$native/libggml.v0.5.0.so"
log "native folder: $(cd "$native" && ls lib*.so | paste -sd' ')"
[ "$build_only" = 1 ] && { log "--build-only: done"; exit 0; }

# --- 4. The tool, self-contained, on that native set. ------------------------------------------------------------------
tool="$work/nuggets"
rm -rf "$tool"; mkdir -p "$tool"; tar xJf "$carry/nuggets.tar.xz" -C "$tool"
cp "$tool/runtimes/linux-x64/native/libduckdb.so" "$native/"
nuggets() { NUGGETS_NATIVE_DIR="$1" LD_LIBRARY_PATH="$1${cuda_libs:+:$cuda_libs}" DOTNET_CLI_TELEMETRY_OPTOUT=1 "$tool/dotnet-nuggets" "${@:2}"; }
nuggets "$native" --version || fail 8 "the self-contained tool does not start"
nuggets "$native" doctor --json > "$out/doctor.json" || fail 8 "nuggets doctor failed on the built native set"

score() { # $1 = label, $2 = native folder, $3 = gpu layers
  local dir="$work/run-$1" start end
  rm -rf "$dir"; mkdir -p "$dir"; cp "$carry"/fixture/* "$dir/"
  start=$(date +%s.%N)
  (cd "$dir" && nuggets "$2" score --config fixture.config.json --no-prune --quiet --json \
      --cache cache.duckdb --set "model.gpuLayers=$3" > manifest.json) || { cat "$dir/manifest.json"; fail 8 "scoring the fixture ($1) failed"; }
  end=$(date +%s.%N)
  echo "$start $end" > "$dir/wall"
  log "scored the fixture on $1 in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s"
}
if [ "$dry" = 1 ]; then
  # Same source, two builds: ours (CPU, native) against the npm CPU build the tool ships.
  npm="$root/artifacts/native/linux-x64"
  [ -f "$npm/libllama.v0.5.0.so" ] || fail 5 "no npm CPU build in artifacts/native/linux-x64 to compare with: run eng/restore-native.sh"
  score built-cpu "$native" 0
  score npm-cpu "$npm" 0
  a=built-cpu; b=npm-cpu
else
  # The CPU side gets the same build without libggml-cuda.so (and no visible device): with a GPU backend loaded,
  # llama.cpp may offload large batches' matrix products even at 0 GPU layers, and this row must be pure CPU.
  rm -rf "$native-cpu-only"; mkdir -p "$native-cpu-only"; cp -a "$native"/. "$native-cpu-only/"; rm -f "$native-cpu-only"/libggml-cuda.so*
  CUDA_VISIBLE_DEVICES="" score cpu "$native-cpu-only" 0
  score cuda "$native" -1
  a=cpu; b=cuda
fi

# --- 5. Agreement, pair by pair (read from the two score caches through the carried libduckdb). -------------------
python3 "$root/eng/gpu/agreement.py" --duckdb "$native/libduckdb.so" --a "$work/run-$a" --b "$work/run-$b" \
  --labels "$a" "$b" --build "$work/build.json" --pairs "$out/pairs.csv" --json "$out/agreement.json" ||
  fail 9 "comparing $a with $b failed"

# --- 6. Tuning sweep on the GPU with llama-bench (speed only; the tool's own settings are fixed: F32 KV, no FA). ---
if [ "$bench" = 1 ]; then
  model="$carry/fixture/stories260K.gguf"
  sweep=(-m "$model" -p 512 -n 0 -r 3 -b 512,2048 -ub 128,512 -fa 0,1 -ctk f16,f32 -ctv f16,f32 -o json)
  [ "$dry" = 1 ] && sweep=(-m "$model" -p 128 -n 0 -r 1 -b 128 -ub 128 -fa 0 -ngl 0 -o json) || sweep+=(-ngl 99)
  LD_LIBRARY_PATH="$build/bin${cuda_libs:+:$cuda_libs}" "$build/bin/llama-bench" "${sweep[@]}" > "$out/sweep.json" 2> "$work/sweep.log" ||
    { tail -20 "$work/sweep.log"; log "llama-bench sweep failed (kept going; sweep.json is partial)"; }
fi

python3 "$root/eng/gpu/section.py" --out "$out" > "$out/gpu-section.md" || fail 9 "writing gpu-section.md failed"
log "done: $(cd "$out" && ls | paste -sd' ')"
