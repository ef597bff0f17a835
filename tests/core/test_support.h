// Helpers the core tests share: temporary folders, small image files, and projects.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "quarry/store/project.h"

namespace quarry::test {

// A fresh folder per test, removed afterwards even when an assertion fails.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& rel) const { return path_ / rel; }

 private:
  std::filesystem::path path_;
};

// Writes a grey image of this size; the format follows the extension (.png, .jpg, .bmp, .tif).
void writeImage(const std::filesystem::path& file, int width, int height, int seed = 0);
void writeText(const std::filesystem::path& file, const std::string& text);
std::string readText(const std::filesystem::path& file);

// A new project in `dir`, failing the test when it cannot be made.
std::unique_ptr<Project> newProject(const std::filesystem::path& dir);

// Work saved before a risky operation: saved.png (40 x 30) in the project folder with one box
// of class "a" at x = 3 and the tag GT1. expectSavedWorkIntact checks all of it is still there.
ImageId addSavedWork(Project& project);
void expectSavedWorkIntact(const Project& project, ImageId saved);

}  // namespace quarry::test
