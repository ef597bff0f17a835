// Numbers read from text (label files, XML, dialog fields, query text) the same way under every
// locale. strtod, stod and istream follow the C or C++ locale, and Qt sets the C locale from the
// environment, so under a locale with decimal commas "0.2" would read as 0 or fail. These use
// std::from_chars, which knows no locale.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace quarry {

// The whole of `text` as a decimal number: surrounding blanks (spaces, tabs, line breaks) and a
// leading '+' are allowed; anything else after the number, an empty text or a value out of
// range gives nothing. "inf" and "nan" parse: callers that need a finite value check it.
std::optional<double> parseDouble(std::string_view text);

// The whole of `text` as a base-10 integer, with the same leniency; "3.0" is not an integer.
std::optional<std::int64_t> parseInteger(std::string_view text);

}  // namespace quarry
