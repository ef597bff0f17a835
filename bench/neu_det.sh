#!/usr/bin/env bash
# NEU-DET accuracy benchmark: import ../shared/datasets/neu-det, train on its `train` split (as
# the GT tag) within a wall-time budget, evaluate on its `val` split (VAL), write the figures.
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
"$Q" -p "$dir" train --run "$run" --preset "$preset" --train-tags train --val-tag val \
  --epochs 1000 --patience 1000 --max-minutes "$minutes" --json "$@" >"$dir/$run.train.json"
"$Q" -p "$dir" eval --run "$run" --val-tag val --json >"$dir/$run.eval.json"
"$Q" -p "$dir" eval --run "$run" --val-tag val
echo "figures: $dir/$run.train.json $dir/$run.eval.json"
