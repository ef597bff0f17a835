// libFuzzer target: the CVAT for images reader, with the input as annotations.xml.
#include "fuzz_support.h"

using namespace quarry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto root = fuzz::scratch() / "cvat";
  static const bool ready = [&] {
    fuzz::write(root / "images" / "a.png", "not decoded by the parser");
    return true;
  }();
  (void)ready;
  fuzz::write(root / "annotations.xml", data, size);
  fuzz::parseAndCheck([&](auto& o, auto* d, auto* r) { return detail::parseCvat(root / "annotations.xml", o, d, r); });
  return 0;
}
