#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/account_repository.hpp"

namespace gridcase::storage {

class PgAccountRepository final : public service::AccountRepository {
 public:
  explicit PgAccountRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  std::optional<service::StoredUser> find_user(std::string_view username) override;
  std::vector<service::StoredUser> list_users() override;
  bool scope_exists(const domain::Scope& scope) override;
  bool insert_user(const domain::UserSpec& user,
                   const std::optional<std::string>& password_hash) override;
  void update_user(long long user_id, const domain::UserSpec& user,
                   const std::optional<std::string>& password_hash) override;
  long long insert_token(long long user_id, service::TokenKind kind,
                         const std::optional<std::string>& label, std::string_view digest,
                         domain::Timestamp expires_at) override;
  std::vector<service::TokenOwner> find_tokens(const std::vector<std::string>& digests,
                                               domain::Timestamp now) override;
  std::optional<service::TokenOwner> find_token(std::string_view digest,
                                                domain::Timestamp now) override;
  std::vector<service::TokenRecord> list_tokens(long long user_id) override;
  bool revoke_token(long long user_id, long long token_id, domain::Timestamp now) override;
  void revoke_tokens_of(long long user_id, domain::Timestamp now) override;
  std::optional<domain::Timestamp> count_login_attempt(
      std::string_view user_key, std::string_view address_key, domain::Timestamp now,
      const domain::LoginThrottle& throttle) override;
  void undo_login_attempt(std::string_view user_key, std::string_view address_key) override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
