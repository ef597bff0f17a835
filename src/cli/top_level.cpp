#include "cli/top_level.h"

#include "cli/exit_codes.h"

#include <cstdio>
#include <string>

namespace quarry::cli {
namespace {

// "train" or "tag add": the subcommands CLI11 has seen so far, outermost first.
std::string commandOf(const CLI::App& app) {
  std::string name;
  for (const CLI::App* sub = &app;;) {
    const auto subs = sub->get_subcommands();
    if (subs.empty()) break;
    sub = subs.front();
    name += (name.empty() ? "" : " ") + sub->get_name();
  }
  return name.empty() ? "quarry" : name;
}

int unexpected(const CLI::App& app, const char* what) {
  std::fprintf(stderr, "quarry: error: %s failed unexpectedly: %s\n", commandOf(app).c_str(), what);
  return kExitFailure;
}

}  // namespace

int runTopLevel(CLI::App& app, int argc, const char* const* argv, const int* commandExitCode) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  } catch (const std::exception& e) {
    return unexpected(app, e.what());
  } catch (...) {
    return unexpected(app, "an exception that is not a std::exception");
  }
  return *commandExitCode;
}

}  // namespace quarry::cli
