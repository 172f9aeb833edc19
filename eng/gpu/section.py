#!/usr/bin/env python3
"""Markdown for the GPU section of docs/benchmarks.md, from what eng/gpu/prove.sh wrote to --out (doctor.json,
agreement.json, sweep.json). Prints to stdout, or with --into docs/benchmarks.md replaces what is between its
<!-- gpu:begin --> and <!-- gpu:end --> markers. Missing inputs become "not measured" lines, never numbers."""
import argparse
import json
import os


def load(folder, name):
    try:
        with open(os.path.join(folder, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def device_name(doctor):
    if not doctor:
        return "unknown device (no doctor.json)"
    gpus = doctor.get("gpus") or doctor.get("Gpus") or []
    return "; ".join(gpus) if gpus else "no GPU reported by `nuggets doctor`"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True, help="the folder prove.sh wrote ($OUT, as fetched back)")
    p.add_argument("--into", help="markdown file whose gpu markers to fill (docs/benchmarks.md)")
    args = p.parse_args()
    folder = args.out
    doctor, agreement, sweep = load(folder, "doctor.json"), load(folder, "agreement.json"), load(folder, "sweep.json")

    lines = [f"Device (as `nuggets doctor` printed it): {device_name(doctor)}.", ""]
    if agreement:
        a, b = agreement["labels"]
        build = agreement.get("build") or {}
        lines += [
            f"Agreement, {a} vs {b}, fixture of {agreement['candidates']} candidates x {agreement['anchors']} anchors "
            f"({agreement['pairs']} pairs, stories260K, `score --no-prune`):",
            "",
            "| measure | value |",
            "|---|---|",
            f"| largest \\|difference\\| of a pair's log-prob sum | {agreement['max_abs_diff_pair_sum']:.3g} |",
            f"| largest \\|difference\\| per token | {agreement['max_abs_diff_pair_sum_per_token']:.3g} |",
            f"| largest \\|difference\\| of a zero-shot sum | {agreement['max_abs_diff_zero_shot_sum']:.3g} |",
            f"| bit-identical pairs | {agreement['identical_pairs']} of {agreement['pairs']} |",
            f"| win flips | {agreement['win_flips']} |",
            f"| candidates whose golden score changed | {agreement['candidates_with_changed_golden_score']} "
            f"(largest change {agreement['max_abs_diff_golden_score']:.3g}) |",
            f"| wall time of the scoring run, {a} / {b} | {agreement['wall_s'][a]} s / {agreement['wall_s'][b]} s |",
        ]
        if build:
            lines.append(f"| llama.cpp build ({build.get('targets')}, {build.get('jobs')} jobs, arch {build.get('arch') or 'CPU'}) "
                         f"| configure {build.get('configure_s')} s, build {build.get('build_s')} s |")
        lines.append("")
    else:
        lines += ["Agreement: not measured (no agreement.json).", ""]

    if isinstance(sweep, list) and sweep:
        lines += ["llama-bench sweep (prompt processing, tokens/s; stories260K, so the numbers show the settings' relative "
                  "cost on a tiny model, not a real model's throughput):", "",
                  "| n_batch | n_ubatch | flash attn | type_k | type_v | GPU layers | t/s (mean ± sd) |", "|---|---|---|---|---|---|---|"]
        for r in sweep:
            lines.append(f"| {r.get('n_batch')} | {r.get('n_ubatch')} | {r.get('flash_attn')} | {r.get('type_k')} | {r.get('type_v')} "
                         f"| {r.get('n_gpu_layers')} | {r.get('avg_ts', 0):.0f} ± {r.get('stddev_ts', 0):.0f} |")
        lines.append("")
    else:
        lines += ["Tuning sweep: not measured (no sweep.json).", ""]
    text = "\n".join(lines)
    if not args.into:
        print(text)
        return
    begin, end = "<!-- gpu:begin", "<!-- gpu:end -->"
    with open(args.into) as f:
        doc = f.read()
    if begin not in doc or end not in doc:
        raise SystemExit(f"section: {args.into} has no gpu:begin / gpu:end markers")
    head, rest = doc.split(begin, 1)
    marker_line, _ = rest.split("\n", 1)
    _, tail = rest.split(end, 1)
    with open(args.into, "w") as f:
        f.write(head + begin + marker_line + "\n" + text + "\n" + end + tail)


if __name__ == "__main__":
    main()
