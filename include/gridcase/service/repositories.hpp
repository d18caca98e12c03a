#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/case_status.hpp"
#include "gridcase/domain/catalog.hpp"
#include "gridcase/domain/error.hpp"
#include "gridcase/domain/grid.hpp"
#include "gridcase/domain/scope.hpp"
#include "gridcase/domain/time.hpp"
#include "gridcase/domain/timers.hpp"

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

/// A grid change staged in the current transaction (GridRepository::stage_change).
struct StagedGridChange {
  std::vector<domain::FieldError> problems;   // values that make no sense: nothing may be written
  std::vector<domain::FieldError> conflicts;  // the grid's users stand in the way (units, duties)
  std::string date;                           // the change's date, YYYY-MM-DD
  std::vector<std::string> retired;           // every node that ends: the current subtrees
  std::vector<std::string> added;             // every node that begins
};

/// What applying a staged change did.
struct AppliedGridChange {
  /// Open cases no current cell contains after the change: the caller must roll back.
  std::vector<domain::FieldError> conflicts;
  /// {"date", "retired": {level: n}, "imported": {level: n}, "relocated": [...], "duties_ended"}
  JsonText summary;
};

class GridRepository {
 public:
  virtual ~GridRepository() = default;
  /// The current cell covering `point` with its chain, and its responsible officers when the
  /// cell lies inside `reader` (officers' names and phones stay within a scope), or nullopt.
  virtual std::optional<JsonText> locate(const domain::Point& point,
                                         const domain::Scope& reader) = 0;
  /// A node, current or retired; its children are the current ones, or with `history` all.
  virtual std::optional<JsonText> find_node(std::string_view code, bool with_geometry,
                                            bool history) = 0;
  /// Current cells of a subtree, by code (with `history`, retired ones too); nullopt when the
  /// node does not exist.
  virtual std::optional<JsonText> list_cells(std::string_view code, const PageRequest& page,
                                             bool history) = 0;
  /// The current nodes of `level` under `code` as a GeoJSON FeatureCollection, each with the
  /// open and overdue cases `reader` may read; nullopt when the node does not exist.
  virtual std::optional<JsonText> map(std::string_view code, domain::GridLevel level,
                                      const domain::Scope& reader) = 0;
  /// Officers responsible for any current cell of a subtree that lies inside `reader`, with
  /// those duties only; nullopt when the node does not exist.
  virtual std::optional<JsonText> list_officers(std::string_view code, const PageRequest& page,
                                                const domain::Scope& reader) = 0;
  /// The checks that need the database (parents exist, codes unused, geometry valid and inside
  /// its parent, siblings disjoint), then the inserts. Returns every problem found; the caller
  /// must roll back when there are any.
  virtual std::vector<domain::FieldError> import_nodes(
      const std::vector<domain::GridNodeInput>& nodes) = 0;
  /// Stages a change of the grid and finds every problem with it, writing nothing yet: the
  /// codes to retire are `change.retire` (each with its current subtree), or, for a replacing
  /// import, the current nodes whose parent the file names as an existing node and that the file
  /// leaves out (the nodes it names that exist are kept and must be unchanged). A change takes
  /// effect at the latest on the district's local date at `now` (default: that day).
  virtual StagedGridChange stage_change(const domain::GridChange& change, bool replacing_import,
                                        domain::Timestamp now) = 0;
  /// Applies the change staged last: the retired nodes end, the new ones begin, duties over
  /// retired cells end, and every open case of a retired cell is located again by its point
  /// (an event `locate` by `actor` at `now` and a row of its attribute history).
  virtual AppliedGridChange apply_change(std::string_view actor, domain::Timestamp now) = 0;
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
  /// The catalogue, current entries only unless `include_retired`; one category when `key`.
  virtual JsonText list_categories(bool include_retired, const std::optional<std::string>& key) = 0;
  /// Inserts units, updating name/type/scope of existing codes. Returns unknown scope codes.
  virtual std::vector<domain::FieldError> upsert_units(const std::vector<domain::Unit>& units) = 0;
  /// Makes `categories` the current catalogue: listed entries are added, updated or reinstated;
  /// categories and conditions left out are retired, never deleted.
  virtual void replace_categories(const std::vector<domain::Category>& categories) = 0;
  /// Locks a category: nullopt when there is none, else whether it is current (not retired).
  virtual std::optional<bool> lock_category(std::string_view key) = 0;
  /// Replaces the category's stage-limit overrides with `limits` (empty: none).
  virtual void replace_time_limits(
      std::string_view key, const std::map<domain::StageTimer, domain::TimeLimit>& limits) = 0;
};

/// One labelled gauge value for /metrics, e.g. {"gridcase_grid_nodes", "level", "cell", 4556}.
struct Gauge {
  std::string name;
  std::string label;
  std::string label_value;
  long long value = 0;
  std::string help = {};  // the metric's # HELP text, read from the first gauge of its name
};

/// The district's open cases as /metrics counts them (no case data): the number in each open
/// status that has any, and the running handling timer of every open case that has one.
struct OpenCases {
  std::vector<std::pair<domain::CaseStatus, long long>> by_status;
  std::vector<domain::TimerState> handling;
};

class HealthRepository {
 public:
  virtual ~HealthRepository() = default;
  /// Names of migrations the binary carries that the database has not applied.
  virtual std::vector<std::string> pending_migrations() = 0;
  /// Current row counts (grid nodes by level, cases by status) for /metrics.
  virtual std::vector<Gauge> gauges() = 0;
  /// The open cases of the whole database for /metrics (HealthService's open-case gauges).
  virtual OpenCases open_cases() { return {}; }
  /// PostgreSQL's clock now (clock_timestamp(), not the transaction's start), for readiness's
  /// offset check; nullopt where there is no database clock (in-memory tests).
  virtual std::optional<domain::Timestamp> database_now() { return std::nullopt; }
};

class CaseRepository;
class IdempotencyRepository;
class CalendarRepository;
class SchedulerRepository;
class AccountRepository;
class ReportRepository;
class AuditRepository;
class RetentionRepository;
class StaffRepository;
class AddressRepository;
class Open311Repository;
class AttachmentRepository;
class WebhookRepository;

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
  StaffRepository& staff;
  AddressRepository& addresses;
  Open311Repository& open311;
  AttachmentRepository& attachments;
  WebhookRepository& webhooks;
};

}  // namespace gridcase::service
