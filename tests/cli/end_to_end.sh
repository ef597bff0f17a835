#!/usr/bin/env bash
# End-to-end tests of the `quarry` executable: the commands a user types, their exit codes
# (0 success, 1 failure, 2 bad usage) and their --json output.
set -u
source "$(dirname "$0")/lib.sh"

# --help works on every command.
for cmd in "" init import export stats "tag add" "tag remove" "tag list" split demo "roots list" "roots set" relink \
  "snapshot create" "snapshot list" "snapshot diff" "snapshot restore" "snapshot delete" "runs list" "runs show"; do
  check "help $cmd" 0 $Q $cmd --help
done
check "no command is bad usage" 2 $Q
check "unknown option is bad usage" 2 $Q stats --bogus

# A demo project, with its labels.
check "demo" 0 $Q -q demo "$tmp/demo" --images 30 --seed 4
check "demo twice refuses" 1 $Q -q demo "$tmp/demo" --images 30
expect_err "demo twice says why" "already exists"
check "stats --json" 0 $Q -p "$tmp/demo" stats --json
expect_out "stats counts the images" '"images": 30'
expect_out "stats lists the classes" '"name": "scratch"'
check "stats --time with nothing timed" 0 $Q -p "$tmp/demo" stats --time
expect_out "every action, each cited" 'draw 10.0 s/box \(cited; 0 boxes timed, 20 needed\)'
check "stats --time --json" 0 $Q -p "$tmp/demo" stats --time --json
expect_out "per action" '"verify": \{'

# Progress goes to stderr for long work.
check "demo with progress" 0 $Q demo "$tmp/demo2" --images 5
expect_err "progress line on stderr" '\[import\] 5/5'

# Split, tag, export.
check "split" 0 $Q -p "$tmp/demo" split --val 8 --gt 6 --seed 2 --json
expect_out "split sizes" '"VAL1": 8'
check "split too large" 2 $Q -p "$tmp/demo" split --val 100 --gt 1
check "split bad amount" 2 $Q -p "$tmp/demo" split --val lots
# Splitting again into tags that hold images is refused unless extending them (issue 21).
check "split into new tags" 0 $Q -p "$tmp/demo" split --val 1 --gt 1 --val-tag VALX --gt-tag GTX
check "split again refused" 2 $Q -p "$tmp/demo" split --val 1 --gt 1 --val-tag VALX --gt-tag GTX
expect_err "refusal names the tag" "VALX already holds 1 images"
check "split again with --extend" 0 $Q -p "$tmp/demo" split --val 1 --gt 1 --val-tag VALX --gt-tag GTX --extend --json
expect_out "extended" '"VALX": 1'
check "tag add" 0 $Q -p "$tmp/demo" tag add review --where "tag:GT1 class:scratch" --json
expect_out "tag add counts" '"changed": [1-9]'
check "tag with bad query" 2 $Q -p "$tmp/demo" tag add x --where "colour:red"
expect_err "bad query names the key" "colour"
check "a query naming a tag no image has still runs" 0 $Q -p "$tmp/demo" tag add x --where "tag:GT01"
expect_err "and warns, naming the tag" "names the tag 'GT01', which no image has"
check "difficulty needs a run" 2 $Q -p "$tmp/demo" tag add x --where "difficulty:hard"
check "tag list" 0 $Q -p "$tmp/demo" tag list --json
expect_out "tag list shows GT1" '"name": "GT1"'
check "tag remove" 0 $Q -p "$tmp/demo" tag remove review --where "tag:review"
check "export ultralytics" 0 $Q -q -p "$tmp/demo" export "$tmp/ul" --format ultralytics --train GT1 --val VAL1 --json
expect_out "export counts" '"images": 14'
[[ -f $tmp/ul/data.yaml ]] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: no data.yaml"; }
# A second export into the same folder is refused without --overwrite, and replaces it with it.
check "export into a non-empty folder refused" 2 $Q -q -p "$tmp/demo" export "$tmp/ul" --format ultralytics --train GTX --val VAL1
expect_err "refusal says how" "not empty.*--overwrite"
check "export --overwrite" 0 $Q -q -p "$tmp/demo" export "$tmp/ul" --format ultralytics --train GTX --val VAL1 --overwrite
[[ $(ls "$tmp/ul/labels/train" | wc -l) == 2 ]]
expect "old label files are gone (GTX holds 2 images)" $?
check "export overlap refused" 2 $Q -q -p "$tmp/demo" export "$tmp/bad" --format ultralytics --train GT1,VAL1 --val VAL1
expect_err "overlap names the problem" "both the train and the val set"
check "export coco" 0 $Q -q -p "$tmp/demo" export "$tmp/coco" --format coco --where "tag:GT1"
check "export a tag no image has" 2 $Q -q -p "$tmp/demo" export "$tmp/typo" --format yolo --train GT1 --val VAL01
expect_err "the refusal names the tag" "no image has the tag 'VAL01'"
[[ ! -e $tmp/typo ]]
expect "nothing was written for it" $?

