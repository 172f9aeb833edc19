#!/usr/bin/env python3
"""Pair-by-pair agreement of two scorings of the same fixture (eng/gpu/prove.sh): CPU vs CUDA on the GPU machine,
or our CPU build vs the npm CPU build in the dry run.

Reads the two score caches (DuckDB files) through the libduckdb.so the tool carries (C API over ctypes: the machine
has no DuckDB Python package and no network), writes one CSV row per candidate x anchor pair and a JSON summary:
largest |difference| of the pair log-prob sums and of the zero-shot sums, win flips (pair sum > zero-shot sum on
one side only), golden-score changes per candidate, and the wall time of each run.
"""
import argparse
import csv
import ctypes
import json
import os
import sys


class DuckDb:
    def __init__(self, library):
        self.lib = ctypes.CDLL(library)
        self.lib.duckdb_open.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
        self.lib.duckdb_connect.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
        self.lib.duckdb_query.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
        self.lib.duckdb_result_error.argtypes = [ctypes.c_void_p]
        self.lib.duckdb_result_error.restype = ctypes.c_char_p
        self.lib.duckdb_destroy_result.argtypes = [ctypes.c_void_p]
        self.db, self.con = ctypes.c_void_p(), ctypes.c_void_p()
        if self.lib.duckdb_open(None, ctypes.byref(self.db)) != 0:
            raise RuntimeError("duckdb_open failed")
        if self.lib.duckdb_connect(self.db, ctypes.byref(self.con)) != 0:
            raise RuntimeError("duckdb_connect failed")

    def execute(self, sql):
        result = ctypes.create_string_buffer(512)  # duckdb_result is a small struct; 512 bytes is ample
        try:
            if self.lib.duckdb_query(self.con, sql.encode(), result) != 0:
                raise RuntimeError(f"DuckDB: {self.lib.duckdb_result_error(result).decode()}\n  in: {sql}")
        finally:
            self.lib.duckdb_destroy_result(result)


def quote(path):
    return "'" + path.replace("'", "''") + "'"


def wall(run):
    with open(os.path.join(run, "wall")) as f:
        start, end = map(float, f.read().split())
    return round(end - start, 2)


def manifest(run):
    try:
        with open(os.path.join(run, "manifest.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--duckdb", required=True)
    p.add_argument("--a", required=True, help="run folder with cache.duckdb, wall and manifest.json")
    p.add_argument("--b", required=True)
    p.add_argument("--labels", nargs=2, default=["a", "b"])
    p.add_argument("--build", help="build.json of the llama.cpp build (times), copied into the summary")
    p.add_argument("--pairs", required=True, help="CSV to write, one row per pair")
    p.add_argument("--json", required=True, help="summary to write")
    args = p.parse_args()

    duck = DuckDb(args.duckdb)
    duck.execute(f"ATTACH {quote(os.path.join(args.a, 'cache.duckdb'))} AS a (READ_ONLY)")
    duck.execute(f"ATTACH {quote(os.path.join(args.b, 'cache.duckdb'))} AS b (READ_ONLY)")
    duck.execute(f"""COPY (
        SELECT lower(hex(coalesce(pa.candidate_key, pb.candidate_key))) AS candidate_key,
               lower(hex(coalesce(pa.anchor_key, pb.anchor_key))) AS anchor_key, coalesce(pa.count, pb.count) AS tokens,
               pa.sum AS a_sum, pb.sum AS b_sum, abs(pa.sum - pb.sum) AS abs_diff,
               za.sum AS a_zero_shot, zb.sum AS b_zero_shot,
               CAST(pa.sum > za.sum AS INTEGER) AS a_win, CAST(pb.sum > zb.sum AS INTEGER) AS b_win
        FROM a.pairs pa
        FULL JOIN b.pairs pb ON pa.candidate_key = pb.candidate_key AND pa.anchor_key = pb.anchor_key
        LEFT JOIN a.zero_shot za ON za.anchor_key = pa.anchor_key
        LEFT JOIN b.zero_shot zb ON zb.anchor_key = pb.anchor_key
        ORDER BY abs_diff DESC NULLS FIRST, candidate_key, anchor_key
    ) TO {quote(args.pairs)} (HEADER, DELIMITER ',')""")

    with open(args.pairs, newline="") as f:
        rows = list(csv.DictReader(f))
    both = [r for r in rows if r["a_sum"] != "" and r["b_sum"] != ""]
    missing = len(rows) - len(both)
    if not both:
        raise SystemExit("agreement: the two caches share no pair")
    flips = [r for r in both if r["a_win"] != r["b_win"]]
    zero = {}
    for r in both:
        zero[r["anchor_key"]] = abs(float(r["a_zero_shot"]) - float(r["b_zero_shot"]))
    wins = {}
    for r in both:
        w = wins.setdefault(r["candidate_key"], [0, 0, 0])
        w[0] += int(r["a_win"]); w[1] += int(r["b_win"]); w[2] += 1
    golden = [abs(a - b) / n for a, b, n in wins.values()]
    top = max(both, key=lambda r: float(r["abs_diff"]))
    summary = {
        "labels": args.labels,
        "pairs": len(both),
        "pairs_missing_on_one_side": missing,
        "candidates": len(wins),
        "anchors": len(zero),
        "max_abs_diff_pair_sum": float(top["abs_diff"]),
        "max_abs_diff_pair_sum_per_token": max(float(r["abs_diff"]) / max(int(r["tokens"]), 1) for r in both),
        "max_abs_diff_pair": {k: top[k] for k in ("candidate_key", "anchor_key", "tokens", "a_sum", "b_sum")},
        "max_abs_diff_zero_shot_sum": max(zero.values()),
        "identical_pairs": sum(1 for r in both if float(r["abs_diff"]) == 0.0),
        "win_flips": len(flips),
        "win_flip_pairs": [{k: r[k] for k in ("candidate_key", "anchor_key", "a_sum", "b_sum", "a_zero_shot", "b_zero_shot")} for r in flips[:20]],
        "candidates_with_changed_golden_score": sum(1 for g in golden if g > 0),
        "max_abs_diff_golden_score": max(golden),
        "wall_s": {args.labels[0]: wall(args.a), args.labels[1]: wall(args.b)},
        "manifests": {args.labels[0]: manifest(args.a), args.labels[1]: manifest(args.b)},
    }
    if args.build:
        with open(args.build) as f:
            summary["build"] = json.load(f)
    with open(args.json, "w") as f:
        json.dump(summary, f, indent=2)
    print(f"agreement: {len(both)} pairs, max |diff| {summary['max_abs_diff_pair_sum']:.3g}, {len(flips)} win flips, "
          f"{missing} pairs on one side only", file=sys.stderr)
    if missing:
        raise SystemExit("agreement: the two runs did not score the same pairs")


if __name__ == "__main__":
    main()
