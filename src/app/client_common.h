// What the client commands (query, write, export, import) share: opening the connection from
// their flags, reading their input, and reporting a failure with the right exit code.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "app/commands.h"
#include "app/http_client.h"
#include "common/status.h"

namespace zhizao::app {

// Errors: InvalidArgument for a malformed --url.
Result<std::unique_ptr<HttpClient>> OpenClient(const ConnectionFlags& flags);

// The whole of `path`, or of stdin for "-". Errors: IOError naming the file.
Result<std::string> ReadInput(const std::string& path);

// Prints "zhizao: <command>: <message>" on stderr and returns `exit_code`.
int Report(std::string_view command, const Status& status, int exit_code);

}  // namespace zhizao::app
