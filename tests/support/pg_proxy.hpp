#pragma once

#include <memory>
#include <string>

namespace gridcase::testing {

/// The port of a postgresql://user@127.0.0.1:PORT/db url.
unsigned short port_of_url(const std::string& url);

/// A TCP relay between gridcase and PostgreSQL on 127.0.0.1 that reads the frontend protocol
/// passing through it, so a test can lose a COMMIT's answer: the COMMIT reaches PostgreSQL and
/// commits, then the connection is cut before the result comes back (libpqxx's in_doubt_error);
/// or cut one process off its database for a while (the other processes keep theirs).
class PgProxy {
 public:
  /// Listens on a free port of 127.0.0.1 and relays every connection to `upstream_port`.
  explicit PgProxy(unsigned short upstream_port);
  ~PgProxy();
  PgProxy(const PgProxy&) = delete;
  PgProxy& operator=(const PgProxy&) = delete;

  unsigned short port() const;
  /// `url` (postgresql://user@127.0.0.1:PORT/db) pointed at this proxy.
  std::string url_through(const std::string& url) const;

  /// The next COMMIT of a transaction whose messages carried `marker` (a parameter value, say)
  /// is forwarded, and once PostgreSQL has answered it (it has committed), that session is cut
  /// both ways before the answer is relayed. Once only.
  void cut_after_commit_of(const std::string& marker);
  /// Cuts every session relayed now, both ways, and refuses new ones (accepted, then closed at
  /// once) until admit(): PostgreSQL is unreachable for whoever connects through the proxy.
  /// Returns once the sessions are closed.
  void cut_all_and_refuse();
  /// Relays new sessions again.
  void admit();
  /// How many sessions were cut so far.
  int cuts() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace gridcase::testing
