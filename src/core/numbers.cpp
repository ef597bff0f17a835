#include "quarry/core/numbers.h"

#include <charconv>
#include <system_error>

namespace quarry {
namespace {

std::string_view trimmed(std::string_view s) {
  constexpr std::string_view kBlank = " \t\r\n\f\v";
  const auto first = s.find_first_not_of(kBlank);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kBlank) - first + 1);
}

// from_chars takes a '-' but not a '+'; a '+' before another sign is still an error.
std::string_view withoutPlus(std::string_view s) {
  if (s.size() > 1 && s[0] == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
  return s;
}

}  // namespace

std::optional<double> parseDouble(std::string_view text) {
  const std::string_view s = withoutPlus(trimmed(text));
  if (s.empty()) return std::nullopt;
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parseInteger(std::string_view text) {
  const std::string_view s = withoutPlus(trimmed(text));
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace quarry
