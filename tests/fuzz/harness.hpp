#pragma once

// What the fuzz targets share: the server's real route table and services over a database
// boundary (every repository call ends the request as 503, after recording what reached it),
// a byte stream standing in for the socket, and the invariants every answer must keep.

#include <boost/asio/io_context.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "gridcase/domain/calendar.hpp"
#include "gridcase/service/case_repository.hpp"
#include "gridcase/service/repositories.hpp"
#include "http/router.hpp"

namespace gridcase::fuzz {

/// Prints `what` and aborts (libFuzzer saves the input) unless `condition` holds.
void require(bool condition, std::string_view what);

/// What the last request handed to the database, when it got that far.
struct Crossing {
  std::string operation;  // the first repository method called; empty: none
  std::optional<service::CaseFilter> case_filter;  // CaseRepository::list
  std::optional<service::CasePage> case_page;
  std::optional<service::PageRequest> grid_page;     // GridRepository::list_cells, list_officers
  std::optional<std::string> grid_code;              // ... and find_node
  std::optional<domain::WorkCalendarSpec> calendar;  // CalendarRepository::store
};

/// The API of one server (ServerOptions defaults) with a bearer token of a district-wide admin
/// and operator, so that every authenticated route gets to its own checks.
class Api {
 public:
  static Api& instance();

  /// The bytes as one connection's requests, one after another while the client keeps the
  /// connection open; checks every answer (check_answer) and every refusal.
  void serve_bytes(std::string_view bytes);
  /// One request built by hand (no HTTP parsing): routed and answered; returns the answer
  /// after check_answer.
  http::Response answer(http::beast_http::request<http::beast_http::string_body> message);
  /// What the last request handed to the database.
  const Crossing& crossing() const;
  /// "Bearer gct_…": accepted as the fuzz admin.
  const std::string& authorization() const;

  /// Invariants of any answer: a status from 200 to 499, or 503 only after the request reached
  /// the database; a Content-Length equal to the body (streams aside); every 4xx/5xx a
  /// problem+json object whose `status` is the answer's. GRIDCASE_FUZZ_TRACE=1 prints each
  /// answer (to read a reproducer).
  void check_answer(const http::Response& response, bool streaming) const;

 private:
  Api();
  struct State;
  State* state_;  // lives as long as the process: libFuzzer never returns from its loop
};

}  // namespace gridcase::fuzz
