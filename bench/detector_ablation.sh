#!/usr/bin/env bash
# Detector ablation on NEU-DET at a fixed number of optimiser steps (equal steps, not minutes, so
# a busy machine cannot bias the accuracy), each configuration with the same seeds. Trains on the
# `train` split, evaluates the last weights on `val` (no epoch is chosen on val here), and prints
# one row per run: mAP@0.5, mAP@[.5:.95], training images/s.
# Usage: bench/detector_ablation.sh [PROJECT_DIR]
#   CONFIGS: "NAME:PRESET:EXTRA-OPTIONS;..." (default: the old small preset, stride 8, stride 8 with
#   context, and that with the weights' average), SEEDS (1 2), STEPS (1000), QUARRY.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
Q=${QUARRY:-$root/build/src/quarry}
dir=${1:-/tmp/quarry-neu}
steps=${STEPS:-1000}
seeds=${SEEDS:-1 2}
configs=${CONFIGS:-"s4:$root/models/small-s4.json:--ema-decay 0;s8:$root/models/small.json:--ema-decay 0;s8-ema:$root/models/small.json:--ema-decay 0.998;s8c:$root/bench/presets/small-s8c.json:--ema-decay 0"}
source "$root/bench/neu_det_project.sh"
neu_det_project "$dir"
out=$dir/ablation-$(date +%Y%m%d-%H%M%S).tsv
printf 'config\tseed\tsteps\tmap50\tmap50_95\timages_per_s\n' | tee "$out"
for seed in $seeds; do
  IFS=';' read -ra list <<<"$configs"
  for c in "${list[@]}"; do
    IFS=':' read -r name preset extra <<<"$c"
    run="AB-$name-s$seed-$steps"
    if ! "$Q" -q -p "$dir" eval --run "$run" --val-tag val >/dev/null 2>&1; then
      # shellcheck disable=SC2086
      "$Q" -q -p "$dir" train --run "$run" --preset "$preset" --train-tags train --val-tag val --seed "$seed" \
        --max-steps "$steps" --epochs 100000 --patience 100000 --validate-every 100000 $extra --json >"$dir/$run.train.json"
    fi
    "$Q" -q -p "$dir" eval --run "$run" --val-tag val --json >"$dir/$run.eval.json"
    map50=$(grep -oE '"map50": [0-9.]+' "$dir/$run.eval.json" | head -1 | grep -oE '[0-9.]+$')
    map5095=$(grep -oE '"map50_95": [0-9.]+' "$dir/$run.eval.json" | head -1 | grep -oE '[0-9.]+$')
    ips=$(grep -oE '"images_per_second": [0-9.]+' "$dir/$run.train.json" | head -1 | grep -oE '[0-9.]+$')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$seed" "$steps" "$map50" "$map5095" "$ips" | tee -a "$out"
  done
done
echo "table: $out"
