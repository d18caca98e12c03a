#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace gridcase::domain {

/// One row of an enum's table of names: how the API, the database and the logs spell a value.
template <class Enum>
struct EnumName {
  Enum value;
  std::string_view name;
};

/// An enum's names, one row per value in declaration order: the one place it is spelt.
template <class Enum, std::size_t N>
using EnumNames = std::array<EnumName<Enum>, N>;

namespace enum_names_detail {

/// True when `Value` is one of its enum's enumerators. g++ and clang write a template argument
/// that is an enumerator by its name ("Value = gridcase::domain::Light::kRed") and any other
/// value of the type as a cast ("Value = (gridcase::domain::Light)3"); C++20 has no other way
/// to ask at compile time.
template <auto Value>
constexpr bool is_enumerator() {
  constexpr std::string_view kSignature = __PRETTY_FUNCTION__;
  constexpr std::size_t kAt = kSignature.find("Value = ");
  static_assert(kAt != std::string_view::npos, "a compiler that names template arguments");
  return kSignature[kAt + 8] != '(';
}

}  // namespace enum_names_detail

/// True when `names` has row i for value i, each with its own non-empty name, and no value
/// follows the last row: every value of an enum numbered 0, 1, 2, ..., once, in order. Each
/// table is checked with a static_assert beside it, so a new enumerator without a name fails
/// the build.
template <class Enum, std::size_t N>
constexpr bool covers_every_value(const EnumNames<Enum, N>& names) {
  for (std::size_t i = 0; i < N; ++i) {
    if (static_cast<std::size_t>(names[i].value) != i || names[i].name.empty()) return false;
    for (std::size_t j = 0; j < i; ++j) {
      if (names[j].name == names[i].name) return false;
    }
  }
  return !enum_names_detail::is_enumerator<static_cast<Enum>(N)>();
}

/// True when `values` (a kAll... array) lists the values of `names` in its order.
template <class Enum, std::size_t N, std::size_t M>
constexpr bool lists_every_value(const Enum (&values)[M], const EnumNames<Enum, N>& names) {
  if (M != N) return false;
  for (std::size_t i = 0; i < N; ++i) {
    if (values[i] != names[i].value) return false;
  }
  return true;
}

/// The name of `value` (tables are indexed by value: covers_every_value holds); "unknown" for
/// a value cast from a number that names none.
template <class Enum, std::size_t N>
constexpr std::string_view name_of(const EnumNames<Enum, N>& names, Enum value) {
  const auto index = static_cast<std::size_t>(value);
  return index < N ? names[index].name : std::string_view{"unknown"};
}

/// The value named `text`, or nullopt.
template <class Enum, std::size_t N>
constexpr std::optional<Enum> value_named(const EnumNames<Enum, N>& names, std::string_view text) {
  for (const EnumName<Enum>& row : names) {
    if (row.name == text) return row.value;
  }
  return std::nullopt;
}

}  // namespace gridcase::domain
