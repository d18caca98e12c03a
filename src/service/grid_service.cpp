#include "gridcase/service/grid_service.hpp"

#include <chrono>

#include "gridcase/domain/access.hpp"
#include "gridcase/domain/problem_list.hpp"
#include "gridcase/service/audit_service.hpp"

namespace gridcase::service {
namespace {

using domain::Error;
using domain::ErrorCode;

[[noreturn]] void throw_unknown_node(const std::string& code) {
  throw Error(ErrorCode::kNotFound, "no grid node " + code);
}

/// Officer codes (staff numbers) are 1 to 32 characters; the officer list pages by them.
constexpr std::size_t kMaxOfficerCodeChars = 32;

void require_limit(const PageRequest& page) {
  if (page.limit < 1 || page.limit > kMaxPageLimit) {
    domain::throw_invalid("limit", "from 1 to " + std::to_string(kMaxPageLimit));
  }
}

/// What an import's audit record names: the shortest code imported, the top of what it added.
std::string import_target(const std::vector<domain::GridNodeInput>& nodes) {
  std::string top;
  for (const domain::GridNodeInput& node : nodes) {
    if (top.empty() || node.code.size() < top.size() ||
        (node.code.size() == top.size() && node.code < top)) {
      top = node.code;
    }
  }
  return top;
}

[[noreturn]] void refuse_change(std::vector<domain::FieldError> problems) {
  domain::refuse_with_problems(std::move(problems), "the grid change", "changed", "features");
}

[[noreturn]] void refuse_conflicts(std::vector<domain::FieldError> conflicts) {
  const std::size_t total = conflicts.size();  // before they are moved into the details
  throw Error(ErrorCode::kConflict,
              "the grid change is blocked by " + std::to_string(total) +
                  " thing(s) that use the nodes it retires; nothing was changed",
              {.fields = domain::bounded_problems(std::move(conflicts), "features")});
}

/// The refusals of a one-node retirement name the node of the route (`code`), not `retire[0]`.
void rename_retire_fields(std::vector<domain::FieldError>& problems, const std::string& field) {
  if (field == "retire") return;
  for (domain::FieldError& problem : problems) {
    if (problem.field.starts_with("retire[")) problem.field = field;
  }
}

}  // namespace

void require_page(const PageRequest& page) {
  require_limit(page);
  if (page.after && domain::code_problem(*page.after, domain::GridLevel::kCell)) {
    domain::throw_invalid("cursor", "not a cursor this list returned");
  }
}

boost::asio::awaitable<JsonText> GridService::locate(domain::Point point,
                                                     const domain::Actor& reader) const {
  domain::require_grid_reader(reader);
  domain::require_possible(point);
  std::optional<JsonText> found;
  co_await transactions_.read(
      [&](Repositories& repos) { found = repos.grid.locate(point, reader.scope); });
  if (!found) {
    throw Error(
        ErrorCode::kInvalidValue, "the point lies outside every grid cell",
        {.fields = {{"lon", "outside every grid cell"}, {"lat", "outside every grid cell"}}});
  }
  co_return std::move(*found);
}

boost::asio::awaitable<JsonText> GridService::node(std::string code, bool with_geometry,
                                                   bool history) const {
  domain::require_grid_code(code, "code");
  std::optional<JsonText> found;
  co_await transactions_.read(
      [&](Repositories& repos) { found = repos.grid.find_node(code, with_geometry, history); });
  if (!found) throw_unknown_node(code);
  co_return std::move(*found);
}

boost::asio::awaitable<JsonText> GridService::node(std::string code, bool with_geometry,
                                                   const domain::Actor& reader,
                                                   bool history) const {
  domain::require_grid_reader(reader);
  co_return co_await node(std::move(code), with_geometry, history);
}

boost::asio::awaitable<JsonText> GridService::cells(std::string code, PageRequest page,
                                                    const domain::Actor& reader,
                                                    bool history) const {
  domain::require_grid_reader(reader);
  domain::require_grid_code(code, "code");
  require_page(page);
  std::optional<JsonText> found;
  co_await transactions_.read(
      [&](Repositories& repos) { found = repos.grid.list_cells(code, page, history); });
  if (!found) throw_unknown_node(code);
  co_return std::move(*found);
}

boost::asio::awaitable<JsonText> GridService::map(std::string code,
                                                  std::optional<std::string> level,
                                                  const domain::Actor& reader) const {
  domain::require_grid_reader(reader);
  domain::require_grid_code(code, "code");
  domain::confine_read(reader.scope, code);  // kNotFound outside a grid-confined reader's node
  const domain::GridLevel shown = domain::map_level(code, level);
  std::optional<JsonText> found;
  co_await transactions_.read(
      [&](Repositories& repos) { found = repos.grid.map(code, shown, reader.scope); });
  if (!found) throw_unknown_node(code);
  co_return std::move(*found);
}

boost::asio::awaitable<JsonText> GridService::officers(std::string code, PageRequest page,
                                                       const domain::Actor& reader) const {
  domain::require_grid_reader(reader);
  domain::require_grid_code(code, "grid");
  domain::confine_read(reader.scope, code);  // kNotFound outside a grid-confined reader's node
  require_limit(page);
  if (page.after && (page.after->empty() || page.after->size() > kMaxOfficerCodeChars)) {
    domain::throw_invalid("cursor", "not a cursor this list returned");
  }
  std::optional<JsonText> found;
  co_await transactions_.read(
      [&](Repositories& repos) { found = repos.grid.list_officers(code, page, reader.scope); });
  if (!found) throw_unknown_node(code);
  co_return std::move(*found);
}

boost::asio::awaitable<std::vector<std::string>> GridService::officer_cells(
    std::string officer_code) const {
  std::vector<std::string> cells;
  co_await transactions_.read(
      [&](Repositories& repos) { cells = repos.grid.officer_cells({officer_code})[officer_code]; });
  co_return cells;
}

boost::asio::awaitable<ImportSummary> GridService::import(std::vector<domain::GridNodeInput> nodes,
                                                          const domain::Actor& actor) const {
  domain::require_district_admin(actor, "import the grid");
  std::vector<domain::FieldError> problems = domain::validate_grid_import(nodes);
  if (problems.empty()) {
    try {
      co_await transactions_.run([&](Repositories& repos) {
        problems = repos.grid.import_nodes(nodes);
        if (!problems.empty()) {
          throw Error(ErrorCode::kInvalidValue, "import refused");  // rolls the inserts back
        }
        // Every code of an import is new (import_nodes refuses a code in use): nothing before.
        record_change(repos.audit, actor.id, domain::AuditAction::kGridImport, import_target(nodes),
                      std::nullopt, AuditSubject::kGrid, codes_of(nodes));
      });
    } catch (const Error&) {
      // The rollback above is reported below with every problem; anything else goes up as is.
      if (problems.empty()) throw;
    }
  }
  if (!problems.empty()) {
    domain::refuse_with_problems(std::move(problems), "the grid import", "imported", "features");
  }
  ImportSummary summary;
  for (const domain::GridNodeInput& node : nodes)
    ++summary.nodes_by_level[std::string(to_string(node.level))];
  co_return summary;
}

domain::Timestamp GridService::now() const {
  if (clock_) return clock_->now();
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

boost::asio::awaitable<JsonText> GridService::import_replacing(
    std::vector<domain::GridNodeInput> nodes, std::optional<std::string> date,
    const domain::Actor& actor) const {
  domain::require_district_admin(actor, "import the grid");
  std::string target = import_target(nodes);
  domain::GridChange change{.date = std::move(date), .retire = {}, .nodes = std::move(nodes)};
  if (change.nodes.empty()) refuse_change({{"features", "the collection has no features"}});
  co_return co_await apply(std::move(change), true, domain::AuditAction::kGridImport,
                           std::move(target), "retire", actor);
}

boost::asio::awaitable<JsonText> GridService::retire(std::string code,
                                                     std::optional<std::string> date,
                                                     const domain::Actor& actor) const {
  domain::require_district_admin(actor, "retire grid nodes");
  domain::require_grid_code(code, "code");
  bool known = false;
  co_await transactions_.read(
      [&](Repositories& repos) { known = repos.grid.find_node(code, false, false).has_value(); });
  if (!known) throw_unknown_node(code);
  domain::GridChange change{.date = std::move(date), .retire = {code}, .nodes = {}};
  co_return co_await apply(std::move(change), false, domain::AuditAction::kGridRetire,
                           std::move(code), "code", actor);
}

boost::asio::awaitable<JsonText> GridService::change(domain::GridChange change,
                                                     const domain::Actor& actor) const {
  domain::require_district_admin(actor, "change the grid");
  std::string target = import_target(change.nodes);
  for (const std::string& code : change.retire) {
    if (target.empty() || code.size() < target.size() ||
        (code.size() == target.size() && code < target)) {
      target = code;
    }
  }
  co_return co_await apply(std::move(change), false, domain::AuditAction::kGridReplace,
                           std::move(target), "retire", actor);
}

boost::asio::awaitable<JsonText> GridService::apply(domain::GridChange change,
                                                    bool replacing_import,
                                                    domain::AuditAction action, std::string target,
                                                    const std::string& retire_field,
                                                    const domain::Actor& actor) const {
  std::vector<domain::FieldError> problems = domain::validate_grid_change(change, retire_field);
  if (replacing_import) {
    std::erase_if(problems, [](const domain::FieldError& problem) {
      return problem.field == "retire";  // nothing named to retire: the file decides
    });
  }
  if (!problems.empty()) refuse_change(std::move(problems));
  std::vector<domain::FieldError> conflicts;
  std::optional<JsonText> summary;
  const domain::Timestamp at = now();
  try {
    co_await transactions_.run([&](Repositories& repos) {
      StagedGridChange staged = repos.grid.stage_change(change, replacing_import, at);
      rename_retire_fields(staged.problems, retire_field);
      if (!staged.conflicts.empty() || !staged.problems.empty()) {
        conflicts = std::move(staged.conflicts);
        problems = std::move(staged.problems);
        throw Error(ErrorCode::kInvalidValue, "change refused");  // rolls the staging back
      }
      std::vector<std::string> keys = staged.retired;
      keys.insert(keys.end(), staged.added.begin(), staged.added.end());
      JsonText before = repos.audit.snapshot(AuditSubject::kGrid, keys);
      AppliedGridChange applied = repos.grid.apply_change(actor.id, at);
      if (!applied.conflicts.empty()) {
        conflicts = std::move(applied.conflicts);
        throw Error(ErrorCode::kConflict, "change refused");  // rolls the writes back
      }
      record_change(repos.audit, actor.id, action, target, std::move(before), AuditSubject::kGrid,
                    keys);
      summary = std::move(applied.summary);
    });
  } catch (const Error&) {
    // Refusals found above are reported below; anything else goes up as is.
    if (conflicts.empty() && problems.empty()) throw;
  }
  if (!conflicts.empty()) refuse_conflicts(std::move(conflicts));  // 409 before 422
  if (!problems.empty()) refuse_change(std::move(problems));
  co_return std::move(*summary);
}

boost::asio::awaitable<void> GridService::add_officers(
    std::vector<domain::Officer> officers) const {
  const std::vector<std::string> codes = codes_of(officers);
  co_await transactions_.run([&](Repositories& repos) {
    JsonText before = repos.audit.snapshot(AuditSubject::kOfficers, codes);
    repos.grid.add_officers(officers);
    record_change(repos.audit, domain::command_line_actor().id, domain::AuditAction::kOfficersAdd,
                  std::to_string(codes.size()) + " officers", std::move(before),
                  AuditSubject::kOfficers, codes);
  });
}

}  // namespace gridcase::service
