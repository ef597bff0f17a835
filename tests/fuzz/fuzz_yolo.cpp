// libFuzzer target: the YOLO reader, with the input as a label file and as data.yaml.
#include "fuzz_support.h"

using namespace quarry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto labels = fuzz::scratch() / "labels-as-input";
  const auto yaml = fuzz::scratch() / "yaml-as-input";
  static const bool ready = [&] {
    fuzz::write(labels / "classes.txt", "a\nb\nc\n");
    fuzz::write(labels / "images" / "x.png", "not decoded by the parser");
    fuzz::write(yaml / "images" / "x.png", "not decoded by the parser");
    fuzz::write(yaml / "labels" / "x.txt", "1 0.5 0.5 0.2 0.2\n");
    return true;
  }();
  (void)ready;
  fuzz::write(labels / "labels" / "x.txt", data, size);
  fuzz::write(yaml / "data.yaml", data, size);
  fuzz::parseAndCheck([&](auto& o, auto* d, auto* r) { return detail::parseYolo(labels, o, d, r); });
  fuzz::parseAndCheck([&](auto& o, auto* d, auto* r) { return detail::parseYolo(yaml, o, d, r); });
  return 0;
}
