#!/usr/bin/env bash
# NEU-DET accuracy benchmark: import ../shared/datasets/neu-det, train on its `train` split (as
# the GT tag) within a wall-time budget and measure it on its `val` split, keeping the images
# that choose the model apart from those that measure it: a seeded half of `val` (tag valA)
# chooses the best epoch and fits the per-class thresholds; the other half (valB) is reported.
# Usage: bench/neu_det.sh [PROJECT_DIR] [extra `quarry train` options...]
#   MINUTES (default 15), PRESET (default small), RUN (default NEU-$PRESET), NEU_DET, QUARRY.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
Q=${QUARRY:-$root/build/src/quarry}
dir=${1:-/tmp/quarry-neu}
shift || true
minutes=${MINUTES:-15}
preset=${PRESET:-small}
run=${RUN:-NEU-$preset}
source "$root/bench/neu_det_project.sh"
neu_det_project "$dir"
if ! "$Q" -p "$dir" tag list | grep -q '^valA '; then
  "$Q" -q -p "$dir" split --where "tag:val" --val 0.5 --gt 0 --val-tag valA --gt-tag valA-unused --seed 1
  "$Q" -q -p "$dir" tag add valB --where "tag:val notag:valA"
fi
"$Q" -p "$dir" train --run "$run" --preset "$preset" --train-tags train --val-tag valA \
  --epochs 1000 --patience 1000 --max-minutes "$minutes" --json "$@" >"$dir/$run.train.json"
"$Q" -p "$dir" eval --run "$run" --val-tag valB --json >"$dir/$run.eval.json"
"$Q" -p "$dir" eval --run "$run" --val-tag valB
echo "figures: $dir/$run.train.json $dir/$run.eval.json"
