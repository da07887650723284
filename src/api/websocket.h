// What a route serves over a WebSocket once the HTTP server has upgraded its connection.
//
// A route answers an upgrade request (after the authorization seam, like any other) with an
// HttpResponse whose `websocket` is set; the server then completes the handshake and drives
// the handler. The server calls a handler from one connection strand only, never two calls at
// once, so a handler needs no lock for its own state.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace zhizao::api {

class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;

  // A text message from the client. Returns the messages to send in answer, in order.
  virtual std::vector<std::string> OnMessage(std::string_view text) = 0;

  // Called every tick() while the connection is open and the previous messages have been sent
  // (a client that reads slowly is ticked less often). Returns the messages to send now.
  virtual std::vector<std::string> OnTick() = 0;

  virtual std::chrono::milliseconds tick() const { return std::chrono::milliseconds(100); }

  // The subprotocol to name in the handshake's answer when the client offered any: a browser
  // closes a connection whose answer names none of those it offered.
  virtual std::string subprotocol() const { return "zhizao.v1"; }
};

}  // namespace zhizao::api
