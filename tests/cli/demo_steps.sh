#!/usr/bin/env bash
# The README's main job, scripts/demo, with a smaller budget: its steps (scripts/demo-steps) on a
# smaller generated project, run twice. Regression (issue 21): the demo used to end with a model
# that found nothing (VAL mAP@0.5 0.000, no auto boxes, every image rated hard).
set -u
source "$(dirname "$0")/lib.sh"
steps=$(cd "$(dirname "$0")/../.." && pwd)/scripts/demo-steps
export QUARRY=$Q DEMO_IMAGES=100 DEMO_POOL=40 DEMO_SIZE=128 DEMO_PRESET=tiny DEMO_MIN_STEPS=600 DEMO_MINUTES=10

check "demo steps" 0 "$steps" "$tmp/demo"
expect_out "the figures line" '^demo figures: VAL mAP@0.5 [0-9.]+; pool: [0-9]+ easy, [0-9]+ medium, [0-9]+ hard'
line=$(grep '^demo figures:' "$tmp/out")
map=$(sed -n 's/.*VAL mAP@0.5 \([0-9.]*\);.*/\1/p' <<<"$line")
read -r easy medium hard < <(sed -n 's/.*pool: \([0-9]*\) easy, \([0-9]*\) medium, \([0-9]*\) hard.*/\1 \2 \3/p' <<<"$line")
echo "demo steps: VAL mAP@0.5 $map; pool $easy easy, $medium medium, $hard hard"
awk -v m="${map:-0}" 'BEGIN { exit !(m >= 0.2) }'
expect "the model finds the demo's defects (VAL mAP@0.5 >= 0.2)" $?
bands=0
for n in ${easy:-0} ${medium:-0} ${hard:-0}; do ((n > 0)) && bands=$((bands + 1)); done
((bands >= 2))
expect "the pool's images fall in at least two bands" $?
auto=$($Q -p "$tmp/demo" stats --json | grep -oE '"auto": [0-9]+' | head -1 | grep -oE '[0-9]+$')
((${auto:-0} > 0))
expect "auto-labels were written" $?
grep -Eqiw 'nan|inf' "$tmp/out"
expect "no nan or inf printed" $((!$?))

# Run again on the same project: it reuses the run and exports again over its own export.
check "demo steps again" 0 "$steps" "$tmp/demo"
expect_out "reuses the project" "using the existing project"

echo "demo_steps: $passed passed, $failed failed"
((failed == 0))
