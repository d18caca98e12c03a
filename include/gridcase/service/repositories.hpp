#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/catalog.hpp"
#include "gridcase/domain/error.hpp"
#include "gridcase/domain/grid.hpp"
#include "gridcase/domain/scope.hpp"

namespace gridcase::service {

/// A JSON document built by PostgreSQL, passed to the client untouched.
struct JsonText {
  std::string text;
};

/// Keyset page request: `after` is the cursor the previous page returned.
struct PageRequest {
  std::optional<std::string> after;
  int limit = 50;
};

class GridRepository {
 public:
  virtual ~GridRepository() = default;
  /// The current cell covering `point` with its chain, and its responsible officers when the
  /// cell lies inside `reader` (officers' names and phones stay within a scope), or nullopt.
  virtual std::optional<JsonText> locate(const domain::Point& point,
                                         const domain::Scope& reader) = 0;
  virtual std::optional<JsonText> find_node(std::string_view code, bool with_geometry) = 0;
  /// Current cells of a subtree, by code; nullopt when the node does not exist.
  virtual std::optional<JsonText> list_cells(std::string_view code, const PageRequest& page) = 0;
  /// Officers responsible for any current cell of a subtree that lies inside `reader`, with
  /// those duties only; nullopt when the node does not exist.
  virtual std::optional<JsonText> list_officers(std::string_view code, const PageRequest& page,
                                                const domain::Scope& reader) = 0;
  /// The checks that need the database (parents exist, codes unused, geometry valid and inside
  /// its parent, siblings disjoint), then the inserts. Returns every problem found; the caller
  /// must roll back when there are any.
  virtual std::vector<domain::FieldError> import_nodes(
      const std::vector<domain::GridNodeInput>& nodes) = 0;
  virtual void add_officers(const std::vector<domain::Officer>& officers) = 0;
  /// For each of `officer_codes`, the codes of the cells that officer is currently responsible
  /// for (any duty), sorted; in one read. An unknown or inactive officer has none.
  virtual std::map<std::string, std::vector<std::string>> officer_cells(
      const std::vector<std::string>& officer_codes) = 0;
};

class CatalogRepository {
 public:
  virtual ~CatalogRepository() = default;
  virtual JsonText list_units() = 0;
  virtual JsonText list_categories() = 0;
  /// Inserts units, updating name/type/scope of existing codes. Returns unknown scope codes.
  virtual std::vector<domain::FieldError> upsert_units(const std::vector<domain::Unit>& units) = 0;
  virtual void replace_categories(const std::vector<domain::Category>& categories) = 0;
};

/// One labelled gauge value for /metrics, e.g. {"gridcase_grid_nodes", "level", "cell", 4556}.
struct Gauge {
  std::string name;
  std::string label;
  std::string label_value;
  long long value = 0;
};

class HealthRepository {
 public:
  virtual ~HealthRepository() = default;
  /// Names of migrations the binary carries that the database has not applied.
  virtual std::vector<std::string> pending_migrations() = 0;
  /// Current row counts (grid nodes by level, cases by status) for /metrics.
  virtual std::vector<Gauge> gauges() = 0;
};

class CaseRepository;
class IdempotencyRepository;
class CalendarRepository;
class SchedulerRepository;
class AccountRepository;
class ReportRepository;
class AuditRepository;
class RetentionRepository;
class AddressRepository;

/// Everything one transaction may touch.
struct Repositories {
  GridRepository& grid;
  CatalogRepository& catalog;
  HealthRepository& health;
  CaseRepository& cases;
  IdempotencyRepository& idempotency;
  CalendarRepository& calendar;
  SchedulerRepository& scheduler;
  AccountRepository& accounts;
  ReportRepository& reports;
  AuditRepository& audit;
  RetentionRepository& retention;
  AddressRepository& addresses;
};

}  // namespace gridcase::service
