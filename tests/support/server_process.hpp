#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace gridcase::testing {

/// The real gridcase binary (`gridcase serve`) as a child process on a free port of 127.0.0.1,
/// configured through GRIDCASE_DATABASE_URL, GRIDCASE_HTTP_PORT and GRIDCASE_LOG_LEVEL (plus
/// `extra_environment`), and `config_file` (`--config`, e.g. a few limits) when one is given. The
/// constructor returns once /healthz answers 200, and throws std::runtime_error (with the server's
/// log) when it does not within `startup_timeout`. The destructor sends SIGTERM and, failing that,
/// SIGKILL.
class ServerProcess {
 public:
  explicit ServerProcess(std::string database_url,
                         std::map<std::string, std::string> extra_environment = {},
                         std::chrono::milliseconds startup_timeout = std::chrono::seconds{60},
                         std::string config_file = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }

  /// Sends SIGTERM and waits up to `timeout` for the process to end. Returns its exit code
  /// (128 + signal number when a signal ended it), or nullopt when it is still running.
  std::optional<int> terminate(std::chrono::milliseconds timeout);
  /// SIGKILL, as a crash would end it: nothing is flushed or drained. Returns the exit code.
  std::optional<int> kill_hard();

  /// Everything the server wrote to stdout and stderr so far.
  std::string log() const;

 private:
  bool start_once(std::chrono::steady_clock::time_point deadline);
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

  std::string database_url_;
  std::map<std::string, std::string> extra_environment_;
  std::string config_file_;
  std::string log_path_;
  unsigned short port_ = 0;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

/// A TCP port on 127.0.0.1 that nothing listened on a moment ago.
unsigned short free_port();

}  // namespace gridcase::testing
