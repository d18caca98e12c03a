#include "server_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "http_client.hpp"

extern char** environ;

namespace gridcase::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr milliseconds kPollInterval{20};
// How `gridcase serve` says it could not bind its port (application.hpp).
constexpr int kExitCannotListen = 1;

std::string unique_log_path() {
  static int counter = 0;
  return "/tmp/gridcase-test-server-" + std::to_string(::getpid()) + "-" +
         std::to_string(++counter) + ".log";
}

std::optional<int> decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return std::nullopt;
}

bool healthz_answers(unsigned short port) {
  try {
    HttpConnection connection{port, milliseconds{2000}};
    return connection.request("GET", "/healthz").status == 200;
  } catch (const std::exception&) {
    return false;  // not listening yet
  }
}

}  // namespace

unsigned short free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("bind: " + std::string(std::strerror(errno)));
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

ServerProcess::ServerProcess(std::string database_url,
                             std::map<std::string, std::string> extra_environment,
                             milliseconds startup_timeout, std::string config_file)
    : database_url_(std::move(database_url)),
      extra_environment_(std::move(extra_environment)),
      config_file_(std::move(config_file)),
      log_path_(unique_log_path()) {
  const steady_clock::time_point deadline = steady_clock::now() + startup_timeout;
  // Another process may take the free port before the server binds it: then try another.
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (start_once(deadline)) return;
    if (exit_code_ != kExitCannotListen) break;
  }
  const std::string output = log();
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, SIGKILL);
    wait_for_exit(milliseconds{5000});
  }
  throw std::runtime_error(
      "gridcase serve did not become healthy" +
      (exit_code_ ? " (exit code " + std::to_string(*exit_code_) + ")" : std::string(" in time")) +
      "; its log:\n" + output);
}

bool ServerProcess::start_once(steady_clock::time_point deadline) {
  port_ = free_port();
  exit_code_.reset();

  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text{*entry};
    const std::size_t equals = text.find('=');
    if (equals == std::string::npos || text.starts_with("GRIDCASE_")) continue;
    variables.emplace(text.substr(0, equals), text.substr(equals + 1));
  }
  variables["GRIDCASE_DATABASE_URL"] = database_url_;
  variables["GRIDCASE_HTTP_PORT"] = std::to_string(port_);
  variables["GRIDCASE_LOG_LEVEL"] = "warn";
  for (const auto& [name, value] : extra_environment_) variables[name] = value;
  std::vector<std::string> entries;
  for (const auto& [name, value] : variables) entries.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (std::string& entry : entries) envp.push_back(entry.data());
  envp.push_back(nullptr);

  std::string binary = GRIDCASE_BINARY;
  std::string command = "serve";
  std::string config_option = "--config";
  std::vector<char*> argv{binary.data(), command.data()};
  if (!config_file_.empty()) {
    argv.push_back(config_option.data());
    argv.push_back(config_file_.data());
  }
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  const int spawned =
      ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0)
    throw std::runtime_error("posix_spawn " + binary + ": " + std::strerror(spawned));

  while (steady_clock::now() < deadline) {
    if (healthz_answers(port_)) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = decode_status(status);
      return false;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return false;
}

std::optional<int> ServerProcess::wait_for_exit(milliseconds timeout) {
  if (exit_code_) return exit_code_;
  const steady_clock::time_point deadline = steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = decode_status(status);
      return exit_code_;
    }
    if (steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
}

std::optional<int> ServerProcess::terminate(milliseconds timeout) {
  if (!exit_code_) ::kill(pid_, SIGTERM);
  return wait_for_exit(timeout);
}

std::optional<int> ServerProcess::kill_hard() {
  if (!exit_code_) ::kill(pid_, SIGKILL);
  return wait_for_exit(milliseconds{5000});
}

ServerProcess::~ServerProcess() {
  if (!exit_code_ && !terminate(milliseconds{15000})) {
    ::kill(pid_, SIGKILL);
    wait_for_exit(milliseconds{5000});
  }
  if (::testing::Test::HasFailure()) {
    std::fprintf(stderr, "---- gridcase serve log (%s) ----\n%s---- end of log ----\n",
                 log_path_.c_str(), log().c_str());
  }
  std::remove(log_path_.c_str());
}

std::string ServerProcess::log() const {
  std::ifstream file{log_path_};
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace gridcase::testing