# Import into a new project, then re-import: no duplicates.
check "init" 0 $Q init "$tmp/copy"
check "import coco" 0 $Q -q -p "$tmp/copy" import "$tmp/coco/annotations.json" --format coco --json
expect_out "import counts" '"images_added": 6'
check "re-import" 0 $Q -q -p "$tmp/copy" import "$tmp/coco" --format coco --json
expect_out "re-import adds none" '"images_added": 0'

# Bad input: reported with file and line; --strict fails; the project is intact afterwards.
mkdir -p "$tmp/bad/images" "$tmp/bad/labels"
cp "$tmp/demo/dataset/images/img_00000.png" "$tmp/bad/images/a.png"
printf 'scratch\n' >"$tmp/bad/classes.txt"
printf '0 0.5 0.5 0.2 0.2\n0 nan 0.5 0.1 0.1\n' >"$tmp/bad/labels/a.txt"
check "import with a bad line" 0 $Q -q -p "$tmp/copy" import "$tmp/bad" --format yolo
expect_err "bad line named" "labels/a.txt:2: 'nan' is not a finite number"
expect_out "summary counts the skipped box" "1 boxes \(1 skipped\)"
check "strict import fails" 1 $Q -q -p "$tmp/copy" import "$tmp/bad" --format yolo --strict
check "project still opens" 0 $Q -p "$tmp/copy" stats --json
expect_out "nothing lost" '"images": 7'

# Image roots (issue 15): the COCO import stored its images under a root named after the folder;
# a moved folder needs one relink, and a machine may map a root to its own folder.
export QUARRY_ROOTS_FILE="$tmp/roots.json"
check "roots list" 0 $Q -p "$tmp/copy" roots list --json
expect_out "the import made a root" '"name": "coco"'
expect_out "holding its images" '"images": 6'
mv "$tmp/coco" "$tmp/coco-moved"
check "roots list after the folder moved" 0 $Q -p "$tmp/copy" roots list
expect_out "says it is not found" 'NOT FOUND on this machine'
check "relink" 0 $Q -p "$tmp/copy" relink coco "$tmp/coco-moved"
check "roots list after the relink" 0 $Q -p "$tmp/copy" roots list --json
expect_out "found again" '"found": true'
check "re-import from the new place adds none" 0 $Q -q -p "$tmp/copy" import "$tmp/coco-moved" --format coco --json
expect_out "same images" '"images_added": 0'
check "here-only" 0 $Q -p "$tmp/copy" roots set coco "$tmp/elsewhere" --here-only
expect_out "says where" 'on this machine'
grep -q elsewhere "$tmp/roots.json"
expect "the per-user file holds the mapping" $?
check "here-only for a root the project lacks" 1 $Q -p "$tmp/copy" roots set nope "$tmp" --here-only
expect_err "names it" "no image root 'nope'"
check "a bad root name" 2 $Q -p "$tmp/copy" roots set "a b" "$tmp"

