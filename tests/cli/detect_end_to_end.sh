#!/usr/bin/env bash
# End-to-end tests of the detector commands (train, autolabel, eval, score, select, experiment)
# of the `quarry` executable:
# exit codes (0 success, 1 failure, 2 bad usage), --json output, and what they leave in the store.
set -u
source "$(dirname "$0")/lib.sh"

auto_boxes() {  # the project's auto box count, from `quarry stats --json`
  $Q -p "$P" stats --json >"$tmp/stats" 2>/dev/null
  json_int auto "$tmp/stats"
}

for cmd in train autolabel eval score select experiment mistakes; do
  check "help $cmd" 0 $Q $cmd --help
done

# A labeled demo project (some of its images have no defects, so no boxes), split into VAL1 and
# GT1, plus an unlabeled pool imported from a second demo: what autolabel works on by default.
P=$tmp/demo
check "demo" 0 $Q -q demo "$P" --images 60 --size 128 --seed 3
check "split" 0 $Q -p "$P" split --val 15 --gt 30 --seed 1 --json
check "pool demo" 0 $Q -q demo "$tmp/pool" --images 20 --size 128 --seed 7 --unlabeled
check "import pool" 0 $Q -q -p "$P" import "$tmp/pool/dataset/images" --format folder --tag POOL

# Bad usage before any training.
check "train needs --run" 2 $Q -p "$P" train
check "train unknown device" 2 $Q -p "$P" train --run X --device tpu
check "train unknown preset" 2 $Q -q -p "$P" train --run X --preset huge
check "train on an unknown tag" 2 $Q -q -p "$P" train --run X --train-tags NOPE

# Training on a tag that overlaps VAL is refused and names the problem.
check "tag a leak" 0 $Q -p "$P" tag add LEAK --where "tag:VAL1"
check "train on VAL refused" 2 $Q -q -p "$P" train --run LEAKY --preset tiny --train-tags GT1,LEAK --max-steps 2
expect_err "refusal names VAL1" "VAL1"
expect_err "refusal says why" "validation set"

# A short training run.
check "train" 0 $Q -q -p "$P" train --run T1 --preset tiny --max-steps 30 --threads 2 --json
expect_out "train reports the run" '"run": "T1"'
expect_out "train reports a checkpoint" '"checkpoint": "[^"]+'
expect_out "train reports the curve" '"curve": \['
# What T1 was trained on (issue 16): its GT images' boxes, and nothing changed since.
check "runs show" 0 $Q -p "$P" runs show T1
expect_out "the labels it read" 'trained on [1-9][0-9]* images with [1-9][0-9]* boxes; no box changed since'
expect_out "and VAL's" 'validated on [1-9][0-9]* images'
check "runs list" 0 $Q -p "$P" runs list
expect_out "lists T1" '^T1 '
check "train same name refused" 1 $Q -q -p "$P" train --run T1 --preset tiny --max-steps 2
check "train text summary" 0 $Q -q -p "$P" train --run T2 --preset tiny --max-steps 4 --epochs 1
expect_out "summary names the run" "trained run T2"
check "train with progress" 0 $Q -p "$P" train --run T3 --preset tiny --max-steps 4 --epochs 1
expect_err "progress line on stderr" '\[(train|validate|load)\]'

# Auto-label: writes T1's auto boxes; a second pass replaces them instead of adding more. Score
# threshold 0 keeps every proposal (up to the per-image cap), so a barely trained model writes boxes.
check "autolabel" 0 $Q -q -p "$P" autolabel --run T1 --score-threshold 0 --json
expect_out "autolabel reports images" '"images": [1-9]'
first_boxes=$(json_int boxes "$tmp/out")
first_auto=$(auto_boxes)
expect "autolabel wrote auto boxes ($first_auto)" "$([[ $first_auto -gt 0 ]]; echo $?)"
expect "auto boxes in the store ($first_auto) are the report's ($first_boxes)" "$([[ $first_auto == "$first_boxes" ]]; echo $?)"
check "autolabel again" 0 $Q -q -p "$P" autolabel --run T1 --score-threshold 0 --json
second_boxes=$(json_int boxes "$tmp/out")
second_auto=$(auto_boxes)
expect "a second autolabel replaces: $second_auto auto boxes, the pass wrote $second_boxes" \
  "$([[ $second_auto == "$second_boxes" ]]; echo $?)"
