// quarry import | export
#include <cstdio>
#include <sstream>

#include "cli/cli_common.h"
#include "cli/progress_line.h"
#include "quarry/al/external_predictions.h"
#include "quarry/formats/formats.h"

namespace quarry::cli {
namespace {


struct ImportArgs {
  std::string source;
  std::string format = "yolo";
  std::string run;  // coco-results
  std::vector<std::string> tags;
  bool noDecode = false;
  ImportOptions options;
};

// Another model's detections: the auto boxes of an external run.
void runImportPredictions(Context& ctx, const ImportArgs& args) {
  if (args.run.empty()) {
    ctx.exitCode = fail(Status::InvalidArgument("-f " + args.format + " needs --run NAME, the run its boxes belong to"));
    return;
  }
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  ProgressLine progress(!ctx.quiet && !ctx.json);
  std::vector<std::string> problems;
  auto made = args.format == "yolo-results"
                  ? importYoloPredictions(**project, args.source, args.run, &problems, progress.callback())
                  : importPredictions(**project, args.source, args.run, progress.callback());
  progress.finish();
  for (const auto& p : problems) std::fprintf(stderr, "quarry: warning: %s\n", p.c_str());
  if (!made.ok()) { ctx.exitCode = fail(made.status()); return; }
  if (made->degenerate > 0)
    std::fprintf(stderr, "quarry: warning: %zu detections of zero width or height were left out\n", made->degenerate);
  if (ctx.json) {
    printJson({{"run", args.run}, {"run_added", made->runAdded}, {"images", made->images}, {"boxes", made->boxes},
               {"degenerate", made->degenerate}});
    return;
  }
  std::printf("%s run %s: %zu auto boxes on %zu images (quarry eval --run %s measures them on VAL)\n",
              made->runAdded ? "new external" : "replaced the boxes of external", args.run.c_str(), made->boxes,
              made->images, args.run.c_str());
}

void runImport(Context& ctx, ImportArgs& args) {
  if (args.format == "coco-results" || args.format == "yolo-results") {
    runImportPredictions(ctx, args);
    return;
  }
  auto format = parseFormat(args.format);
  if (!format) { ctx.exitCode = fail(Status::InvalidArgument("unknown format '" + args.format + "'")); return; }
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  for (const auto& t : args.tags)
    for (const auto& tag : splitList(t)) args.options.tags.push_back(tag);
  args.options.probe.decode = !args.noDecode;
  ImportReport report;
  ProgressLine progress(!ctx.quiet);
  Status st = importDataset(**project, *format, args.source, args.options, &report, progress.callback());
  progress.finish();
  if (ctx.json) {
    nlohmann::json issues = nlohmann::json::array();
    for (const auto& i : report.issues) issues.push_back({{"file", i.file}, {"line", i.line}, {"message", i.message}});
    nlohmann::json same = nlohmann::json::array();
    for (const auto& d : report.sameContent) same.push_back({{"file", d.file}, {"same_as", d.existing}});
    printJson({{"ok", st.ok()},
               {"same_content", same},
               {"images_seen", report.imagesSeen},
               {"images_added", report.imagesAdded},
               {"images_already_there", report.imagesAlreadyThere},
               {"images_skipped", report.imagesSkipped},
               {"boxes_added", report.boxesAdded},
               {"boxes_skipped", report.boxesSkipped},
               {"classes_added", report.classesAdded},
               {"image_root", report.imageRoot},
               {"image_root_added", report.imageRootAdded},
               {"issues", issues}});
  } else {
    for (const auto& i : report.issues) std::fprintf(stderr, "quarry: warning: %s\n", i.toString().c_str());
    for (const auto& d : report.sameContent)
      std::fprintf(stderr, "quarry: %s: the same content as %s, already in the project\n", d.file.c_str(),
                   d.existing.c_str());
    std::printf("%s\n", summaryLine(report).c_str());
  }
  if (!st.ok()) ctx.exitCode = fail(st);
}

struct ExportArgs {
  std::string out;
  std::string format = "coco";
  std::string where;
  std::string train, val;
  std::string images = "copy";
  bool reviewedOnly = false;
  bool overwrite = false;
  bool allowNearDuplicates = false;
};

void runExport(Context& ctx, const ExportArgs& args) {
  auto format = parseFormat(args.format);
  if (!format || *format == Format::kFolder) {
    ctx.exitCode = fail(Status::InvalidArgument("unknown export format '" + args.format + "'"));
    return;
  }
  auto project = openProject(ctx);
  if (!project.ok()) { ctx.exitCode = fail(project.status()); return; }
  ExportOptions options;
  if (Status st = resolveQuery(**project, args.where, &options.images); !st.ok()) { ctx.exitCode = fail(st); return; }
  options.trainTags = splitList(args.train);
  options.valTags = splitList(args.val);
  options.onlyReviewed = args.reviewedOnly;
  options.overwrite = args.overwrite;
  options.allowNearDuplicates = args.allowNearDuplicates;
  options.imageCopy = args.images == "link" ? ImageCopy::kHardLink : args.images == "none" ? ImageCopy::kNone : ImageCopy::kCopy;
  ExportReport report;
  ProgressLine progress(!ctx.quiet);
  Status st = exportDataset(**project, *format, args.out, options, &report, progress.callback());
  progress.finish();
  if (!st.ok()) { ctx.exitCode = fail(st); return; }
  for (const auto& m : report.missingImages) std::fprintf(stderr, "quarry: warning: image missing, not copied: %s\n", m.c_str());
  for (const auto& w : report.warnings) std::fprintf(stderr, "quarry: warning: %s\n", w.c_str());
  if (ctx.json) {
    printJson({{"images", report.images}, {"boxes", report.boxes}, {"out", args.out}, {"format", args.format},
               {"missing_images", report.missingImages}});
  } else {
    std::printf("exported %zu images and %zu boxes as %s to %s\n", report.images, report.boxes, args.format.c_str(),
                args.out.c_str());
  }
}

}  // namespace

void addFormatCommands(CLI::App& app, Context& ctx) {
  auto in = std::make_shared<ImportArgs>();
  auto* imp = app.add_subcommand("import", "import images and labels (folder, yolo, voc, coco, cvat, label-studio), "
                                           "or another model's predictions (coco-results)");
  imp->add_option("source", in->source, "folder (folder, yolo, voc), .json or .xml file or its folder (coco, cvat, "
                                        "label-studio), results .json (coco-results)")
      ->required();
  imp->add_option("-f,--format", in->format,
                  "folder | yolo | voc | coco | cvat | label-studio | coco-results or yolo-results (another "
                  "model's detections: a COCO results file, or YOLO label files with a confidence column; with --run)")
      ->capture_default_str()
      ->check(CLI::IsMember(
          {"folder", "yolo", "ultralytics", "voc", "coco", "cvat", "label-studio", "coco-results", "yolo-results"}));
  imp->add_option("--run", in->run, "with -f coco-results or yolo-results: the external run the detections become "
                                    "auto boxes of");
  imp->add_option("-t,--tag", in->tags, "tag every imported image (repeat or comma-separate)");
  imp->add_flag("--folder-tags", in->options.folderTags, "tag each image with its first sub-folder (train, val...)");
  imp->add_flag("--strict", in->options.strict, "stop at the first problem instead of skipping it");
  imp->add_option("--max-pixels", in->options.probe.maxPixels, "refuse images larger than this")->capture_default_str();
  imp->add_flag("--no-decode", in->noDecode, "check image headers only (faster, misses corrupt pixel data)");
  imp->add_option("--threads", in->options.threads, "files read, decoded and hashed at once (0: every core)")
      ->capture_default_str();
  imp->add_option("--chunk", in->options.chunkImages, "images per committed transaction")->capture_default_str();
  imp->callback([&ctx, in] { runImport(ctx, *in); });

  auto out = std::make_shared<ExportArgs>();
  auto* exp = app.add_subcommand("export", "export labelled images (coco, voc, yolo, ultralytics)");
  exp->add_option("out", out->out, "output folder")->required();
  exp->add_option("-f,--format", out->format, "coco | voc | yolo | ultralytics | cvat | label-studio")->capture_default_str()
      ->check(CLI::IsMember({"yolo", "ultralytics", "voc", "coco", "cvat", "label-studio"}));
  exp->add_option("-w,--where", out->where, "image query, e.g. \"tag:GT1 status:reviewed\"");
  exp->add_option("--train", out->train, "tags forming the train set, comma-separated (e.g. GT1,GT2)");
  exp->add_option("--val", out->val, "tags forming the val set (e.g. VAL1)");
  exp->add_flag("--reviewed-only", out->reviewedOnly, "only images whose status is reviewed");
  exp->add_flag("--overwrite", out->overwrite,
                "replace an earlier Quarry export in the folder (a folder it did not make is never replaced)");
  exp->add_flag("--allow-near-duplicates", out->allowNearDuplicates,
                "export even when val images have near-duplicates in the train set (a warning instead)");
  exp->add_option("--images", out->images, "copy | link | none")->capture_default_str()
      ->check(CLI::IsMember({"copy", "link", "none"}));
  exp->callback([&ctx, out] { runExport(ctx, *out); });
}

}  // namespace quarry::cli
