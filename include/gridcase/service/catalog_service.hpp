#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "gridcase/domain/case.hpp"
#include "gridcase/service/repositories.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

class CatalogService {
 public:
  explicit CatalogService(TransactionRunner& transactions) : transactions_(transactions) {}

  /// Throws kForbidden for an integration (domain::require_grid_reader).
  boost::asio::awaitable<JsonText> units(const domain::Actor& reader) const;
  /// The catalogue: current categories and conditions, and retired ones too when asked.
  boost::asio::awaitable<JsonText> categories(bool include_retired) const;
  /// Adds or updates units. Throws kInvalidValue naming units whose scope is no grid node. For
  /// the command line only: the audit log records it as done by `cli`.
  boost::asio::awaitable<void> upsert_units(std::vector<domain::Unit> units) const;
  /// Makes `categories` the current catalogue: what it lists is added, updated or reinstated,
  /// what it leaves out is retired, never deleted. Throws kInvalidValue listing every problem.
  boost::asio::awaitable<void> replace_categories(std::vector<domain::Category> categories,
                                                  const domain::Actor& actor) const;
  /// Replaces a category's stage-limit overrides (none: the deployment's default applies) and
  /// returns the category as GET /api/v1/categories shows it. Cases registered from now on
  /// keep them; cases registered before keep theirs. Throws, in this order: kNotFound for no
  /// such category, kForbidden unless a district-wide admin, kConflict for a retired one,
  /// kInvalidValue listing every bad override.
  boost::asio::awaitable<JsonText> replace_time_limits(
      std::string key, std::vector<domain::TimeLimitOverride> overrides,
      const domain::Actor& actor) const;

 private:
  TransactionRunner& transactions_;
};

}  // namespace gridcase::service
