// Finds out why Paho could not open a connection, which it reports only as a "TCP/TLS connect
// failure": connects to the broker itself and, for ssl://, shakes hands with OpenSSL as Paho does
// (the same CA, client certificate and host name check), and names what failed.
//
// (Paho C++ 1.2 cannot pass OpenSSL's errors on: its ssl_options error handler is called with
// the address of a connect_options that is gone by then, and crashes.)
#pragma once

#include <chrono>
#include <string>

#include "connect/mqtt/internal/broker_options.h"

namespace zhizao::connect::mqtt {

// The reason, e.g. "TCP connect to 127.0.0.1:8883: Connection refused" or "TLS handshake failed:
// the broker's certificate was refused: unable to get local issuer certificate"; "" when the
// connection and handshake succeed now. Blocks for at most about `timeout`.
std::string ProbeBrokerConnection(const BrokerOptions& options, std::chrono::milliseconds timeout);

}  // namespace zhizao::connect::mqtt
