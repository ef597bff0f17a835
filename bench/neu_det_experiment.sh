#!/usr/bin/env bash
# The active-learning experiment on NEU-DET, in the proportions of the published steel-pipe
# workflow: VAL = NEU-DET's 360 `val` images in every seed, GT1 = 180 random `train` images,
# then BUDGET (250) images chosen by each strategy against as many random ones (the control),
# paired over SEEDS. Every model gets the same number of optimiser steps, so arms get equal
# compute whatever else the machine is doing. The report (Markdown, SVG charts, results.json)
# goes to PROJECT_DIR/reports/NAME/.
# Usage: bench/neu_det_experiment.sh [PROJECT_DIR] [extra `quarry experiment` options...]
#   SEEDS (1,2,3,4,5), STRATEGIES (hybrid), ROUNDS (2), BUDGET (250), STEPS (1500 per model),
#   PRESET (tiny: on 180 NEU-DET images it reaches VAL mAP@0.5 0.44 in 1500 steps, about 75 s
#   here, where `small` needs many minutes), VALIDATE_EVERY (10 epochs), PASSES (20),
#   NAME (neu-det), NEU_DET, QUARRY.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
Q=${QUARRY:-$root/build/src/quarry}
dir=${1:-/tmp/quarry-neu}
shift || true
source "$root/bench/neu_det_project.sh"
neu_det_project "$dir"
name=${NAME:-neu-det}
"$Q" -p "$dir" experiment --name "$name" --seeds "${SEEDS:-1,2,3,4,5}" --val-tag val --gt 180 \
  --budget "${BUDGET:-250}" --rounds "${ROUNDS:-2}" --strategies "${STRATEGIES:-hybrid}" \
  --preset "${PRESET:-tiny}" --epochs 100000 --max-steps "${STEPS:-1500}" --validate-every "${VALIDATE_EVERY:-10}" \
  --patience 1000 --passes "${PASSES:-20}" "$@"
echo "report: $dir/reports/$name/report.md"
