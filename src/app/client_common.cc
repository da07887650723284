#include "app/client_common.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace zhizao::app {

Result<std::unique_ptr<HttpClient>> OpenClient(const ConnectionFlags& flags) {
  auto timeout = std::chrono::milliseconds(static_cast<int64_t>(flags.timeout_s * 1000));
  return HttpClient::Create({.url = flags.url, .token = flags.token, .timeout = timeout});
}

Result<std::string> ReadInput(const std::string& path) {
  std::FILE* in = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (in == nullptr) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  std::string text;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), in)) > 0) text.append(buffer, n);
  bool failed = std::ferror(in) != 0;
  int error = errno;
  if (in != stdin) std::fclose(in);
  if (failed) return Status::IOError("cannot read " + path + ": " + std::strerror(error));
  return text;
}

int Report(std::string_view command, const Status& status, int exit_code) {
  std::fprintf(stderr, "zhizao: %.*s: %s\n", static_cast<int>(command.size()), command.data(),
               status.message().c_str());
  return exit_code;
}

}  // namespace zhizao::app
