#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/case.hpp"

namespace gridcase::http {

namespace beast_http = boost::beast::http;

using Response = beast_http::response<beast_http::string_body>;

struct Request {
  beast_http::request<beast_http::string_body> message;
  std::map<std::string, std::string, std::less<>> path_params;
  std::map<std::string, std::string, std::less<>> query;
  std::string request_id;
  std::string remote_address;            // the peer's IP address, for login throttling
  std::optional<domain::Actor> actor;    // set by authentication before a protected handler runs
  std::string bearer_token;              // the token it authenticated with (never logged)
  bool by_cookie = false;                // that token came in the console's session cookie
  bool read_only = false;                // that token is a kiosk's
  domain::Timestamp token_expires_at{};  // when that token expires
};

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

/// Writes the body of a streaming answer as it is produced; the session wrote the header.
/// Used on the connection's strand only.
class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  /// Writes `bytes` within http.write_timeout. False when the connection is gone: the body
  /// should return.
  virtual boost::asio::awaitable<bool> write(std::string_view bytes) = 0;
  /// What to call (on the strand) when the peer goes away or the server stops, so that a body
  /// waiting for something to write returns promptly. Called at once when that already happened.
  virtual void on_close(std::function<void()> hook) = 0;
  /// Drops the connection now: a write in progress fails at once.
  virtual void abort() = 0;
};

using StreamBody = std::function<boost::asio::awaitable<void>(StreamWriter&)>;

/// A streaming answer: `head` is written as it is (no Content-Length: the body ends when the
/// connection closes), then `body` writes the rest until it returns.
struct StreamingResponse {
  Response head;
  StreamBody body;
};

/// A handler whose answer is a stream. It throws domain::Error, like a Handler, to refuse
/// before anything is written.
using StreamHandler = std::function<boost::asio::awaitable<StreamingResponse>(Request&)>;

/// What a route checks from the request's header alone, before its body is read (the caller's
/// token, and for a route whose body may be large, that the caller may send it at all). It
/// throws domain::Error to refuse; the body is then never read.
using Guard = std::function<boost::asio::awaitable<void>(Request&)>;

/// How large a body a route accepts. A form takes the JSON routes' limit, or the upload limit
/// as `multipart/form-data` (a form with its photo: Open311's filing, docs/integrations.md),
/// whose sender the route's guard then authenticates before the body is read.
enum class BodyKind { kNone, kJson, kImport, kUpload, kForm };

struct Route {
  beast_http::verb verb;
  std::string pattern;  // "/api/v1/grid/{code}/cells"
  BodyKind body = BodyKind::kNone;
  Handler handler;
  StreamHandler stream;  // set instead of `handler` on a streaming route
  Guard guard;           // empty on a public route
};

struct RouteMatch {
  const Route* route = nullptr;           // null: no route for this path and verb
  std::vector<beast_http::verb> allowed;  // non-empty when the path exists under other verbs
  std::map<std::string, std::string, std::less<>> params;
};

/// Verb + path template matching. A literal segment beats a {param} one at the same place. A
/// last-dot suffix may be a parameter of its own: "services.{format}" (counted as a literal)
/// and "{service_code}.{format}" split the segment at its last dot (Open311's format suffix).
class Router {
 public:
  void add(beast_http::verb verb, std::string pattern, BodyKind body, Handler handler,
           Guard guard = {});
  /// A route answered by a stream (no request body).
  void add_stream(beast_http::verb verb, std::string pattern, StreamHandler handler,
                  Guard guard = {});
  /// `path` without the query string.
  RouteMatch match(beast_http::verb verb, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

/// Splits "a=1&b=x%20y" into decoded pairs. Throws kMalformed for bad escapes or repeated keys.
std::map<std::string, std::string, std::less<>> parse_query(std::string_view query);
/// Decodes %XX (and '+' as space in query strings). Returns nullopt for malformed escapes.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace gridcase::http
