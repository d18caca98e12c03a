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
  boost::asio::awaitable<JsonText> categories() const;
  /// Adds or updates units. Throws kInvalidValue naming units whose scope is no grid node. For
  /// the command line only: the audit log records it as done by `cli`.
  boost::asio::awaitable<void> upsert_units(std::vector<domain::Unit> units) const;
  /// Replaces the whole catalogue. Throws kInvalidValue listing every problem.
  boost::asio::awaitable<void> replace_categories(std::vector<domain::Category> categories,
                                                  const domain::Actor& actor) const;

 private:
  TransactionRunner& transactions_;
};

}  // namespace gridcase::service
