#include "http/authentication.hpp"

#include <gtest/gtest.h>

#include "gridcase/service/credentials.hpp"

namespace gridcase::http {
namespace {

Request with_authorization(std::string_view value) {
  Request request;
  request.message.set(beast_http::field::authorization, value);
  return request;
}

domain::ErrorCode code_of(const Request& request) {
  try {
    bearer_token_of(request);
  } catch (const domain::Error& error) {
    return error.code();
  }
  return domain::ErrorCode::kInternal;
}

TEST(BearerTokenTest, TheTokenAfterTheSchemeInAnyCase) {
  EXPECT_EQ(bearer_token_of(with_authorization("Bearer gct_abc")), "gct_abc");
  EXPECT_EQ(bearer_token_of(with_authorization("bearer  gct_abc ")), "gct_abc");
  EXPECT_EQ(bearer_token_of(with_authorization("BEARER gct_abc")), "gct_abc");
}

TEST(BearerTokenTest, MissingOrOtherSchemesAre401) {
  EXPECT_EQ(code_of(Request{}), domain::ErrorCode::kUnauthenticated);
  for (const char* value :
       {"Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "Bearergct_abc", "gct_abc"}) {
    EXPECT_EQ(code_of(with_authorization(value)), domain::ErrorCode::kUnauthenticated) << value;
  }
}

TEST(CallerTest, AnUnauthenticatedRequestHasNoCaller) {
  EXPECT_THROW(caller_of(Request{}), domain::Error);
}

TEST(CredentialsTest, TokensAreRandomAndHashedToHex) {
  const std::string first = service::new_token();
  const std::string second = service::new_token();

  EXPECT_NE(first, second);
  EXPECT_TRUE(service::is_token_shaped(first));
  EXPECT_FALSE(service::is_token_shaped("gct_" + std::string(64, 'G')));
  EXPECT_EQ(service::token_digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(service::equal_in_constant_time("abc", "abc"));
  EXPECT_FALSE(service::equal_in_constant_time("abc", "abd"));
  EXPECT_FALSE(service::equal_in_constant_time("abc", "abcd"));
}

TEST(CredentialsTest, PasswordsAreArgon2idAndVerify) {
  const std::string hash = service::hash_password("correct horse", service::PasswordCost::kMinimum);

  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_TRUE(service::verify_password(hash, "correct horse"));
  EXPECT_FALSE(service::verify_password(hash, "correct horsE"));
  EXPECT_FALSE(service::verify_password("plain", "plain"));
}

}  // namespace
}  // namespace gridcase::http
