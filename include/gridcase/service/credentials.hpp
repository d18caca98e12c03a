#pragma once

#include <string>
#include <string_view>

namespace gridcase::service {

/// How hard argon2id works per password (libsodium's limits). kInteractive is the default for
/// logins; kMinimum exists for throwaway databases only.
enum class PasswordCost { kMinimum, kInteractive, kModerate };

/// argon2id in libsodium's self-describing string form ($argon2id$v=19$m=…).
std::string hash_password(std::string_view password, PasswordCost cost);
/// True when `password` matches `hash`; false for a hash that is not argon2id.
bool verify_password(std::string_view hash, std::string_view password);
/// A hash of a password nobody knows: verified against when a user does not exist, so that the
/// answer takes as long as for a real user.
const std::string& decoy_password_hash();

/// A new bearer token: "gct_" and 64 hex digits (256 random bits).
std::string new_token();
/// True for text shaped like new_token()'s.
bool is_token_shaped(std::string_view text);
/// SHA-256 of the token in lowercase hex: what is stored and looked up.
std::string token_digest(std::string_view token);
/// Compares equal-length byte strings in time independent of their contents.
bool equal_in_constant_time(std::string_view a, std::string_view b);
/// A random password for seeded accounts: 20 characters of [a-zA-Z0-9].
std::string random_password();

}  // namespace gridcase::service
