// The CLI's outermost frame: whatever a command throws ends as one error line and exit 1, never
// std::terminate(); CLI11's own outcomes keep their codes.
#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/top_level.h"

namespace quarry::cli {
namespace {

struct Outcome {
  int code = -1;
  std::string err;
};

// An app like quarry's: a `tag add` command and a `boom` command whose body is `body`.
Outcome run(std::vector<const char*> args, const std::function<void()>& body, int commandExitCode = 0) {
  CLI::App app{"test"};
  app.require_subcommand(1);
  auto* tag = app.add_subcommand("tag", "tags");
  tag->require_subcommand(1);
  tag->add_subcommand("add", "add a tag")->callback(body);
  app.add_subcommand("boom", "throws")->callback(body);
  args.insert(args.begin(), "quarry");
  testing::internal::CaptureStderr();
  Outcome o;
  o.code = runTopLevel(app, static_cast<int>(args.size()), args.data(), &commandExitCode);
  o.err = testing::internal::GetCapturedStderr();
  return o;
}

TEST(CliTopLevel, ALibraryExceptionIsOneErrorLineNamingTheCommandAndExit1) {
  const Outcome o = run({"tag", "add"}, [] { throw std::runtime_error("the disk is on fire"); });
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "quarry: error: tag add failed unexpectedly: the disk is on fire\n");
}

TEST(CliTopLevel, AnExceptionThatIsNoStdExceptionIsCaughtToo) {
  const Outcome o = run({"boom"}, [] { throw 42; });
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("quarry: error: boom failed unexpectedly"), std::string::npos) << o.err;
}

TEST(CliTopLevel, ACommandThatReturnsKeepsItsExitCode) {
  EXPECT_EQ(run({"boom"}, [] {}).code, 0);
  EXPECT_EQ(run({"boom"}, [] {}, 130).code, 130);
}

TEST(CliTopLevel, AParseErrorIsAUsageError) {
  const Outcome o = run({"boom", "--no-such-option"}, [] {});
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("no-such-option"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace quarry::cli