check "autolabel a query" 0 $Q -q -p "$P" autolabel --run T1 --where "tag:POOL name:img_0000" --json
expect_out "exactly the query's images" '"images": 10'
check "autolabel bad query" 2 $Q -q -p "$P" autolabel --run T1 --where "colour:red"
check "autolabel unknown run" 1 $Q -q -p "$P" autolabel --run NOPE
$Q -p "$P" stats --json >"$tmp/stats"
expect "manual boxes untouched" "$([[ $(json_int manual "$tmp/stats") -gt 0 ]]; echo $?)"

# Evaluate the run on VAL.
check "eval run" 0 $Q -q -p "$P" eval --run T1 --json
expect_out "eval prints map50" '"map50": '
expect_out "eval prints the confusion labels" '"background"'
expect_out "eval says which seconds per action the boost used" '"effort": "draw 10.0 s/box \(cited; 0 boxes timed, 20 needed\)'
check "eval run text" 0 $Q -q -p "$P" eval --run T1
expect_out "text table" "AP50:95"
expect_out "text mAP" "mAP@0.5"
expect_out "text boost" "efficiency boost"
check "eval needs a source" 2 $Q -p "$P" eval
check "eval takes one source" 2 $Q -p "$P" eval --run T1 --predictions x.json

# Evaluate a hand-written COCO results file: one good box on a VAL image (ids from a COCO export).
check "export VAL" 0 $Q -q -p "$P" export "$tmp/val" --format coco --where "tag:VAL1" --images none
tr -d ' \n' <"$tmp/val/annotations.json" >"$tmp/val.json"
val_id=$(grep -oE '"image_id":[0-9]+' "$tmp/val.json" | head -1 | grep -oE '[0-9]+$')
bbox=$(grep -oE '"bbox":\[[^]]*\]' "$tmp/val.json" | head -1 | sed 's/"bbox"://')
cat_id=$(grep -oE '"category_id":[0-9]+' "$tmp/val.json" | head -1 | grep -oE '[0-9]+$')
printf '[{"image_id": %s, "category_id": %s, "bbox": %s, "score": 0.9}]\n' "$val_id" "$cat_id" "$bbox" >"$tmp/pred.json"
check "eval predictions" 0 $Q -p "$P" eval --predictions "$tmp/pred.json" --json
expect_out "predictions evaluated" '"map50": [0-9.]+'
expect_out "one true positive" '"true_positives": 1'
check "eval predictions text" 0 $Q -p "$P" eval --predictions "$tmp/pred.json"
expect_out "text table for predictions" "background"
printf '[{"image_id": %s, "category_id": 1, "bbox": [1, 2' "$val_id" >"$tmp/corrupt.json"
check "corrupt predictions" 1 $Q -p "$P" eval --predictions "$tmp/corrupt.json"
expect_err "corrupt file named" "corrupt.json"
check "missing predictions" 1 $Q -p "$P" eval --predictions "$tmp/nowhere.json"
check "predictions on an empty VAL tag" 2 $Q -p "$P" eval --predictions "$tmp/pred.json" --val-tag NOPE
# The same file imported as an external run's auto boxes (issue 16): eval --run measures them
# as eval --predictions measured the file.
check "import predictions" 0 $Q -q -p "$P" import "$tmp/pred.json" --format coco-results --run EXT --json
expect_out "one box" '"boxes": 1'
check "eval the external run" 0 $Q -p "$P" eval --run EXT --json
expect_out "the same true positive" '"true_positives": 1'
expect_out "marked external" '"external": true'
check "score an external run needs --from-scores" 2 $Q -q -p "$P" score --run EXT
expect_err "says so" "score it with --from-scores"
check "score from its stored scores" 0 $Q -q -p "$P" score --run EXT --from-scores --json
expect_out "bars for the pool" '"pool_images": [1-9]'
check "predictions need --run" 2 $Q -q -p "$P" import "$tmp/pred.json" --format coco-results
check "not under a Quarry run's name" 1 $Q -q -p "$P" import "$tmp/pred.json" --format coco-results --run T1
expect_err "says why" "is a Quarry model run"

