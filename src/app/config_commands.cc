#include <cstdio>

#include "app/commands.h"

namespace zhizao::app {

int RunConfigDefaults() {
  std::fputs(DefaultConfigToml().c_str(), stdout);
  return kExitOk;
}

int RunConfigCheck(const std::string& path) {
  Config config;
  Status status = ApplyConfigFile(path, config);
  if (status.ok()) status = ValidateConfig(config).WithContext(path);
  if (!status.ok()) {
    std::fprintf(stderr, "zhizao: %s\n", status.message().c_str());
    return kExitUsage;
  }
  std::printf("%s: ok\n", path.c_str());
  return kExitOk;
}

}  // namespace zhizao::app
