#include "peer_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <utility>

extern char** environ;

namespace zhizao::testing {

std::string PeersDir() { return std::string(ZHIZAO_SOURCE_DIR) + "/tests/peers"; }

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

bool WaitUntilListening(int port) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    bool connected = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    close(fd);
    if (connected) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

PeerProcess::PeerProcess(std::vector<std::string> argv, std::map<std::string, std::string> env, std::string ready) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  for (const auto& [key, value] : env) env_strings.push_back(key + "=" + value);
  std::vector<char*> envp, args;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  for (std::string& s : argv) args.push_back(s.data());
  args.push_back(nullptr);

  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    error_ = "pipe: " + std::string(std::strerror(errno));
    return;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  posix_spawn_file_actions_addchdir_np(&actions, PeersDir().c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);  // Kill() reaches node's children too
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = -1;
  int spawned = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(pipe_fds[1]);
  out_fd_ = pipe_fds[0];
  if (spawned != 0) {
    error_ = "cannot start " + argv[0] + ": " + std::strerror(spawned) + " (run scripts/setup --test)";
    return;
  }
  pid_ = pid;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (output_.find(ready) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) {
      error_ = argv[0] + " " + argv[1] + " not ready after 30 s; output:\n" + output_;
      Stop();
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      ReadAvailable(0);
      error_ = argv[0] + " " + argv[1] + " exited before it was ready (is tests/peers/node_modules installed? "
               "run scripts/setup --test); output:\n" + output_;
      return;
    }
    ReadAvailable(100);
  }
}

PeerProcess::PeerProcess(PeerProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      out_fd_(std::exchange(other.out_fd_, -1)),
      output_(std::move(other.output_)),
      error_(std::move(other.error_)),
      config_path_(std::exchange(other.config_path_, "")) {}

PeerProcess::~PeerProcess() {
  Stop();
  if (out_fd_ >= 0) close(out_fd_);
}

void PeerProcess::ReadAvailable(int timeout_ms) {
  if (out_fd_ < 0) return;
  pollfd p{out_fd_, POLLIN, 0};
  while (poll(&p, 1, timeout_ms) > 0) {
    char buf[4096];
    ssize_t n = read(out_fd_, buf, sizeof(buf));
    if (n <= 0) break;
    output_.append(buf, static_cast<size_t>(n));
    timeout_ms = 0;
  }
}

std::string PeerProcess::Output() {
  ReadAvailable(0);
  return output_;
}

void PeerProcess::Stop() {
  if (pid_ > 0) {
    kill(-pid_, SIGTERM);
    for (int i = 0; i < 300; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      ReadAvailable(10);
    }
    if (pid_ > 0) Kill();
  }
  if (!config_path_.empty()) std::filesystem::remove(config_path_);
  config_path_.clear();
}

void PeerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void PeerProcess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

PeerProcess PeerProcess::ModbusServer(int port) {
  return PeerProcess({"node", "modbus-server.js"}, {{"MODBUS_PORT", std::to_string(port)}}, "READY");
}

PeerProcess PeerProcess::OpcUaServer(int port, bool secure, int max_nodes_per_call) {
  // Each server gets its own PKI folder: parallel tests must not share node-opcua's files.
  std::string pki = std::filesystem::temp_directory_path() / ("zhizao-opcua-pki-" + std::to_string(port));
  return PeerProcess({"node", "opcua-server.js"},
                     {{"OPCUA_PORT", std::to_string(port)},
                      {"OPCUA_SECURE", secure ? "1" : "0"},
                      {"OPCUA_PKI", pki},
                      {"OPCUA_MAX_NODES_PER_CALL", std::to_string(max_nodes_per_call)}},
                     "READY");
}

PeerProcess PeerProcess::OpcUaServerWithCertificate(int port, const std::string& certificate_pem_file,
                                                    const std::string& private_key_pem_file) {
  std::string pki = std::filesystem::temp_directory_path() / ("zhizao-opcua-pki-" + std::to_string(port));
  return PeerProcess({"node", "opcua-server.js"},
                     {{"OPCUA_PORT", std::to_string(port)},
                      {"OPCUA_SECURE", "1"},
                      {"OPCUA_PKI", pki},
                      {"OPCUA_CERTIFICATE_FILE", certificate_pem_file},
                      {"OPCUA_PRIVATE_KEY_FILE", private_key_pem_file}},
                     "READY");
}

PeerProcess PeerProcess::Mosquitto(int port) {
  std::string conf = std::filesystem::temp_directory_path() / ("zhizao-mosquitto-" + std::to_string(port) + ".conf");
  {
    std::ofstream out(conf);
    // Not `log_type all`: a line per PUBLISH would fill the pipe of a long test, and mosquitto
    // would block writing its log.
    out << "listener " << port << " 127.0.0.1\nallow_anonymous true\npersistence false\n"
        << "log_dest stdout\nlog_type error\nlog_type warning\nlog_type notice\nlog_type information\n";
  }
  PeerProcess peer({"stdbuf", "-oL", "mosquitto", "-c", conf}, {}, "listen socket on port");
  peer.config_path_ = conf;
  // mosquitto prints that line just before it listens: wait until a connection is taken.
  if (peer.running() && !WaitUntilListening(port)) {
    peer.Stop();
    peer.error_ = "mosquitto never listened on port " + std::to_string(port) + "; output:\n" + peer.output_;
  }
  return peer;
}

PeerProcess PeerProcess::MosquittoSecure(int tls_port, const SecureBrokerFiles& files) {
  std::string conf =
      std::filesystem::temp_directory_path() / ("zhizao-mosquitto-tls-" + std::to_string(tls_port) + ".conf");
  {
    std::ofstream out(conf);
    out << "per_listener_settings false\nallow_anonymous false\npassword_file " << files.password_file << "\n"
        << "persistence false\nlistener " << tls_port << " 127.0.0.1\ncafile " << files.ca_file << "\ncertfile "
        << files.cert_file << "\nkeyfile " << files.key_file << "\nrequire_certificate "
        << (files.require_certificate ? "true" : "false") << "\n"
        << "log_dest stdout\nlog_type error\nlog_type warning\nlog_type notice\nlog_type information\n";
  }
  PeerProcess peer({"stdbuf", "-oL", "mosquitto", "-c", conf}, {}, "listen socket on port");
  peer.config_path_ = conf;
  if (peer.running() && !WaitUntilListening(tls_port)) {
    peer.Stop();
    peer.error_ = "mosquitto never listened on port " + std::to_string(tls_port) + "; output:\n" + peer.output_;
  }
  return peer;
}

std::string MakeMosquittoPasswordFile(const std::string& path, const std::string& user, const std::string& password) {
  std::filesystem::remove(path);
  std::vector<std::string> argv = {"mosquitto_passwd", "-c", "-b", path, user, password};
  std::vector<char*> args;
  for (std::string& s : argv) args.push_back(s.data());
  args.push_back(nullptr);
  pid_t pid = -1;
  int spawned = posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ);
  if (spawned != 0) return "cannot start mosquitto_passwd: " + std::string(std::strerror(spawned));
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "mosquitto_passwd failed for " + path;
  std::error_code error;
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                         std::filesystem::perms::group_read | std::filesystem::perms::others_read,
                               error);
  return error ? "cannot make " + path + " readable: " + error.message() : "";
}

PeerProcess PeerProcess::SparkplugEdge(int mqtt_port) {
  return PeerProcess({"node", "sparkplug-edge.js"}, {{"MQTT_URL", "mqtt://127.0.0.1:" + std::to_string(mqtt_port)}},
                     "READY");
}

}  // namespace zhizao::testing
