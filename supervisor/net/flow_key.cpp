#include "supervisor/net/flow_key.h"

namespace fibpool::supervisor {

std::string FlowKeyOf(const boost::asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6())
        .to_string();
  }
  return address.to_string();
}

std::string FlowKeyOf(const boost::asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  const boost::asio::ip::tcp::endpoint peer = socket.remote_endpoint(ec);
  return ec ? std::string("unknown") : FlowKeyOf(peer.address());
}

}  // namespace fibpool::supervisor
