#include "quarry/core/types.h"

namespace quarry {

const char* toString(ImageStatus s) {
  switch (s) {
    case ImageStatus::kUnlabeled: return "unlabeled";
    case ImageStatus::kLabeled: return "labeled";
    case ImageStatus::kReviewed: return "reviewed";
  }
  return "?";
}

const char* toString(BoxSource s) {
  switch (s) {
    case BoxSource::kManual: return "manual";
    case BoxSource::kAuto: return "auto";
    case BoxSource::kCorrected: return "corrected";
  }
  return "?";
}

const char* toString(Difficulty d) {
  switch (d) {
    case Difficulty::kEasy: return "easy";
    case Difficulty::kMedium: return "medium";
    case Difficulty::kHard: return "hard";
  }
  return "?";
}

std::optional<ImageStatus> parseImageStatus(const std::string& s) {
  for (auto v : {ImageStatus::kUnlabeled, ImageStatus::kLabeled, ImageStatus::kReviewed})
    if (s == toString(v)) return v;
  return std::nullopt;
}

std::optional<BoxSource> parseBoxSource(const std::string& s) {
  for (auto v : {BoxSource::kManual, BoxSource::kAuto, BoxSource::kCorrected})
    if (s == toString(v)) return v;
  return std::nullopt;
}

std::optional<Difficulty> parseDifficulty(const std::string& s) {
  for (auto v : {Difficulty::kEasy, Difficulty::kMedium, Difficulty::kHard})
    if (s == toString(v)) return v;
  return std::nullopt;
}

const char* toString(LabelAction a) {
  switch (a) {
    case LabelAction::kDraw: return "draw";
    case LabelAction::kAdjust: return "adjust";
    case LabelAction::kDelete: return "delete";
    case LabelAction::kVerify: return "verify";
  }
  return "?";
}

std::optional<LabelAction> parseLabelAction(const std::string& s) {
  for (int i = 0; i < kLabelActionCount; ++i)
    if (s == toString(static_cast<LabelAction>(i))) return static_cast<LabelAction>(i);
  return std::nullopt;
}

}  // namespace quarry
