#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace gridcase::domain {

/// Characters (UTF-8 code points) in `text`; nullopt when `text` is not valid UTF-8 (overlong
/// forms, surrogates and code points above U+10FFFF included: PostgreSQL refuses them).
std::optional<std::size_t> utf8_length(std::string_view text);

/// What a PostgreSQL text value can hold: valid UTF-8 without U+0000 (libpq would also cut a
/// parameter short at a NUL).
bool is_storable_text(std::string_view text);

/// True when `text` holds a control character (Unicode category Cc): U+0000–U+001F, U+007F or
/// U+0080–U+009F. `line_breaks` lets tab, line feed and carriage return through (free text
/// such as a description or a note); names, labels and addresses are one line. `text` must be
/// valid UTF-8 (every JSON string is).
bool has_control_characters(std::string_view text, bool line_breaks = false);

}  // namespace gridcase::domain
