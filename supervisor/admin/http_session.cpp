#include "supervisor/admin/http_session.h"

#include <chrono>

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace fibpool::supervisor {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr std::size_t kRequestLimit = 8 * 1024;  // headers, and body
constexpr std::chrono::seconds kRequestTimeout{10};

}  // namespace

HttpSession::HttpSession(asio::ip::tcp::socket socket, const HttpEndpoints& endpoints)
    : stream_(std::move(socket)), endpoints_(endpoints) {}

void HttpSession::Start() {
  parser_.body_limit(kRequestLimit);
  parser_.header_limit(kRequestLimit);
  stream_.expires_after(kRequestTimeout);
  http::async_read(
      stream_, buffer_, parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
}

void HttpSession::CloseIfWaiting() {
  if (waiting_) Close();
}

void HttpSession::Close() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

void HttpSession::OnRead(beast::error_code ec) {
  waiting_ = false;
  if (!ec) {
    const auto& request = parser_.get();
    Respond(Route(request.method_string(), request.target(), endpoints_), request.version(),
            request.method() == http::verb::head);
    return;
  }
  // Bytes that are not an HTTP request get 400; a client that left, sent
  // nothing, or was closed by Stop gets nothing.
  if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
      ec != http::error::end_of_stream) {
    Respond(MalformedRequest(), 11, false);
    return;
  }
  Close();
}

void HttpSession::Respond(HttpAnswer answer, unsigned version, bool head) {
  response_.version(version);
  response_.keep_alive(false);
  response_.result(answer.status);
  response_.set(http::field::server, "fibpool");
  response_.set(http::field::content_type, answer.content_type);
  response_.set(http::field::cache_control, "no-store");
  if (!answer.allow.empty()) response_.set(http::field::allow, answer.allow);
  response_.body() = std::move(answer.body);
  response_.prepare_payload();
  if (head) response_.body().clear();  // Content-Length stays that of the GET
  stream_.expires_after(kRequestTimeout);
  http::async_write(
      stream_, response_, [self = shared_from_this()](beast::error_code, std::size_t) {
        beast::error_code ignored;
        self->stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
      });
}

}  // namespace fibpool::supervisor
