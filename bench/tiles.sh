#!/usr/bin/env bash
# Tiles against letterbox on generated large images, side by side in one run at the same number
# of optimiser steps and the same seeds: one set with small defects on 1,024 px images (where
# letterboxing shrinks them to a few pixels) and one with large defects (where tiles should cost
# accuracy nothing). Both arms use the same preset, so a step costs the same; the last weights
# are evaluated on the set's VAL. Prints one row per run: mAP@0.5, mAP@[.5:.95], training
# images/s, inference images/s (tiles included), and what tiling auto chose for the set.
# Usage: bench/tiles.sh [WORK_DIR]
#   STEPS (1500), SEEDS (1), IMAGES (320: 80 VAL, 240 GT1), SIZE (1024), PRESET (small), SETS
#   ("small large"), ARMS ("off on"), SUFFIX (appended to run names, to train again), QUARRY.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
Q=${QUARRY:-$root/build/src/quarry}
work=${1:-/tmp/quarry-tiles}
steps=${STEPS:-1500}
seeds=${SEEDS:-1}
images=${IMAGES:-320}
size=${SIZE:-1024}
preset=${PRESET:-small}
val=$((images / 4))
mkdir -p "$work"
out=$work/tiles-$(date +%Y%m%d-%H%M%S).tsv
printf 'set\ttiles\tseed\tsteps\tmap50\tmap50_95\ttrain_images_per_s\tinfer_images_per_s\tauto_choice\n' | tee "$out"
field() { grep -oE "\"$1\": [0-9.]+" "$2" | head -1 | grep -oE '[0-9.]+$'; }
for set in ${SETS:-small large}; do
  dir=$work/$set
  scale=$([ "$set" = small ] && echo 1 || echo 0)
  if [ ! -f "$dir/project.quarry" ]; then
    "$Q" -q demo "$dir" --images "$images" --size "$size" --defect-scale "$scale" --seed 11 >/dev/null
    "$Q" -q -p "$dir" split --val "$val" --gt $((images - val)) --seed 1 >/dev/null
  fi
  for seed in $seeds; do
    for tiles in ${ARMS:-off on}; do
      run="TL-$tiles-s$seed-$steps${SUFFIX:-}"
      if ! "$Q" -q -p "$dir" eval --run "$run" >/dev/null 2>&1; then
        "$Q" -q -p "$dir" train --run "$run" --preset "$preset" --tiles "$tiles" --seed "$seed" --max-steps "$steps" \
          --epochs 100000 --patience 100000 --validate-every 100000 --json >"$dir/$run.train.json"
      fi
      "$Q" -q -p "$dir" eval --run "$run" --json >"$dir/$run.eval.json"
      auto=$("$Q" -q -p "$dir" train --run TL-plan --preset "$preset" --plan | sed -n 2p)
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$set" "$tiles" "$seed" "$steps" "$(field map50 "$dir/$run.eval.json")" \
        "$(field map50_95 "$dir/$run.eval.json")" "$(field images_per_second "$dir/$run.train.json")" \
        "$(field images_per_second "$dir/$run.eval.json")" "$auto" | tee -a "$out"
    done
  done
done
echo "table: $out"