# CVAT and Label Studio (issue 16): exported and imported back with every box.
for fmt in cvat label-studio; do
  check "export $fmt" 0 $Q -q -p "$tmp/demo" export "$tmp/out-$fmt" --format $fmt --json
  expect_out "$fmt exports every image" '"images": 30'
  check "import $fmt" 0 $Q -q init "$tmp/back-$fmt"
  check "import $fmt back" 0 $Q -q -p "$tmp/back-$fmt" import "$tmp/out-$fmt" --format $fmt --json
  expect_out "$fmt brings every image back" '"images_added": 30'
  check "stats after $fmt" 0 $Q -p "$tmp/back-$fmt" stats --json
  boxes_back=$(json_int boxes "$tmp/out")
  $Q -p "$tmp/demo" stats --json >"$tmp/out"
  expect "$fmt keeps the box count ($boxes_back)" "$([[ $boxes_back == $(json_int boxes "$tmp/out") ]]; echo $?)"
done
# Exact duplicates and near-duplicates: a copy with other bytes (a PNG with data after its end).
first=$(ls "$tmp/demo/dataset/images" | head -1)
mkdir -p "$tmp/twins"
cp "$tmp/demo/dataset/images/$first" "$tmp/twins/same.png"
{ cat "$tmp/demo/dataset/images/$first"; printf 'trailing bytes'; } >"$tmp/twins/near.png"
check "import a copy and a near copy" 0 $Q -q -p "$tmp/demo" import "$tmp/twins" --format folder --json
expect_out "the byte copy is already there" '"images_added": 1'
expect_out "naming what it repeats" '"same_as": "dataset/images/'
check "duplicates" 0 $Q -p "$tmp/demo" duplicates --json
expect_out "the near copy groups with its original" '"bits_from_first": 0'
check "hash" 0 $Q -q -p "$tmp/demo" hash --json
expect_out "nothing left to hash" '"hashed": 0'

# Snapshots (issue 16): made while the project is there, compared, restored with --yes only.
check "snapshot create" 0 $Q -q -p "$tmp/demo" snapshot create monday --note "before the accept" --json
expect_out "says what it holds (with the near copy)" '"images": 31'
check "snapshot create again" 1 $Q -q -p "$tmp/demo" snapshot create monday
expect_err "names the snapshot" "a snapshot named 'monday' exists"
check "a bad snapshot name" 2 $Q -q -p "$tmp/demo" snapshot create "../up"
check "untag every GT1 image" 0 $Q -p "$tmp/demo" tag remove GT1 --where "tag:GT1"
check "snapshot diff" 0 $Q -p "$tmp/demo" snapshot diff monday
expect_out "the tag change, counted" 'GT1 +\+0 -6$'
check "snapshot list" 0 $Q -p "$tmp/demo" snapshot list
expect_out "with the note" 'monday .*before the accept'
check "restore without --yes and no terminal" 2 $Q -q -p "$tmp/demo" snapshot restore monday </dev/null
expect_err "asks for --yes" "add --yes"
check "restore" 0 $Q -q -p "$tmp/demo" snapshot restore monday --yes --json
expect_out "names the safety snapshot" '"saved_before": "before-restore-'
check "tag list after the restore" 0 $Q -p "$tmp/demo" tag list --json
expect_out "GT1 is back" '"name": "GT1"'
check "nothing differs from monday now" 0 $Q -p "$tmp/demo" snapshot diff monday
expect_out "no changes" 'no changes'
check "restore into a new folder" 0 $Q -q -p "$tmp/demo" snapshot restore monday --into "$tmp/monday-copy"
check "the copy opens" 0 $Q -p "$tmp/monday-copy" stats --json
expect_out "with every image" '"images": 31'
check "snapshot delete" 0 $Q -q -p "$tmp/demo" snapshot delete monday
check "snapshot delete again" 1 $Q -q -p "$tmp/demo" snapshot delete monday
expect_err "says it is not there" "no snapshot 'monday'"
check "runs list without runs" 0 $Q -p "$tmp/demo" runs list
check "runs show of an unknown run" 1 $Q -p "$tmp/demo" runs show NOPE
expect_err "names it" "no model run 'NOPE'"

check "missing project" 1 $Q -p "$tmp/nowhere" stats
expect_err "missing project says so" "no Quarry project here"

echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
