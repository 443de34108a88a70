// One HTTP connection to the metrics port: reads one request (at most 8 KiB
// of headers and 8 KiB of body, within 10 s), answers it as Route() decides
// (or with 400 when it is not HTTP), and closes. Boost.Beast.
//
// Lifetime: keeps itself alive through shared_from_this() while an operation
// is pending; `endpoints` must outlive every operation of the session.
// Single-threaded: runs on the io_context's thread. Failures (a client that
// goes away, a timeout) close the connection; nothing throws.
#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "supervisor/admin/http_routes.h"

namespace fibpool::supervisor {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, const HttpEndpoints& endpoints);

  void Start();
  // Closes the connection if its request has not arrived yet (the server is
  // stopping); an answer being written is finished first.
  void CloseIfWaiting();

 private:
  void OnRead(boost::beast::error_code ec);
  void Close();
  void Respond(HttpAnswer answer, unsigned version, bool head);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request_parser<boost::beast::http::string_body> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  const HttpEndpoints& endpoints_;
  bool waiting_ = true;  // for the request
};

}  // namespace fibpool::supervisor
