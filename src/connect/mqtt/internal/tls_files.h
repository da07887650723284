// Reads the PEM files of a connector's "tls" before each connect, so that a missing or unreadable
// file, a file without the PEM it should hold, or a key that is not the certificate's is reported
// by name: Paho and OpenSSL would only say that the TLS setup failed.
#pragma once

#include "common/status.h"
#include "connect/mqtt/internal/broker_options.h"

namespace zhizao::connect::mqtt {

// FailedPrecondition naming the field and file (`tls.key_file '/etc/x.key': No such file or
// directory`). An encrypted private key is refused: there is no field for its password.
Status CheckTlsFiles(const TlsOptions& tls);

}  // namespace zhizao::connect::mqtt
