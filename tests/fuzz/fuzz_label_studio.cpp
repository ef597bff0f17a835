// libFuzzer target: the Label Studio JSON reader, with the input as the list of tasks.
#include "fuzz_support.h"

using namespace quarry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto root = fuzz::scratch() / "label_studio";
  static const bool ready = [&] {
    fuzz::write(root / "images" / "a.png", "not decoded by the parser");
    return true;
  }();
  (void)ready;
  fuzz::write(root / "result.json", data, size);
  fuzz::parseAndCheck([&](auto& o, auto* d, auto* r) { return detail::parseLabelStudio(root / "result.json", o, d, r); });
  return 0;
}
