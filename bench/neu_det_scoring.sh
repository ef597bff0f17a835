#!/usr/bin/env bash
# Monte-Carlo scoring throughput on NEU-DET, end to end (reading, letterbox, network, writing):
# NEU-DET's 1,440 `train` images, imported without their labels, are the unlabelled pool; a
# PRESET model trained briefly on the 360 labelled `val` images (its quality does not matter
# here, only its cost) scores them with T = PASSES, batched and then naive, side by side.
# Usage: bench/neu_det_scoring.sh [WORK_DIR]; PRESET (tiny), STEPS (1500), PASSES (20), NEU_DET, QUARRY.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
Q=${QUARRY:-$root/build/src/quarry}
data=${NEU_DET:-$root/../shared/datasets/neu-det}
work=${1:-/tmp/quarry-neu-scoring}
preset=${PRESET:-tiny}
passes=${PASSES:-20}
[[ -f $data/classes.txt ]] || { echo "NEU-DET not found at $data" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work/labelled/images" "$work/labelled/labels"
cp -r "$data/images/val" "$work/labelled/images/"
cp -r "$data/labels/val" "$work/labelled/labels/"
cp "$data/classes.txt" "$work/labelled/"
"$Q" -q init "$work/p"
"$Q" -q -p "$work/p" import "$work/labelled" --format yolo --tag GT1
"$Q" -q -p "$work/p" import "$data/images/train" --format folder --tag POOL
"$Q" -q -p "$work/p" train --run S --preset "$preset" --max-steps "${STEPS:-1500}" --epochs 100000 \
  --patience 100000 --val-tag NONE
for mode in batched naive; do
  flag=()
  [[ $mode == naive ]] && flag=(--naive)
  "$Q" -q -p "$work/p" score --run S --passes "$passes" --val-tag NONE "${flag[@]}" --json >"$work/$mode.json"
  printf '%-8s %s\n' "$mode" "$(grep -oE '"(pool_images|images_per_second|seconds)": [0-9.]+' "$work/$mode.json" | tr '\n' ' ')"
done
