// Starts one of the real protocol peers of tests/peers/ (node-opcua, modbus-serial,
// sparkplug-client, mosquitto) for a test, on a free loopback port, and stops it at the end.
//
// The peers' npm packages are installed by `scripts/setup --test` (npm ci in tests/peers);
// mosquitto comes from Debian. A test that cannot start its peer fails and says why: these
// tests exist to talk to real peers, so they are never silently skipped.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace zhizao::testing {

// A loopback TCP port that was free a moment ago.
int FreePort();

// Whether a TCP connection to the loopback `port` succeeds within about 5 s.
bool WaitUntilListening(int port);

// What MosquittoSecure needs: PEM files and a password file. mosquitto, started as root,
// reads them as user mosquitto: they must be readable by all (test files only).
struct SecureBrokerFiles {
  std::string ca_file;                // the CA that client certificates must chain to
  std::string cert_file;              // the broker's certificate
  std::string key_file;               // its private key
  std::string password_file;          // made with MakeMosquittoPasswordFile
  bool require_certificate = false;  // clients must present a certificate of ca_file's CA
};

// Writes a mosquitto password file at `path` holding `user` with `password` (mosquitto_passwd -b),
// readable by all. Returns "" or why it failed.
std::string MakeMosquittoPasswordFile(const std::string& path, const std::string& user, const std::string& password);

class PeerProcess {
 public:
  // Runs `argv` with `env` added, in tests/peers/, and waits (up to 30 s) for a line of its
  // output that contains `ready`. On failure, error() says why and running() is false.
  PeerProcess(std::vector<std::string> argv, std::map<std::string, std::string> env, std::string ready);
  ~PeerProcess();  // Stop()s
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  bool running() const { return pid_ > 0; }
  const std::string& error() const { return error_; }
  // Everything the peer printed so far (stdout and stderr).
  std::string Output();

  // SIGTERM, then SIGKILL after 3 s. Idempotent.
  void Stop();
  // SIGKILL at once: the peer vanishes without a goodbye, as a crashed device does.
  void Kill();
  // Sends `signal` to the peer itself (peers that act on one say so in their header).
  void Signal(int signal);

  // The peers of tests/peers/, each on `port`.
  static PeerProcess ModbusServer(int port);
  // `max_nodes_per_call` > 0: the server's OperationLimits for reads, browses and monitored items.
  static PeerProcess OpcUaServer(int port, bool secure = false, int max_nodes_per_call = 0);
  // The secure server with a certificate of our choosing (PEM files), say one a CA signed.
  static PeerProcess OpcUaServerWithCertificate(int port, const std::string& certificate_pem_file,
                                                const std::string& private_key_pem_file);
  static PeerProcess Mosquitto(int port);
  // mosquitto with only a TLS listener on `tls_port` and password authentication (no anonymous
  // clients).
  static PeerProcess MosquittoSecure(int tls_port, const SecureBrokerFiles& files);
  // The Sparkplug B edge node (group Plant1, edge Edge1, device Machine1) on a broker.
  static PeerProcess SparkplugEdge(int mqtt_port);

  PeerProcess(PeerProcess&& other) noexcept;

 private:
  void ReadAvailable(int timeout_ms);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string output_;
  std::string error_;
  std::string config_path_;  // a file the peer needs (mosquitto.conf), removed at Stop
};

// tests/peers/ in the source tree.
std::string PeersDir();

}  // namespace zhizao::testing
