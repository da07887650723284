#include <unistd.h>

#include <vector>

#include "app/commands.h"

extern char** environ;

namespace zhizao::app {

std::vector<std::string> Environment() {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) out.emplace_back(*e);
  return out;
}

Result<Config> ResolveConfig(const ServeFlags& flags) {
  Config config;
  if (flags.config_file) {
    ZZ_RETURN_IF_ERROR(ApplyConfigFile(*flags.config_file, config));
  } else {
    config.sim_enabled = true;
  }
  ZZ_RETURN_IF_ERROR(ApplyConfigEnv(Environment(), {"ZHIZAO_ADMIN_TOKEN"}, config));
  if (flags.listen) {
    std::string host;
    uint16_t port = 0;
    ZZ_RETURN_IF_ERROR(ParseHostPort(*flags.listen, host, port).WithContext("--listen"));
    config.listen = *flags.listen;
  }
  if (flags.data_dir) ZZ_RETURN_IF_ERROR(SetConfigOption("storage", "data_dir", *flags.data_dir, "--data-dir", config));
  if (flags.demo) config.sim_enabled = true;
  std::string source = flags.config_file ? *flags.config_file : std::string("configuration");
  ZZ_RETURN_IF_ERROR(ValidateConfig(config).WithContext(source));
  return config;
}

}  // namespace zhizao::app