# Score the pool with T1 (its VAL1 too, for the thresholds) and pick the next ground truth.
check "score" 0 $Q -q -p "$P" score --run T1 --passes 4 --score-threshold 0.05 --json
expect_out "score counts the pool" '"pool_images": [1-9]'
expect_out "score scored VAL1" '"val_images": 15'
expect_out "score gives thresholds" '"thresholds": \{'
# The watched folder (issue 17): images a line writes are imported, labelled, scored and routed
# with T1's stored bars; a second look imports nothing again; a truncated file is skipped.
check "line images" 0 $Q -q demo "$tmp/line-src" --images 6 --size 128 --seed 21 --unlabeled
mkdir -p "$tmp/line"
cp "$tmp/line-src/dataset/images/"img_0000[0-4].png "$tmp/line/"
head -c 60 "$tmp/line-src/dataset/images/img_00005.png" >"$tmp/line/half.png"
check "watch" 0 $Q -q -p "$P" watch "$tmp/line" --run T1 --once --settle 0.2 --budget 1000/day --json
expect_out "watch sees every file" '"seen": 6'
expect_out "the whole ones are imported" '"imported": 5'
expect_out "the half one skipped" '"skipped": 1'
routed=$(( $(json_int easy "$tmp/out") + $(json_int candidates "$tmp/out") + $(json_int failed "$tmp/out") ))
expect "every imported image routed ($routed)" "$([[ $routed == 5 ]]; echo $?)"
check "watch again" 0 $Q -q -p "$P" watch "$tmp/line" --run T1 --once --settle 0.2 --json
expect_out "nothing imported twice" '"imported": 0'
check "tags of the stream" 0 $Q -p "$P" tag list --json
expect_out "INCOMING holds the five" '"name": "INCOMING"'
check "stats --stream" 0 $Q -p "$P" stats --stream --json
expect_out "the stream's five images" '"images": 5'
check "a bad budget" 2 $Q -q -p "$P" watch "$tmp/line" --run T1 --once --budget lots
check "score text" 0 $Q -q -p "$P" score --run T1 --passes 2 --score-threshold 0.05
expect_out "text names the bars" "easy, [0-9]+ medium, [0-9]+ hard"
check "score naive" 0 $Q -q -p "$P" score --run T1 --passes 2 --naive --json
expect_out "naive said" '"batched": false'
check "score with progress" 0 $Q -p "$P" score --run T1 --passes 2
expect_err "score progress on stderr" '\[score\]'
check "score unknown run" 1 $Q -q -p "$P" score --run NOPE
check "score bad combine" 2 $Q -q -p "$P" score --run T1 --combine median
check "score zero passes" 2 $Q -q -p "$P" score --run T1 --passes 0
# The mistakes queue reads the scores: VAL1's labels against T1's detections.
check "mistakes" 0 $Q -q -p "$P" mistakes --run T1 --where tag:VAL1 --json
expect_out "mistakes says which run" '"run": "T1"'
expect_out "and at which thresholds" '"thresholds": "'
check "mistakes text" 0 $Q -q -p "$P" mistakes --run T1 --limit 3
expect_out "mistakes text counts" "images disagree with T1"
check "mistakes unknown run" 1 $Q -q -p "$P" mistakes --run NOPE
expect_err "names the run" "no model run 'NOPE'"

