#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gridcase::testing {

/// One POST the receiver got: its target, headers (names in lower case) and body.
struct ReceivedPost {
  std::string target;
  std::map<std::string, std::string> headers;
  std::string body;
};

/// A self-signed certificate for 127.0.0.1 and localhost (made with the openssl command, as an
/// operator would make one for a test receiver) in a temporary folder of its own, removed again
/// by the destructor. `cert_file` is both the receiver's certificate and the CA a sender trusts.
class TestCertificate {
 public:
  TestCertificate();
  ~TestCertificate();
  TestCertificate(const TestCertificate&) = delete;
  TestCertificate& operator=(const TestCertificate&) = delete;

  const std::string& cert_file() const { return cert_file_; }
  const std::string& key_file() const { return key_file_; }

 private:
  std::string folder_;
  std::string cert_file_;
  std::string key_file_;
};

/// A real HTTPS webhook receiver on 127.0.0.1 (Beast over OpenSSL, on a thread of its own): it
/// records every POST and answers each with the status set by answer_with() (204 at first),
/// one request per connection. Between stop() and start() it is down: every connection is
/// closed before the TLS handshake, so no post gets through. (It keeps its port: a closed
/// ephemeral port may be taken by another socket meanwhile, even by the sender's own.)
class WebhookReceiver {
 public:
  explicit WebhookReceiver(const TestCertificate& certificate);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  unsigned short port() const;
  /// https://127.0.0.1:<port><path>
  std::string url(const std::string& path = "/hooks/gridcase") const;

  void stop();
  void start();
  void answer_with(unsigned status);

  /// Every POST received so far, in the order they arrived.
  std::vector<ReceivedPost> received() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace gridcase::testing
