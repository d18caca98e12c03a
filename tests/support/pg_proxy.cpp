#include "pg_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace gridcase::testing {

namespace {

constexpr std::uint32_t kSslRequest = 80877103;
constexpr std::uint32_t kGssEncRequest = 80877104;
/// How long a cut waits for PostgreSQL to answer the COMMIT it forwarded.
constexpr int kCommitAnswerTimeoutMs = 10000;

std::uint32_t big_endian(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i)
    value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

bool send_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
  return true;
}

}  // namespace

struct PgProxy::State {
  unsigned short upstream_port = 0;
  unsigned short port = 0;
  int listener = -1;
  std::atomic<bool> stopping{false};
  std::atomic<int> cuts{0};
  std::atomic<int> generation{0};  // a cut_all_and_refuse() ends the sessions of earlier ones
  std::atomic<bool> refusing{false};
  std::atomic<int> relaying{0};  // sessions open now
  std::mutex mutex;
  std::string marker;  // armed while not empty
  std::thread acceptor;
  std::vector<std::thread> sessions;

  /// Frontend messages of one session, parsed as they pass.
  struct Reader {
    std::string buffer;
    bool typed = false;  // past the startup packet
    bool saw_marker = false;

    /// Feeds bytes; returns true when they complete a COMMIT of a transaction that carried the
    /// armed marker (and disarms it).
    bool feed(State& state, const char* data, std::size_t size) {
      buffer.append(data, size);
      bool cut = false;
      for (;;) {
        if (!typed) {
          if (buffer.size() < 8) break;
          const std::uint32_t length = big_endian(buffer, 0);
          if (buffer.size() < length) break;
          const std::uint32_t code = big_endian(buffer, 4);
          if (code != kSslRequest && code != kGssEncRequest) typed = true;
          buffer.erase(0, length);
          continue;
        }
        if (buffer.size() < 5) break;
        const std::size_t length = big_endian(buffer, 1);
        if (buffer.size() < 1 + length) break;
        const char type = buffer[0];
        const std::string payload = buffer.substr(5, length - 4);
        buffer.erase(0, 1 + length);
        std::lock_guard lock{state.mutex};
        if (!state.marker.empty() && payload.find(state.marker) != std::string::npos)
          saw_marker = true;
        if (type == 'Q') {
          std::string query{payload.c_str()};
          std::transform(query.begin(), query.end(), query.begin(),
                         [](unsigned char c) { return std::toupper(c); });
          if (query.find("COMMIT") != std::string::npos ||
              query.find("ROLLBACK") != std::string::npos) {
            if (saw_marker && !state.marker.empty() && query.find("COMMIT") != std::string::npos) {
              state.marker.clear();
              cut = true;
            }
            saw_marker = false;
          }
        }
      }
      return cut;
    }
  };

  void relay(int client) {
    ++relaying;
    relay_until_cut(client);
    --relaying;
  }

  void relay_until_cut(int client) {
    const int born = generation.load();
    if (refusing) {
      ::close(client);
      return;
    }
    const int upstream = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(upstream_port);
    if (upstream < 0 ||
        ::connect(upstream, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      if (upstream >= 0) ::close(upstream);
      ::close(client);
      return;
    }
    Reader reader;
    char chunk[16384];
    while (!stopping && generation.load() == born) {
      pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
      if (::poll(fds, 2, 100) < 0 && errno != EINTR) break;
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        const ssize_t got = ::recv(client, chunk, sizeof chunk, 0);
        if (got <= 0 || !send_all(upstream, chunk, static_cast<std::size_t>(got))) break;
        if (reader.feed(*this, chunk, static_cast<std::size_t>(got))) {
          // The COMMIT is on its way: wait for PostgreSQL's answer, which it sends once it has
          // committed, then lose it.
          pollfd answer = {upstream, POLLIN, 0};
          ::poll(&answer, 1, kCommitAnswerTimeoutMs);
          ++cuts;
          break;
        }
      }
      if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
        const ssize_t got = ::recv(upstream, chunk, sizeof chunk, 0);
        if (got <= 0 || !send_all(client, chunk, static_cast<std::size_t>(got))) break;
      }
    }
    ::shutdown(client, SHUT_RDWR);
    ::shutdown(upstream, SHUT_RDWR);
    ::close(client);
    ::close(upstream);
  }

  void accept_loop() {
    while (!stopping) {
      pollfd fd{listener, POLLIN, 0};
      if (::poll(&fd, 1, 100) <= 0) continue;
      const int client = ::accept(listener, nullptr, nullptr);
      if (client < 0) continue;
      std::lock_guard lock{mutex};
      sessions.emplace_back([this, client] { relay(client); });
    }
  }
};

unsigned short port_of_url(const std::string& url) {
  std::smatch match;
  static const std::regex port{R"(:(\d+)/)"};
  if (!std::regex_search(url, match, port)) throw std::runtime_error("no port in " + url);
  return static_cast<unsigned short>(std::stoi(match[1]));
}

PgProxy::PgProxy(unsigned short upstream_port) : state_(std::make_shared<State>()) {
  state_->upstream_port = upstream_port;
  state_->listener = ::socket(AF_INET, SOCK_STREAM, 0);
  if (state_->listener < 0)
    throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
  const int yes = 1;
  ::setsockopt(state_->listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(state_->listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(state_->listener, 64) != 0 ||
      ::getsockname(state_->listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(state_->listener);
    throw std::runtime_error("proxy listen: " + std::string(std::strerror(errno)));
  }
  state_->port = ntohs(address.sin_port);
  state_->acceptor = std::thread([state = state_.get()] { state->accept_loop(); });
}

PgProxy::~PgProxy() {
  state_->stopping = true;
  state_->acceptor.join();
  std::vector<std::thread> sessions;
  {
    std::lock_guard lock{state_->mutex};
    sessions.swap(state_->sessions);
  }
  for (std::thread& session : sessions) session.join();
  ::close(state_->listener);
}

unsigned short PgProxy::port() const { return state_->port; }

std::string PgProxy::url_through(const std::string& url) const {
  static const std::regex host_port{R"(@127\.0\.0\.1:\d+/)"};
  if (!std::regex_search(url, host_port))
    throw std::runtime_error("not a 127.0.0.1:PORT url: " + url);
  return std::regex_replace(url, host_port, "@127.0.0.1:" + std::to_string(state_->port) + "/");
}

void PgProxy::cut_after_commit_of(const std::string& marker) {
  std::lock_guard lock{state_->mutex};
  state_->marker = marker;
}

void PgProxy::cut_all_and_refuse() {
  state_->refusing = true;
  ++state_->generation;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{5};
  while (state_->relaying.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
}

void PgProxy::admit() { state_->refusing = false; }

int PgProxy::cuts() const { return state_->cuts.load(); }

}  // namespace gridcase::testing
