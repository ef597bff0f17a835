// libFuzzer target: the Pascal VOC reader, with the input as an annotation file.
#include "fuzz_support.h"

using namespace quarry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto root = fuzz::scratch() / "voc";
  static const bool ready = [&] {
    fuzz::write(root / "JPEGImages" / "a.png", "not decoded by the parser");
    fuzz::write(root / "JPEGImages" / "b.jpg", "not decoded by the parser");
    return true;
  }();
  (void)ready;
  fuzz::write(root / "Annotations" / "a.xml", data, size);
  fuzz::parseAndCheck([&](auto& o, auto* d, auto* r) { return detail::parseVoc(root, o, d, r); });
  return 0;
}