check "select" 0 $Q -q -p "$P" select --run T1 --budget 5 --tag GT2 --json
expect_out "select chose the budget" '"chosen": 5'
pool_first=$(json_int pool "$tmp/out")
check "tag list" 0 $Q -q -p "$P" tag list
expect_out "GT2 holds the chosen images" 'GT2 +5$'
check "select random" 0 $Q -q -p "$P" select --run T1 --budget 2 --tag R1 --strategy random
expect_out "select text" "tagged 2 of $((pool_first - 5)) pool images R1"
check "select again leaves GT2's images out" 0 $Q -q -p "$P" select --run T1 --budget 100 --tag GT3 --strategy workflow --json
pool_second=$(json_int pool "$tmp/out")
expect "the pool lost the 5 chosen ($pool_first, then $pool_second)" "$([[ $pool_second == $((pool_first - 5)) ]]; echo $?)"
check "select unknown strategy" 2 $Q -q -p "$P" select --run T1 --budget 2 --strategy magic
check "select zero budget" 2 $Q -q -p "$P" select --run T1 --budget 0
check "select into VAL refused" 2 $Q -q -p "$P" select --run T1 --budget 2 --tag VAL1
check "select an unscored run" 1 $Q -q -p "$P" select --run T2 --budget 2

# A one-seed experiment on a fresh demo: CAL1, one round of the default rule and its random control.
check "experiment demo" 0 $Q -q demo "$tmp/exp" --images 48 --size 96 --seed 5
check "experiment" 0 $Q -q -p "$tmp/exp" experiment --name e2e --seeds 1 --val 12 --gt 10 --budget 10 \
  --preset tiny --max-steps 15 --passes 2 --json
expect_out "three models" '"models": 3'
expect "the report exists" "$([[ -s $tmp/exp/reports/e2e/report.md ]]; echo $?)"
expect "the learning curve exists" "$([[ -s $tmp/exp/reports/e2e/learning_curve.svg ]]; echo $?)"
check "experiment too big" 2 $Q -q -p "$tmp/exp" experiment --name big --val 40 --gt 10 --budget 10
expect_err "too big says what it needs and has" "needs 60 labelled images .*the project has [0-9]+"
check "experiment unknown strategy" 2 $Q -q -p "$tmp/exp" experiment --strategies magic
check "experiment random is the control" 2 $Q -q -p "$tmp/exp" experiment --strategies random

# Bad checkpoints: a clear error naming the file, and the project's boxes untouched.
before=$(auto_boxes)
cp -r "$P/models/T1" "$tmp/T1.saved"
pt_size=$(stat -c %s "$P/models/T1/model.pt")
truncate -s $((pt_size / 3)) "$P/models/T1/model.pt"
check "autolabel with a truncated checkpoint" 1 $Q -q -p "$P" autolabel --run T1
expect_err "it names the weights file" "models/T1/model.pt: corrupt or incompatible weights"
expect "no auto box was touched" "$([[ $(auto_boxes) == "$before" ]]; echo $?)"
echo '{"format": "yolov8", "names": ["a"]}' >"$P/models/T1/model.json"
check "autolabel with another tool's checkpoint" 1 $Q -q -p "$P" autolabel --run T1
expect_err "it says what the file is not" "models/T1/model.json: not a Quarry detector checkpoint"
# As copied from a project whose first class is another: same network, other classes.
sed 's/"scratch"/"weld_seam"/' "$tmp/T1.saved/model.json" >"$P/models/T1/model.json"
cp "$tmp/T1.saved/model.pt" "$P/models/T1/model.pt"
check "autolabel with another project's checkpoint" 1 $Q -q -p "$P" autolabel --run T1
expect_err "it names both class lists" "trained on the classes \\[weld_seam.*but the project has \\[scratch"
expect "still no auto box touched" "$([[ $(auto_boxes) == "$before" ]]; echo $?)"
rm -rf "$P/models/T1" && cp -r "$tmp/T1.saved" "$P/models/T1"
check "the restored checkpoint works again" 0 $Q -q -p "$P" autolabel --run T1

echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
