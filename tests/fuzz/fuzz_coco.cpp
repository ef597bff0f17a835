// libFuzzer target: the COCO reader, with the input as the annotations JSON.
#include "fuzz_support.h"

using namespace quarry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto root = fuzz::scratch() / "coco";
  static const bool ready = [&] {
    fuzz::write(root / "images" / "a.png", "not decoded by the parser");
    fuzz::write(root / "images" / "b.png", "not decoded by the parser");
    return true;
  }();
  (void)ready;
  fuzz::write(root / "annotations.json", data, size);
  fuzz::parseAndCheck([&](auto& o, auto* d, auto* r) { return detail::parseCoco(root / "annotations.json", o, d, r); });
  return 0;
}
